"""Real threads against the real database: start them together, collect every outcome."""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from stockline.catalog.models import StockMovement

# A thread still running after this long is stuck (a lock never released, a lost wakeup).
THREAD_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Outcome:
    value: object = None
    error: Exception | None = None


def run_concurrently(fn: Callable[[int], object], n: int) -> list[Outcome]:
    """Call fn(0) … fn(n - 1) on n threads released at once by a barrier; outcomes in index order.

    Every thread has its own database connection (Django's are per thread) and closes it
    when done, so no connection outlives the test.
    """
    barrier = threading.Barrier(n)
    outcomes: list[Outcome | None] = [None] * n

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            outcomes[i] = Outcome(value=fn(i))
        except Exception as exc:  # every failure is an outcome the test asserts on
            outcomes[i] = Outcome(error=exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,), name=f"concurrent-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after {THREAD_TIMEOUT}s: {stuck}"
    return outcomes


def unexpected_errors(outcomes: list[Outcome], *allowed: type[Exception]) -> list[Exception]:
    """Errors other than the business refusals the race may legitimately produce."""
    return [o.error for o in outcomes if o.error is not None and not isinstance(o.error, allowed)]


def ledger_chain_breaks(product) -> list[str]:
    """Where a movement does not start at the level the product's previous movement left.

    Ledger order is (created_at, id). Every service stamps a movement (created_at at
    insert, id at build) while it holds that product's row lock, and holds the lock until
    commit; the next writer of the product gets the lock only after that commit. So one
    product's movements are stamped in the order their changes were applied.
    """
    rows = list(
        StockMovement.objects.filter(product=product)
        .order_by("created_at", "id")
        .values_list("stock_before", "stock_after", "reason")
    )
    breaks = [
        f"#{i}: {reason} starts at {before}, previous ended at {rows[i - 1][1]}"
        for i, (before, _after, reason) in enumerate(rows)
        if i and before != rows[i - 1][1]
    ]
    if rows and rows[-1][1] != product.stock:
        breaks.append(f"last movement ends at {rows[-1][1]}, stock is {product.stock}")
    return breaks
