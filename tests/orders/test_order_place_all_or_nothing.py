"""SPEC §2.3 and the seed: either the whole order succeeds and every product's stock drops,
or nothing happens — no order, line, stock change, ledger row, audit entry or email job."""

import pytest

from stockline.catalog.errors import InsufficientStock, ProductUnavailable
from stockline.core.channels import Channel
from stockline.notifications.models import LowStockAlert
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_customer, make_product, place


def test_order_rejected_when_any_line_exceeds_stock_changes_nothing(company):
    # Every line but one would succeed and drop its product into low stock, so a partial
    # write would leave an order, lines, decremented stock, movements, an audit entry and
    # a low-stock alert with its email job behind.
    buyer = make_customer(company)
    fine = [make_product(company, name=f"Fine {i}", stock=6) for i in range(3)]
    short = make_product(company, name="Short", stock=2)
    items = [(fine[0], 5), (short, 3), (fine[1], 5), (fine[2], 6)]
    before = rows_written()

    with pytest.raises(InsufficientStock) as info:
        place(company, items, channel=Channel.STOREFRONT, customer=buyer)

    assert info.value.messages == ["Not enough stock for Short. Only 2 available."]
    after = rows_written()
    assert after["orders"] == before["orders"]
    assert after["order_lines"] == before["order_lines"]
    assert after["movements"] == before["movements"]
    assert after["audit_entries"] == before["audit_entries"]
    assert after["low_stock_alerts"] == before["low_stock_alerts"] == 0
    assert after["jobs"] == before["jobs"] == 0
    assert after["products"] == before["products"]  # stock, and updated_at, untouched
    assert after == before


def test_the_same_order_without_the_short_line_goes_through(company):
    """Control for the test above: the other lines really would have written everything."""
    buyer = make_customer(company)
    fine = [make_product(company, stock=6) for _ in range(3)]
    before = rows_written()
    place(company, [(fine[0], 5), (fine[1], 5), (fine[2], 6)], channel=Channel.STOREFRONT, customer=buyer)
    after = rows_written()
    assert after["orders"] == before["orders"] + 1
    assert after["order_lines"] == before["order_lines"] + 3
    assert after["movements"] == before["movements"] + 3
    assert after["audit_entries"] == before["audit_entries"] + 1
    assert (after["low_stock_alerts"], after["jobs"]) == (1, 1)


def test_order_with_a_foreign_product_after_decrementable_lines_changes_nothing(company):
    other, _ = make_company()
    mine = [make_product(company, stock=10) for _ in range(2)]
    theirs = make_product(other, stock=10)
    before = rows_written()
    with pytest.raises(ProductUnavailable):
        place(company, [(mine[0], 1), (theirs, 1), (mine[1], 1)])
    assert rows_written() == before


def test_order_with_an_inactive_product_changes_nothing(company):
    live = make_product(company, stock=10)
    retired = make_product(company, stock=10, is_active=False)
    before = rows_written()
    with pytest.raises(ProductUnavailable):
        place(company, [(live, 1), (retired, 1)], channel=Channel.API)
    assert rows_written() == before


def test_rejected_storefront_order_owes_no_low_stock_email(company):
    buyer = make_customer(company)
    product = make_product(company, stock=3)
    with pytest.raises(InsufficientStock):
        place(company, [(product, 4)], channel=Channel.STOREFRONT, customer=buyer)
    assert not LowStockAlert.objects.exists()
