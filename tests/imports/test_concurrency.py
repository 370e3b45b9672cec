"""An apply and a sale at the same time: the sale waits for the import's locks, then sells from
the imported stock; nothing is overwritten and the ledger stays one chain. Real threads."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.imports import services
from tests.concurrency.conftest import thread_safe_database  # noqa: F401 (autouse: a database threads share)
from tests.factories import make_company, make_product, owner_actor, place
from tests.imports.support import csv_bytes, import_now, row

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 20


def test_an_order_during_an_apply_waits_for_it_and_sells_from_the_imported_stock(monkeypatch):
    company = make_company()[0]
    actor = owner_actor(company)
    product = make_product(company, sku="P", name="Pump", price=Decimal("9.99"), stock=10)
    writing, release = threading.Event(), threading.Event()
    finish = services._Writer.finish

    def finish_when_released(writer):
        writing.set()  # the import holds its locks, its rows written, its transaction open
        assert release.wait(WAIT)
        return finish(writer)

    monkeypatch.setattr(services._Writer, "finish", finish_when_released)
    outcomes: dict[str, object] = {}

    def run(name, work):
        try:
            outcomes[name] = work()
        except Exception as exc:  # asserted below
            outcomes[name] = exc
        finally:
            connection.close()

    importer = threading.Thread(
        target=run,
        args=("import", lambda: import_now(actor, csv_bytes([row("P", "Pump", stock="50"), row("NEW")]))),
    )
    buyer = threading.Thread(
        target=run, args=("order", lambda: writing.wait(WAIT) and place(company, [(product, 3)]))
    )
    importer.start()
    buyer.start()
    assert writing.wait(WAIT)
    time.sleep(0.5)
    assert buyer.is_alive(), "the order did not wait for the import"
    release.set()
    importer.join(WAIT)
    buyer.join(WAIT)

    assert not isinstance(outcomes["import"], Exception), outcomes["import"]
    assert not isinstance(outcomes["order"], Exception), outcomes["order"]
    product.refresh_from_db()
    assert product.stock == 47
    moves = list(StockMovement.objects.filter(product=product).order_by("created_at", "id"))
    assert [(m.reason, m.stock_before, m.stock_after) for m in moves] == [
        (MovementReason.EDIT, 0, 10),
        (MovementReason.IMPORT, 10, 50),
        (MovementReason.ORDER, 50, 47),
    ]
    assert ledger_reconciles(product)
    assert Product.objects.filter(company=company, sku="NEW").exists()
