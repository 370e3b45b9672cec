"""Every stock writer racing on the same products: the ledger stays a single unbroken chain.

Writers: order_place (conditional UPDATE), stock_bulk_adjust Set and Delta, stock_adjust and
product_update with expected_stock (row locks in pk order). SPEC §1 (ledger), §2.
"""

import threading
from collections import Counter

import pytest

from stockline.catalog.errors import InsufficientStock, StockConflict, StockWouldGoNegative
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import BulkMode, product_update, stock_adjust, stock_bulk_adjust
from stockline.core.channels import Channel
from tests.concurrency.support import ledger_chain_breaks, run_concurrently, unexpected_errors
from tests.factories import make_company, make_product, owner_actor, place

pytestmark = pytest.mark.django_db(transaction=True)

SET_VALUES = (4, 9, 15)
DELTA_VALUES = (-9, 4)
ADJUST_DELTAS = (-5, 3)


def _stock(product_id) -> int:
    return Product.objects.values_list("stock", flat=True).get(id=product_id)


def test_orders_bulk_set_bulk_delta_adjust_and_cas_edits_keep_every_ledger_chained():
    company = make_company()[0]
    actor = owner_actor(company)
    a, b, c = (make_product(company, stock=60) for _ in range(3))
    ids = [a.id, b.id, c.id]
    rounds = 8

    def order_forward(k: int, done: Counter) -> None:
        place(company, [(a, 2), (b, 1), (c, 3)])
        done["order"] += 1

    def order_backward(k: int, done: Counter) -> None:
        place(company, [(c, 1), (b, 2), (a, 1)])
        done["order"] += 1

    def bulk_set(k: int, done: Counter) -> None:
        value = SET_VALUES[k % len(SET_VALUES)]
        stock_bulk_adjust(
            actor=actor,
            channel=Channel.DASHBOARD,
            product_ids=[c.id, a.id, b.id],
            mode=BulkMode.SET,
            value=value,
        )

    def bulk_delta(k: int, done: Counter) -> None:
        value = DELTA_VALUES[k % len(DELTA_VALUES)]
        stock_bulk_adjust(
            actor=actor,
            channel=Channel.DASHBOARD,
            product_ids=[b.id, c.id, a.id],
            mode=BulkMode.DELTA,
            value=value,
        )

    def adjust(k: int, done: Counter) -> None:
        product_id = ids[k % 3]
        stock_adjust(
            actor=actor,
            channel=Channel.API,
            product_id=product_id,
            delta=ADJUST_DELTAS[k % len(ADJUST_DELTAS)],
        )
        done[("adjust", product_id)] += 1

    def cas_edit(k: int, done: Counter) -> None:
        product_id = ids[k % 3]
        seen = _stock(product_id)
        product_update(
            actor=actor,
            channel=Channel.DASHBOARD,
            product_id=product_id,
            changes={"stock": seen + 2},
            expected_stock=seen,
        )
        done[("edit", product_id)] += 1

    kinds = [order_forward, order_backward, bulk_set, bulk_delta, adjust, cas_edit]

    def writer(i: int) -> Counter:
        done: Counter = Counter()
        for k in range(rounds):
            try:
                kinds[i % len(kinds)](k + i, done)
            except (InsufficientStock, StockWouldGoNegative, StockConflict):
                done["refused"] += 1  # legitimate losers of the race; they wrote nothing
        return done

    outcomes = run_concurrently(writer, 2 * len(kinds))

    assert unexpected_errors(outcomes) == []
    done = sum((o.value for o in outcomes), Counter())
    for product in Product.objects.filter(id__in=ids):
        assert product.stock >= 0
        assert ledger_chain_breaks(product) == []
        assert ledger_reconciles(product)
        movements = StockMovement.objects.filter(product=product)
        assert not movements.filter(stock_after__lt=0).exists()
        by_reason = Counter(movements.values_list("reason", flat=True))
        assert by_reason[MovementReason.ORDER] == done["order"]
        assert by_reason[MovementReason.API] == done[("adjust", product.id)]
        assert by_reason[MovementReason.EDIT] == 1 + done[("edit", product.id)]  # + opening stock
        assert set(
            movements.filter(reason=MovementReason.BULK_SET).values_list("stock_after", flat=True)
        ) <= set(SET_VALUES)
        for delta, after in movements.filter(reason=MovementReason.BULK_DELTA).values_list(
            "delta", "stock_after"
        ):
            assert delta in DELTA_VALUES or (-9 < delta < 0 and after == 0)  # clamped at 0


def test_concurrent_compare_and_set_edits_of_one_stock_level_have_exactly_one_winner():
    company = make_company()[0]
    actor = owner_actor(company)
    product = make_product(company, stock=10)
    writers = 16
    all_read = threading.Barrier(writers)

    def edit(i: int) -> int:
        seen = _stock(product.id)
        all_read.wait(timeout=30)  # every writer has read before any writes
        product_update(
            actor=actor,
            channel=Channel.DASHBOARD,
            product_id=product.id,
            changes={"stock": 100 + i},
            expected_stock=seen,
        )
        return 100 + i

    outcomes = run_concurrently(edit, writers)

    assert unexpected_errors(outcomes, StockConflict) == []
    winners = [o.value for o in outcomes if o.error is None]
    assert len(winners) == 1
    conflicts = [o.error for o in outcomes if o.error is not None]
    assert len(conflicts) == writers - 1
    assert {(e.expected, e.actual) for e in conflicts} == {(10, winners[0])}
    product.refresh_from_db()
    assert product.stock == winners[0]
    edits = StockMovement.objects.filter(product=product).exclude(note="Opening stock")
    assert list(edits.values_list("stock_before", "stock_after")) == [(10, winners[0])]
    assert ledger_chain_breaks(product) == []
    assert ledger_reconciles(product)
