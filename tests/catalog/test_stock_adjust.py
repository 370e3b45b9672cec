"""stock_adjust: ± delta (the API's stock-adjustments endpoint), refused below zero."""

from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.errors import ProductUnavailable, StockWouldGoNegative
from stockline.catalog.models import MovementReason, Product
from stockline.catalog.services import stock_adjust
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_product


def adjust(actor, product, delta, channel=Channel.DASHBOARD, note=""):
    return stock_adjust(actor=actor, channel=channel, product_id=product.id, delta=delta, note=note)


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


def test_positive_delta_adds_units(actor, company):
    product = make_product(company, stock=10)
    movement = adjust(actor, product, 5, note="Found a pallet")
    assert stock_of(product) == 15
    assert (movement.stock_before, movement.delta, movement.stock_after) == (10, 5, 15)
    assert movement.note == "Found a pallet"


def test_negative_delta_removes_units(actor, company):
    product = make_product(company, stock=10)
    movement = adjust(actor, product, -10)
    assert stock_of(product) == 0
    assert (movement.stock_before, movement.stock_after) == (10, 0)


def test_adjustment_is_audited_and_linked_to_its_movement(actor, company):
    product = make_product(company, stock=10)
    movement = adjust(actor, product, -3, note="damaged")
    entry = AuditEntry.objects.get(action=AuditAction.STOCK_ADJUSTED)
    assert entry.metadata == {"stock": [10, 7], "delta": -3, "reason": "damaged"}
    assert entry.entity_id == str(product.id)
    assert movement.audit_entry_id == entry.id


def test_api_adjustment_has_reason_api(actor, company):
    movement = adjust(actor, make_product(company, stock=1), 1, channel=Channel.API)
    assert (movement.reason, movement.channel) == (MovementReason.API, Channel.API)


def test_dashboard_adjustment_has_reason_edit(actor, company):
    assert adjust(actor, make_product(company, stock=1), 1).reason == MovementReason.EDIT


def test_adjustment_below_zero_is_refused_and_writes_nothing(actor, company):
    product = make_product(company, name="Gasket", stock=3)
    before = rows_written()
    with pytest.raises(StockWouldGoNegative) as info:
        adjust(actor, product, -4)
    assert info.value.message == "Cannot adjust stock of Gasket by -4: only 3 in stock."
    assert (info.value.stock, info.value.delta) == (3, -4)
    assert rows_written() == before


def test_zero_delta_is_refused(actor, company):
    product = make_product(company, stock=3)
    before = rows_written()
    with pytest.raises(ValidationError):
        adjust(actor, product, 0)
    assert rows_written() == before


def test_product_of_another_company_is_unavailable(actor):
    other, _ = make_company()
    theirs = make_product(other, stock=3)
    before = rows_written()
    with pytest.raises(ProductUnavailable):
        adjust(actor, theirs, 1)
    assert rows_written() == before


def test_unknown_product_is_unavailable(actor):
    with pytest.raises(ProductUnavailable):
        stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=uuid4(), delta=1)
