"""A consumer tailing the event feed while writers change stock sees every committed event once.

Writers place orders and adjust stock (stock_adjust, stock_bulk_adjust Set and Delta) on a
few shared products; a reader numbers the committed events (events_number) and pages the
company's feed after its cursor (events_after), as the feed endpoint does. Events commit in
any order, so only numbering after commit keeps the feed gapless (events.feed). PostgreSQL
only: on SQLite every writer waits for the whole database, so nothing commits out of order.
"""

import random
import threading
import time
from collections import defaultdict

import pytest

from stockline.catalog.errors import InsufficientStock, StockWouldGoNegative
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import Product
from stockline.catalog.services import BulkMode, stock_adjust, stock_bulk_adjust
from stockline.core.channels import Channel
from stockline.events.feed import events_after, events_number
from stockline.events.models import Event, EventType
from tests.concurrency.support import ledger_chain_breaks, run_concurrently, unexpected_errors
from tests.conftest import requires_postgres
from tests.factories import make_company, make_product, owner_actor, place

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8
PRODUCTS = 4
# How long the writers run (support.THREAD_TIMEOUT is the limit); the test takes a few seconds more.
WRITE_SECONDS = 20
PAGE = 100


def test_a_reader_tailing_the_feed_sees_every_committed_event_exactly_once_in_position_order():
    company = make_company()[0]
    actor = owner_actor(company)
    products = [make_product(company, stock=50) for _ in range(PRODUCTS)]
    ids = [p.id for p in products]
    deadline = time.monotonic() + WRITE_SECONDS
    writers_left = threading.Semaphore(0)  # released once by each writer when it stops

    def order(rng: random.Random) -> None:
        chosen = rng.sample(products, rng.randint(1, 3))
        place(company, [(p, rng.randint(1, 3)) for p in chosen])

    def adjust(rng: random.Random) -> None:
        delta = rng.choice((-4, -2, 3, 6))
        stock_adjust(actor=actor, channel=Channel.API, product_id=rng.choice(ids), delta=delta)

    def bulk_set(rng: random.Random) -> None:
        chosen = rng.sample(ids, rng.randint(1, PRODUCTS))
        stock_bulk_adjust(
            actor=actor,
            channel=Channel.DASHBOARD,
            product_ids=chosen,
            mode=BulkMode.SET,
            value=rng.randint(20, 60),
        )

    def bulk_delta(rng: random.Random) -> None:
        chosen = rng.sample(ids, rng.randint(1, PRODUCTS))
        value = rng.choice((-7, 5))  # -7 on a low product clamps at 0
        stock_bulk_adjust(
            actor=actor, channel=Channel.DASHBOARD, product_ids=chosen, mode=BulkMode.DELTA, value=value
        )

    kinds = (order, order, adjust, bulk_set, bulk_delta)

    def writer(i: int) -> int:
        rng = random.Random(i)
        writes = 0
        try:
            while time.monotonic() < deadline:
                try:
                    rng.choice(kinds)(rng)
                    writes += 1
                except (InsufficientStock, StockWouldGoNegative):
                    pass  # a refused change writes nothing, so it has no event
        finally:
            writers_left.release()
        return writes

    def reader() -> tuple[list, list[int]]:
        seen_ids, seen_positions, cursor = [], [], 0

        def read() -> int:
            """Number what has committed, then page the feed up to its end; how many it numbered."""
            nonlocal cursor
            numbered = events_number()
            more = True
            while more:
                page, more = events_after(company_id=company.id, after=cursor, limit=PAGE)
                for event in page:
                    seen_ids.append(event.id)
                    seen_positions.append(event.position)
                if page:
                    cursor = page[-1].position
            return numbered

        stopped = 0
        while stopped < WRITERS:
            read()
            while writers_left.acquire(blocking=False):
                stopped += 1
        while read():  # drain what the last writes committed
            pass
        return seen_ids, seen_positions

    def run(i: int):
        return reader() if i == WRITERS else writer(i)

    outcomes = run_concurrently(run, WRITERS + 1)

    assert unexpected_errors(outcomes) == []
    assert all(o.value > 0 for o in outcomes[:WRITERS])
    seen_ids, seen_positions = outcomes[WRITERS].value
    assert not Event.objects.filter(position__isnull=True).exists()
    feed = list(Event.objects.filter(company=company).order_by("position").values_list("id", "position"))
    assert seen_ids == [event_id for event_id, _ in feed]  # no gap, no duplicate, in order
    assert seen_positions == list(range(1, len(feed) + 1))
    assert list(Event.objects.order_by("position").values_list("position", flat=True)) == list(
        range(1, Event.objects.count() + 1)
    )
    versions = defaultdict(list)  # product id -> versions, in feed order
    for data in (
        Event.objects.filter(type=EventType.STOCK_CHANGED).order_by("position").values_list("data", flat=True)
    ):
        versions[data["productId"]].append(data["version"])
    assert len(feed) > 100 * PRODUCTS  # the race really ran
    for product in Product.objects.filter(id__in=ids):
        assert versions[str(product.id)] == list(range(1, product.version + 1))
        assert product.movements.count() == product.version
        assert ledger_chain_breaks(product) == []
        assert ledger_reconciles(product)
