"""SPEC §2 Placing an order: merge, validate, decrement, ledger, audit — one service, every channel."""

from decimal import Decimal
from uuid import uuid4

import pytest

from stockline.accounts.models import Role
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.errors import InsufficientStock, ProductUnavailable
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from stockline.customers.models import CustomerStatus
from stockline.orders.errors import OrderError
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order
from stockline.orders.services import OrderInvalid, OrderLineInput, order_place
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_customer, make_member, make_product, owner_actor, place


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


def assert_refused(company, items, error, **kwargs):
    before = rows_written()
    with pytest.raises(error) as info:
        place(company, items, **kwargs)
    assert rows_written() == before
    return info.value


def test_order_decrements_stock_of_every_line(company):
    a = make_product(company, stock=10)
    b = make_product(company, stock=4)
    place(company, [(a, 3), (b, 4)])
    assert (stock_of(a), stock_of(b)) == (7, 0)


def test_order_for_exactly_the_stock_succeeds_and_leaves_zero(company):
    product = make_product(company, stock=6)
    place(company, [(product, 6)])
    assert stock_of(product) == 0


def test_new_order_is_submitted_with_its_channel_and_details(company, owner):
    product = make_product(company, stock=5)
    order = place(company, [(product, 1)], po_number="  PO-77  ", notes="Back door")
    stored = Order.objects.get(id=order.id)
    assert (stored.status, stored.channel, stored.po_number, stored.notes) == (
        OrderStatus.SUBMITTED,
        Channel.DASHBOARD,
        "PO-77",
        "Back door",
    )
    assert (stored.placed_by_user_id, stored.customer_id, stored.company_id) == (
        owner.user_id,
        None,
        company.id,
    )


def test_lines_of_the_same_product_are_merged_into_one(company):
    product = make_product(company, stock=10)
    order = place(company, [(product, 2), (product, 3)])
    line = order.lines.get()
    assert line.quantity == 5
    assert stock_of(product) == 5
    assert StockMovement.objects.get(order=order).delta == -5


def test_merged_lines_are_checked_against_stock_together(company):
    product = make_product(company, name="Pallet wrap", stock=5)
    error = assert_refused(company, [(product, 3), (product, 3)], InsufficientStock)
    assert error.messages == ["Not enough stock for Pallet wrap. Only 5 available."]
    assert error.lines[0].requested == 6


def test_empty_order_is_invalid(company):
    error = assert_refused(company, [], OrderInvalid)
    assert error.message == "At least one item is required"


@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_below_one_is_invalid(company, quantity):
    product = make_product(company, stock=5)
    error = assert_refused(company, [(product, quantity)], OrderInvalid)
    assert error.message == "quantity must be at least 1"


@pytest.mark.parametrize("quantity", [1.5, 2.0, "2", None, True, Decimal("1")])
def test_quantity_that_is_not_a_whole_number_is_invalid(company, quantity):
    product = make_product(company, stock=5)
    error = assert_refused(company, [(product, quantity)], OrderInvalid)
    assert error.message == "quantity must be a whole number"


def test_one_invalid_quantity_refuses_the_whole_order(company):
    good = make_product(company, stock=5)
    bad = make_product(company, stock=5)
    assert_refused(company, [(good, 1), (bad, 0)], OrderInvalid)


def test_product_of_another_company_is_unavailable_and_nothing_is_written(company):
    other, _ = make_company()
    mine = make_product(company, stock=5)
    theirs = make_product(other, stock=5)
    error = assert_refused(company, [(mine, 1), (theirs, 1)], ProductUnavailable)
    assert error.product_ids == [theirs.id]
    assert error.message == "Product not found."
    assert (stock_of(mine), stock_of(theirs)) == (5, 5)


def test_unknown_product_is_unavailable(company):
    mine = make_product(company, stock=5)
    before = rows_written()
    with pytest.raises(ProductUnavailable):
        order_place(
            actor=owner_actor(company),
            channel=Channel.DASHBOARD,
            lines=[
                OrderLineInput(product_id=mine.id, quantity=1),
                OrderLineInput(product_id=uuid4(), quantity=1),
            ],
        )
    assert rows_written() == before


def test_inactive_product_is_refused(company):
    active = make_product(company, stock=5)
    retired = make_product(company, name="Old model", stock=5, is_active=False)
    error = assert_refused(company, [(active, 1), (retired, 1)], ProductUnavailable)
    assert error.message == "Old model is no longer available."
    assert error.product_ids == [retired.id]
    assert error.missing is False


def test_short_line_gets_the_exact_message(company):
    product = make_product(company, name="Copper pipe", stock=2)
    error = assert_refused(company, [(product, 3)], InsufficientStock)
    assert str(error) == "Not enough stock for Copper pipe. Only 2 available."
    assert error.message == "Not enough stock for Copper pipe. Only 2 available."


def test_out_of_stock_product_says_only_0_available(company):
    product = make_product(company, name="Sold out", stock=0)
    error = assert_refused(company, [(product, 1)], InsufficientStock)
    assert error.message == "Not enough stock for Sold out. Only 0 available."


