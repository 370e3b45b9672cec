"""SPEC §1 Product fields through product_create: rules, audit and the opening ledger row."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stockline.accounts.models import Role
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_member, make_product


def create(actor, **fields):
    data = {"name": "Widget", "price": Decimal("9.99")} | fields
    return product_create(actor=actor, channel=Channel.DASHBOARD, **data)


def assert_refused(actor, field_name, **fields):
    before = rows_written()
    with pytest.raises(ValidationError) as info:
        create(actor, **fields)
    assert field_name in info.value.message_dict
    assert rows_written() == before


def test_create_stores_every_field(actor):
    product = create(
        actor,
        name="Bolt M8",
        sku="BOLT-8",
        description="Zinc plated",
        category="Fasteners",
        unit="box",
        price=Decimal("12.50"),
        stock=40,
        low_stock_threshold=10,
        is_active=False,
    )
    stored = Product.objects.get(id=product.id)
    assert (stored.name, stored.sku, stored.description, stored.category, stored.unit) == (
        "Bolt M8",
        "BOLT-8",
        "Zinc plated",
        "Fasteners",
        "box",
    )
    assert (stored.price, stored.stock, stored.low_stock_threshold, stored.is_active) == (
        Decimal("12.50"),
        40,
        10,
        False,
    )
    assert stored.company_id == actor.company_id


def test_create_defaults_unit_each_stock_zero_active_and_company_threshold(actor):
    product = create(actor)
    assert (product.unit, product.stock, product.is_active, product.low_stock_threshold) == (
        "each",
        0,
        True,
        None,
    )


def test_create_writes_product_created_audit_entry_with_values(actor, owner):
    product = create(actor, sku="W-1", price=Decimal("3.10"), stock=7)
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_CREATED)
    assert (entry.entity_type, entry.entity_id, entry.channel) == ("product", str(product.id), "DASHBOARD")
    assert (entry.actor_type, entry.actor_user_id) == ("USER", owner.user_id)
    assert entry.metadata["sku"] == "W-1"
    assert entry.metadata["price"] == "3.10"
    assert entry.metadata["stock"] == 7


def test_opening_stock_is_the_first_ledger_row(actor):
    product = create(actor, stock=25)
    movement = StockMovement.objects.get(product=product)
    assert (movement.stock_before, movement.delta, movement.stock_after) == (0, 25, 25)
    assert movement.reason == MovementReason.EDIT
    assert movement.audit_entry_id == AuditEntry.objects.get(action=AuditAction.PRODUCT_CREATED).id


def test_opening_stock_through_the_api_is_logged_with_reason_api(actor):
    product = product_create(actor=actor, channel=Channel.API, name="A", price=Decimal("1"), stock=3)
    assert StockMovement.objects.get(product=product).reason == MovementReason.API


@pytest.mark.parametrize("name", ["", "x" * 201])
def test_name_must_be_1_to_200_characters(actor, name):
    assert_refused(actor, "name", name=name)


def test_name_of_200_characters_is_accepted(actor):
    assert create(actor, name="x" * 200).name == "x" * 200


def test_sku_longer_than_100_characters_is_refused(actor):
    assert_refused(actor, "sku", sku="S" * 101)


def test_sku_of_100_characters_is_accepted(actor):
    assert create(actor, sku="S" * 100).sku == "S" * 100


def test_sku_is_unique_within_a_company(actor):
    create(actor, sku="DUP-1")
    assert_refused(actor, "sku", sku="DUP-1")
    assert Product.objects.filter(sku="DUP-1").count() == 1


def test_same_sku_is_fine_in_two_companies(actor):
    other, _ = make_company()
    create(actor, sku="SHARED")
    make_product(other, sku="SHARED")
    assert Product.objects.filter(sku="SHARED").count() == 2


@pytest.mark.parametrize("empty", ["", None, "   "])
def test_empty_sku_is_stored_as_null_and_many_are_allowed(actor, empty):
    first = create(actor, sku=empty)
    second = create(actor, sku=empty)
    assert Product.objects.filter(id__in=[first.id, second.id], sku__isnull=True).count() == 2


def test_description_longer_than_2000_characters_is_refused(actor):
    assert_refused(actor, "description", description="d" * 2001)


def test_description_of_2000_characters_is_accepted(actor):
    assert len(create(actor, description="d" * 2000).description) == 2000


def test_category_longer_than_100_characters_is_refused(actor):
    assert_refused(actor, "category", category="c" * 101)


def test_unit_longer_than_20_characters_is_refused(actor):
    assert_refused(actor, "unit", unit="u" * 21)


@pytest.mark.parametrize("unit", ["drum", "u" * 20])
def test_any_unit_string_up_to_20_characters_is_accepted(actor, unit):
    assert Product.objects.get(id=create(actor, unit=unit).id).unit == unit


def test_duplicate_sku_error_names_the_sku_field(actor):
    create(actor, sku="DUP-2")
    with pytest.raises(ValidationError) as info:
        create(actor, sku="DUP-2")
    assert info.value.message_dict == {"sku": ["A product with this SKU already exists."]}


@pytest.mark.parametrize("price", [Decimal("-0.01"), Decimal("1.234"), None, "abc"])
def test_price_must_be_a_non_negative_amount_with_two_decimals(actor, price):
    assert_refused(actor, "price", price=price)


def test_price_zero_is_accepted(actor):
    assert create(actor, price=Decimal("0")).price == Decimal("0")


@pytest.mark.parametrize("stock", [-1, 1.5, Decimal("2.5"), "many"])
def test_stock_must_be_a_whole_number_of_zero_or_more(actor, stock):
    assert_refused(actor, "stock", stock=stock)


@pytest.mark.parametrize("threshold", [-1, 2.5])
def test_threshold_override_must_be_a_whole_number_of_zero_or_more(actor, threshold):
    assert_refused(actor, "low_stock_threshold", low_stock_threshold=threshold)


def test_threshold_override_zero_is_stored_as_zero_not_empty(actor):
    product = create(actor, low_stock_threshold=0)
    assert Product.objects.get(id=product.id).low_stock_threshold == 0


def test_member_may_create_products(company):
    member = make_member(company, Role.MEMBER)
    assert create(Actor.staff(member)).company_id == company.id


def test_customer_may_not_create_products(company):
    from stockline.accounts.permissions import PermissionDenied
    from tests.factories import make_customer

    with pytest.raises(PermissionDenied):
        create(Actor.customer(make_customer(company)))


def test_database_refuses_negative_stock_written_directly(actor):
    product = create(actor, stock=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(id=product.id).update(stock=-1)
    assert Product.objects.get(id=product.id).stock == 2


def test_database_refuses_negative_stock_saved_directly(actor):
    product = create(actor, stock=2)
    product.stock = -5
    with pytest.raises(IntegrityError), transaction.atomic():
        product.save(update_fields=["stock"])
