"""SPEC §2 adjustment 1 and 4: editing a product (dashboard or API PATCH)."""

from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError

from stockline.accounts.models import Role
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.errors import ProductUnavailable, StockConflict
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_member, make_product, owner_actor


def update(actor, product, channel=Channel.DASHBOARD, **changes):
    expected_stock = changes.pop("expected_stock", None)
    return product_update(
        actor=actor, channel=channel, product_id=product.id, changes=changes, expected_stock=expected_stock
    )


def assert_refused(actor, product, error, **changes):
    before = rows_written()
    with pytest.raises(error) as info:
        update(actor, product, **changes)
    assert rows_written() == before
    return info.value


def test_stock_edit_writes_product_updated_with_before_and_after(actor, company, owner):
    product = make_product(company, stock=10)
    update(actor, product, stock=7)
    assert Product.objects.get(id=product.id).stock == 7
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_UPDATED)
    assert entry.metadata == {"changes": {"stock": [10, 7]}}
    assert (entry.entity_id, entry.actor_type, entry.actor_user_id) == (
        str(product.id),
        "USER",
        owner.user_id,
    )


def test_stock_edit_writes_an_edit_movement_linked_to_the_audit_entry(actor, company):
    product = make_product(company, stock=10)
    update(actor, product, stock=14)
    movement = StockMovement.objects.filter(product=product).latest("created_at", "id")
    assert (movement.stock_before, movement.delta, movement.stock_after) == (10, 4, 14)
    assert (movement.reason, movement.channel) == (MovementReason.EDIT, Channel.DASHBOARD)
    assert movement.audit_entry_id == AuditEntry.objects.get(action=AuditAction.PRODUCT_UPDATED).id


def test_stock_edit_through_the_api_is_logged_with_reason_api(actor, company):
    product = make_product(company, stock=10)
    update(actor, product, channel=Channel.API, stock=3)
    movement = StockMovement.objects.get(product=product, audit_entry__action=AuditAction.PRODUCT_UPDATED)
    assert (movement.reason, movement.channel, movement.delta) == (MovementReason.API, Channel.API, -7)


def test_non_stock_edit_is_audited_without_a_movement(actor, company):
    product = make_product(company, name="Old", price=Decimal("1.00"), stock=10)
    update(actor, product, name="New", price=Decimal("2.50"))
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_UPDATED)
    assert entry.metadata == {"changes": {"name": ["Old", "New"], "price": ["1.00", "2.50"]}}
    assert StockMovement.objects.filter(product=product).count() == 1  # the opening stock only


def test_update_changes_only_the_given_fields(actor, company):
    product = make_product(company, name="Keep", sku="K-1", category="Cat", stock=9)
    update(actor, product, description="new text")
    stored = Product.objects.get(id=product.id)
    assert (stored.name, stored.sku, stored.category, stored.stock, stored.description) == (
        "Keep",
        "K-1",
        "Cat",
        9,
        "new text",
    )


def test_update_with_the_same_values_writes_nothing(actor, company):
    product = make_product(company, name="Same", sku="S-1", stock=10, price=Decimal("4.00"))
    before = rows_written()
    update(actor, product, name="Same", sku="S-1", stock=10, price=Decimal("4.00"))
    assert rows_written() == before


def test_update_with_no_changes_writes_nothing(actor, company):
    product = make_product(company)
    before = rows_written()
    update(actor, product)
    assert rows_written() == before


def test_expected_stock_matching_sets_the_stock(actor, company):
    product = make_product(company, stock=10)
    update(actor, product, stock=25, expected_stock=10)
    assert Product.objects.get(id=product.id).stock == 25


def test_expected_stock_mismatch_raises_stock_conflict_and_writes_nothing(actor, company):
    product = make_product(company, stock=10)
    error = assert_refused(actor, product, StockConflict, stock=25, name="Renamed", expected_stock=12)
    assert (error.expected, error.actual, error.product_id) == (12, 10, product.id)
    assert error.message == "Stock changed: expected 12, but it is now 10."


def test_expected_stock_compares_against_the_current_stock_not_the_callers_copy(actor, company):
    product = make_product(company, stock=10)
    update(actor, product, stock=8)  # someone else's edit since the caller read 10
    assert_refused(actor, product, StockConflict, stock=50, expected_stock=10)
    assert Product.objects.get(id=product.id).stock == 8


def test_product_of_another_company_is_unavailable_and_untouched(actor):
    other, _ = make_company()
    foreign = make_product(other, stock=5, name="Theirs")
    error = assert_refused(actor, foreign, ProductUnavailable, stock=0, name="Mine now")
    assert error.product_ids == [foreign.id]
    assert error.message == "Product not found."


def test_unknown_product_is_unavailable(actor):
    with pytest.raises(ProductUnavailable):
        product_update(actor=actor, channel=Channel.DASHBOARD, product_id=uuid4(), changes={"stock": 1})


def test_unknown_field_is_a_validation_error(actor, company):
    product = make_product(company)
    error = assert_refused(actor, product, ValidationError, company_id=uuid4())
    assert "company_id" in error.message_dict


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("name", ""),
        ("name", "n" * 201),
        ("sku", "s" * 101),
        ("description", "d" * 2001),
        ("category", "c" * 101),
        ("unit", "u" * 21),
        ("price", Decimal("-1")),
        ("price", Decimal("0.001")),
        ("stock", -1),
        ("stock", 2.5),
        ("low_stock_threshold", -1),
        ("low_stock_threshold", 0.5),
    ],
)
def test_invalid_field_value_is_a_validation_error_and_writes_nothing(actor, company, field_name, value):
    product = make_product(company, stock=10)
    error = assert_refused(actor, product, ValidationError, **{field_name: value})
    assert field_name in error.message_dict


def test_changing_sku_to_one_taken_in_the_company_is_refused(actor, company):
    make_product(company, sku="TAKEN")
    product = make_product(company, sku="FREE")
    error = assert_refused(actor, product, ValidationError, sku="TAKEN", stock=1)
    assert error.message_dict == {"sku": ["A product with this SKU already exists."]}


def test_changing_sku_to_one_used_by_another_company_is_fine(actor, company):
    other, _ = make_company()
    make_product(other, sku="THEIRS")
    product = make_product(company, sku="MINE")
    assert update(actor, product, sku="THEIRS").sku == "THEIRS"


def test_clearing_the_sku_stores_null(actor, company):
    make_product(company, sku=None)
    product = make_product(company, sku="CLEAR-ME")
    update(actor, product, sku="")
    assert Product.objects.get(id=product.id).sku is None


def test_clearing_the_threshold_override_falls_back_to_company_default(actor, company):
    product = make_product(company, stock=4, low_stock_threshold=2)
    update(actor, product, low_stock_threshold=None)
    stored = Product.objects.select_related("company").get(id=product.id)
    assert (stored.low_stock_threshold, stored.effective_threshold, stored.stock_status) == (
        None,
        5,
        "LOW_STOCK",
    )


def test_negative_stock_is_a_validation_error_not_a_clamp(actor, company):
    product = make_product(company, stock=3)
    assert_refused(actor, product, ValidationError, stock=-2)
    assert Product.objects.get(id=product.id).stock == 3


def test_member_may_edit_products(company):
    product = make_product(company, stock=1)
    update(Actor.staff(make_member(company, Role.MEMBER)), product, stock=2)
    assert Product.objects.get(id=product.id).stock == 2


def test_returned_product_carries_the_new_values(company):
    product = make_product(company, stock=1)
    updated = update(owner_actor(company), product, stock=6, name="Fresh")
    assert (updated.stock, updated.name) == (6, "Fresh")