def test_insufficient_stock_lists_every_short_line(company):
    short_a = make_product(company, name="Alpha", stock=1)
    fine = make_product(company, name="Beta", stock=50)
    short_c = make_product(company, name="Gamma", stock=0)
    error = assert_refused(company, [(short_a, 2), (fine, 5), (short_c, 4)], InsufficientStock)
    assert {(line.product_id, line.requested, line.available) for line in error.lines} == {
        (short_a.id, 2, 1),
        (short_c.id, 4, 0),
    }
    assert sorted(error.messages) == [
        "Not enough stock for Alpha. Only 1 available.",
        "Not enough stock for Gamma. Only 0 available.",
    ]
    assert error.message == error.messages[0]


def test_lines_freeze_name_sku_and_price_at_placement(company, actor):
    product = make_product(company, name="Blue tape", sku="TAPE-B", price=Decimal("4.25"), stock=10)
    order = place(company, [(product, 2)])
    product_update(
        actor=actor,
        channel=Channel.DASHBOARD,
        product_id=product.id,
        changes={"name": "Navy tape", "sku": "TAPE-N", "price": Decimal("9.99")},
    )
    line = Order.objects.get(id=order.id).lines.get()
    assert (line.product_name, line.product_sku, line.unit_price) == ("Blue tape", "TAPE-B", Decimal("4.25"))
    assert Order.objects.get(id=order.id).total == Decimal("8.50")


def test_total_is_the_sum_of_quantity_times_price(company):
    a = make_product(company, price=Decimal("10.50"), stock=10)
    b = make_product(company, price=Decimal("0.99"), stock=10)
    c = make_product(company, price=Decimal("0"), stock=10)
    order = place(company, [(a, 2), (b, 3), (c, 7)])
    assert Order.objects.get(id=order.id).total == Decimal("23.97")
    assert sum(line.line_total for line in order.lines.all()) == Decimal("23.97")


def test_order_numbers_count_up_per_company_independently(company):
    other, _ = make_company()
    mine = make_product(company, stock=100)
    theirs = make_product(other, stock=100)
    numbers = [
        place(company, [(mine, 1)]).number,
        place(company, [(mine, 1)]).number,
        place(other, [(theirs, 1)]).number,
        place(company, [(mine, 1)]).number,
        place(other, [(theirs, 1)]).number,
    ]
    assert numbers == [1, 2, 1, 3, 2]


def test_refused_order_does_not_use_up_an_order_number(company):
    product = make_product(company, stock=1)
    assert_refused(company, [(product, 2)], InsufficientStock)
    assert place(company, [(product, 1)]).number == 1


def test_order_refused_after_taking_some_lines_does_not_use_up_an_order_number(company):
    plenty, short = make_product(company, stock=10), make_product(company, stock=1)
    assert_refused(company, [(plenty, 1), (short, 2)], InsufficientStock)
    assert_refused(company, [(short, 2), (plenty, 1)], InsufficientStock)
    assert place(company, [(plenty, 1)]).number == 1


def test_display_number_is_zero_padded(company):
    order = place(company, [(make_product(company), 1)])
    assert order.display_number == "#00001"


def test_each_line_writes_an_order_movement_with_before_and_after(company, owner):
    a = make_product(company, stock=10)
    b = make_product(company, stock=3)
    order = place(company, [(a, 4), (b, 3)])
    movements = {m.product_id: m for m in StockMovement.objects.filter(order=order)}
    assert (movements[a.id].stock_before, movements[a.id].delta, movements[a.id].stock_after) == (10, -4, 6)
    assert (movements[b.id].stock_before, movements[b.id].delta, movements[b.id].stock_after) == (3, -3, 0)
    for m in movements.values():
        assert (m.reason, m.channel, m.actor_type, m.actor_user_id) == (
            MovementReason.ORDER,
            Channel.DASHBOARD,
            "USER",
            owner.user_id,
        )


def test_order_placed_is_audited_with_the_actor(company, owner):
    product = make_product(company, sku="AUD-1", price=Decimal("2.00"), stock=10)
    order = place(company, [(product, 3)])
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_PLACED)
    assert (entry.entity_type, entry.entity_id, entry.channel) == ("order", str(order.id), "DASHBOARD")
    assert (entry.actor_type, entry.actor_user_id, entry.actor_label) == (
        "USER",
        owner.user_id,
        owner.user.name,
    )
    assert entry.metadata["number"] == order.number
    assert entry.metadata["total"] == "6.00"
    assert entry.metadata["lines"] == [{"product": str(product.id), "sku": "AUD-1", "quantity": 3}]
    assert set(StockMovement.objects.filter(order=order).values_list("audit_entry_id", flat=True)) == {
        entry.id
    }


