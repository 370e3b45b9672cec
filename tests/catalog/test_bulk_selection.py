"""The rules every bulk action's selection obeys, decided by the services themselves: at least
one product, at most BULK_LIMIT, all of the actor's company; otherwise nothing is written."""

from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from stockline.catalog.errors import BulkSelectionTooLarge, ProductUnavailable
from stockline.catalog.services import (
    BULK_LIMIT,
    BulkMode,
    product_bulk_set_active,
    stock_bulk_adjust,
    stock_bulk_preview,
)
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_product

BULK_ACTIONS = {
    "stock_bulk_adjust": lambda actor, ids: stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=ids, mode=BulkMode.SET, value=7
    ),
    "stock_bulk_preview": lambda actor, ids: stock_bulk_preview(
        actor=actor, product_ids=ids, mode=BulkMode.SET, value=7
    ),
    "product_bulk_set_active": lambda actor, ids: product_bulk_set_active(
        actor=actor, channel=Channel.DASHBOARD, product_ids=ids, is_active=False
    ),
}


@pytest.fixture(params=BULK_ACTIONS)
def bulk_action(request):
    return BULK_ACTIONS[request.param]


def test_bulk_limit_is_ten_thousand_products():
    assert BULK_LIMIT == 10_000


def test_bulk_action_rejects_ids_of_another_company(bulk_action, actor, company):
    other, _ = make_company()
    mine, theirs = make_product(company, stock=5), make_product(other, stock=5)
    before = rows_written()
    with pytest.raises(ProductUnavailable) as refused:
        bulk_action(actor, [mine.id, theirs.id])
    assert (refused.value.product_ids, refused.value.message) == ([theirs.id], "Product not found.")
    assert rows_written() == before


def test_bulk_action_rejects_unknown_ids(bulk_action, actor, company):
    mine, unknown = make_product(company, stock=5), uuid4()
    before = rows_written()
    with pytest.raises(ProductUnavailable) as refused:
        bulk_action(actor, [mine.id, unknown])
    assert refused.value.product_ids == [unknown]
    assert rows_written() == before


def test_bulk_action_rejects_more_products_than_the_bulk_limit(bulk_action, actor, company, monkeypatch):
    monkeypatch.setattr("stockline.catalog.services.BULK_LIMIT", 2)
    products = [make_product(company, stock=5) for _ in range(3)]
    before = rows_written()
    with pytest.raises(BulkSelectionTooLarge) as refused:
        bulk_action(actor, [p.id for p in products])
    assert (refused.value.limit, refused.value.selected) == (2, 3)
    assert refused.value.message == "A bulk action covers at most 2 products. Narrow the selection."
    assert rows_written() == before


def test_bulk_action_counts_a_product_selected_twice_once_against_the_limit(
    bulk_action, actor, company, monkeypatch
):
    monkeypatch.setattr("stockline.catalog.services.BULK_LIMIT", 2)
    a, b = make_product(company, stock=5), make_product(company, stock=5)
    bulk_action(actor, [a.id, b.id, a.id])


def test_bulk_action_rejects_an_empty_selection(bulk_action, actor, company):
    before = rows_written()
    with pytest.raises(ValidationError) as refused:
        bulk_action(actor, [])
    assert refused.value.messages == ["Select at least one product."]
    assert rows_written() == before


def test_bulk_preview_lists_the_changes_by_name_and_writes_nothing(actor, company):
    products = [make_product(company, name=n, stock=s) for n, s in (("Tape", 3), ("Glue", 9), ("Box", 7))]
    before = rows_written()
    plan = stock_bulk_preview(actor=actor, product_ids=[p.id for p in products], mode=BulkMode.SET, value=7)
    assert [(c.name, c.before, c.after) for c in plan.changes] == [("Glue", 9, 7), ("Tape", 3, 7)]
    assert plan.unchanged == 1
    assert rows_written() == before
