"""Batch stock syncs racing orders on the same SKUs (issue 15), PostgreSQL: no lost update,
no deadlock (every writer locks products in primary-key order, whatever order a batch lists
its SKUs in), and every product's ledger reconciles with its stock.

Each thread runs delta batches (atomic and not, SKUs in a random order) or orders for a
fixed time; every applied delta and every order is counted, so the final stock of each
product must be its opening stock plus every applied delta minus every ordered unit.
"""

import random
import time
from collections import Counter

import pytest

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import Product
from stockline.catalog.sync import SyncItem, SyncMode, SyncRejected, stock_sync
from stockline.core.channels import Channel
from tests.concurrency.support import ledger_chain_breaks, run_concurrently, unexpected_errors
from tests.conftest import requires_postgres
from tests.factories import make_company, make_product, owner_actor, place

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
PRODUCTS = 6
SECONDS = 8
OPENING = 200


def test_concurrent_batches_and_orders_lose_no_update_and_never_deadlock():
    company = make_company()[0]
    actor = owner_actor(company)
    products = [make_product(company, sku=f"RACE-{i}", stock=OPENING) for i in range(PRODUCTS)]
    deadline = time.monotonic() + SECONDS

    def syncer(rng: random.Random) -> Counter:
        chosen = rng.sample(products, rng.randint(2, PRODUCTS))  # a random order: not pk order
        deltas = {p.sku: rng.choice((-5, -1, 2, 4)) for p in chosen}
        atomic = rng.random() < 0.5
        try:
            outcome = stock_sync(
                actor=actor,
                channel=Channel.API,
                mode=SyncMode.DELTA,
                atomic=atomic,
                items=[SyncItem(value=d, sku=sku) for sku, d in deltas.items()],
            )
        except SyncRejected:
            return Counter()
        return Counter({r.sku: deltas[r.sku] for r in outcome.results if r.error is None})

    def orderer(rng: random.Random) -> Counter:
        chosen = rng.sample(products, rng.randint(1, 3))
        lines = [(p, rng.randint(1, 3)) for p in chosen]
        try:
            place(company, lines)
        except InsufficientStock:
            return Counter()
        return Counter({p.sku: -q for p, q in lines})

    def run(i: int) -> tuple[Counter, int]:
        rng = random.Random(i)
        applied, writes = Counter(), 0
        while time.monotonic() < deadline:
            applied.update((syncer if i % 2 else orderer)(rng))
            writes += 1
        return applied, writes

    outcomes = run_concurrently(run, THREADS)

    assert unexpected_errors(outcomes) == []  # a deadlock would surface here as an error
    total = Counter()
    for outcome in outcomes:
        applied, writes = outcome.value
        assert writes > 10  # every thread really ran
        total.update(applied)
    for product in Product.objects.filter(id__in=[p.id for p in products]):
        assert product.stock == OPENING + total[product.sku]  # no update lost
        assert ledger_chain_breaks(product) == []
        assert ledger_reconciles(product)
        assert product.movements.count() == product.version