def test_customer_order_is_audited_with_the_customer_as_actor(company):
    buyer = make_customer(company)
    order = place(company, [(make_product(company), 1)], channel=Channel.STOREFRONT, customer=buyer)
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_PLACED)
    assert (entry.actor_type, entry.actor_customer_id, entry.actor_user_id) == ("CUSTOMER", buyer.id, None)
    assert entry.metadata["customer"] == str(buyer.id)
    stored = Order.objects.get(id=order.id)
    assert (stored.customer_id, stored.placed_by_user_id, stored.channel) == (buyer.id, None, "STOREFRONT")


def test_staff_may_order_on_behalf_of_a_customer(company):
    buyer = make_customer(company)
    order = place(company, [(make_product(company), 1)], customer=buyer)
    assert Order.objects.get(id=order.id).customer_id == buyer.id


def test_customer_can_only_order_for_itself(company):
    me = make_customer(company)
    someone_else = make_customer(company)
    product = make_product(company, stock=5)
    error = assert_refused(
        company,
        [(product, 1)],
        OrderError,
        channel=Channel.STOREFRONT,
        customer=someone_else,
        actor=Actor.customer(me),
    )
    assert error.message == "Customers can only order for themselves."
    assert_refused(
        company,
        [(product, 1)],
        OrderError,
        channel=Channel.STOREFRONT,
        customer=None,
        actor=Actor.customer(me),
    )


def test_blocked_customer_is_refused(company):
    blocked = make_customer(company, status=CustomerStatus.BLOCKED)
    product = make_product(company, stock=5)
    error = assert_refused(company, [(product, 1)], OrderError, channel=Channel.STOREFRONT, customer=blocked)
    assert error.message == "This customer's account is suspended."
    error = assert_refused(company, [(product, 1)], OrderError, customer=blocked)  # staff on its behalf
    assert error.message == "This customer's account is suspended."


def test_customer_of_another_company_is_refused(company):
    other, _ = make_company()
    stranger = make_customer(other)
    error = assert_refused(company, [(make_product(company), 1)], OrderError, customer=stranger)
    assert error.message == "Customer not found."


@pytest.mark.parametrize("channel", [Channel.STOREFRONT, Channel.DASHBOARD, Channel.API])
def test_every_order_channel_places_orders(company, channel):
    buyer = make_customer(company) if channel == Channel.STOREFRONT else None
    order = place(company, [(make_product(company), 1)], channel=channel, customer=buyer)
    assert Order.objects.get(id=order.id).channel == channel


@pytest.mark.parametrize("channel", [Channel.IMPORT, Channel.CLI, Channel.SYSTEM, "EMAIL"])
def test_other_channels_cannot_place_orders(company, channel):
    error = assert_refused(company, [(make_product(company), 1)], OrderInvalid, channel=channel)
    assert error.message == f"Orders cannot be placed from {channel}."


def test_po_number_longer_than_100_characters_is_invalid(company):
    error = assert_refused(company, [(make_product(company), 1)], OrderInvalid, po_number="P" * 101)
    assert error.message == "PO number must be at most 100 characters."


def test_notes_longer_than_2000_characters_is_invalid(company):
    error = assert_refused(company, [(make_product(company), 1)], OrderInvalid, notes="n" * 2001)
    assert error.message == "Notes must be at most 2000 characters."


def test_member_may_place_orders(company):
    member = make_member(company, Role.MEMBER)
    order = place(company, [(make_product(company), 1)], actor=Actor.staff(member))
    assert Order.objects.get(id=order.id).placed_by_user_id == member.user_id


def test_staff_of_another_company_cannot_touch_this_companys_products(company):
    _, other_owner = make_company()
    mine = make_product(company, stock=5)
    before = rows_written()
    with pytest.raises(ProductUnavailable):
        place(company, [(mine, 1)], actor=Actor.staff(other_owner))
    assert rows_written() == before


def test_short_lines_are_reported_in_the_order_the_buyer_listed_them(company):
    products = [make_product(company, name=f"Item {i}", stock=1) for i in range(4)]
    listed = list(reversed(products))
    with pytest.raises(InsufficientStock) as refusal:
        place(company, [(p, 2) for p in listed])
    assert [line.product_name for line in refusal.value.lines] == [p.name for p in listed]
    assert refusal.value.message == f"Not enough stock for {listed[0].name}. Only 1 available."


def test_the_returned_order_is_the_stored_one_and_its_rows_share_one_time(company, owner):
    products = [make_product(company, price=Decimal("2.50"), stock=10) for _ in range(3)]
    order = place(company, [(products[0], 1), (products[1], 2), (products[2], 3)])
    stored = Order.objects.get(id=order.id)
    fields = [f.attname for f in Order._meta.concrete_fields]
    assert [getattr(order, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert stored.total == Decimal("15.00") and stored.status == "SUBMITTED"
    assert [(line.id, line.quantity) for line in order.lines.all()] == [
        (line.id, line.quantity) for line in stored.lines.order_by("product_name", "id")
    ]
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_PLACED)
    times = set(StockMovement.objects.filter(order=order).values_list("created_at", flat=True))
    assert times == {order.created_at} == {entry.created_at} == {stored.updated_at}
