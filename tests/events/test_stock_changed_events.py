"""stock.changed events and the feed: one event per ledger row, written in the same transaction,
numbered gaplessly after commit (events.feed).

Every stock path (catalog.stock is the one writer) leaves exactly one stock.changed event per
StockMovement, whose data is that movement as consumers read it; a product's versions run
1..n; a rolled-back change leaves no event.
"""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import BulkMode, product_update, stock_adjust, stock_bulk_adjust
from stockline.catalog.stock_rules import StockStatus, stock_status
from stockline.core.channels import Channel
from stockline.core.ids import uuid7
from stockline.events.feed import events_after, events_number, events_prune, events_record
from stockline.events.models import Event, EventType
from stockline.orders.models import OrderStatus
from stockline.orders.services import order_status_change
from tests.factories import make_company, make_customer, make_product, owner_actor, place
from tests.imports.support import csv_bytes, import_now, row

pytestmark = pytest.mark.django_db


def stock_events(product) -> list[Event]:
    """The product's stock.changed events, by version."""
    events = Event.objects.filter(type=EventType.STOCK_CHANGED, data__productId=str(product.id))
    return sorted(events, key=lambda e: e.data["version"])


def movement_as_event(movement: StockMovement, product: Product) -> dict:
    """What the stock.changed event of this movement must say."""
    return {
        "productId": str(product.id),
        "sku": product.sku,
        "name": product.name,
        "delta": movement.delta,
        "stockBefore": movement.stock_before,
        "stockAfter": movement.stock_after,
        "stockStatus": stock_status(stock=movement.stock_after, threshold=product.effective_threshold),
        "reason": movement.reason,
        "movementId": str(movement.id),
        "orderId": str(movement.order_id) if movement.order_id else None,
        "version": movement.version,
    }


def assert_one_event_per_movement(product) -> list[dict]:
    """Every movement of the product has exactly one stock.changed event, equal to it (same
    company, same time); returns the events' data, by version."""
    product = Product.objects.select_related("company").get(id=product.id)
    movements = list(StockMovement.objects.filter(product=product).order_by("version"))
    events = stock_events(product)
    assert [e.data for e in events] == [movement_as_event(m, product) for m in movements]
    for event, movement in zip(events, movements, strict=True):
        assert (event.company_id, event.created_at) == (product.company_id, movement.created_at)
    return [e.data for e in events]


def last_event(product) -> dict:
    return assert_one_event_per_movement(product)[-1]


# --- every stock path -------------------------------------------------------------------------


def test_product_create_writes_the_opening_stock_event_at_version_1(company):
    product = make_product(company, stock=12)

    (event,) = assert_one_event_per_movement(product)
    assert (event["delta"], event["stockBefore"], event["stockAfter"]) == (12, 0, 12)
    assert (event["reason"], event["version"], event["orderId"]) == (MovementReason.EDIT, 1, None)
    assert event["stockStatus"] == StockStatus.IN_STOCK
    assert Product.objects.get(id=product.id).version == 1


@pytest.mark.parametrize(
    ("channel", "reason"), [(Channel.DASHBOARD, MovementReason.EDIT), (Channel.API, MovementReason.API)]
)
def test_product_update_of_stock_writes_one_event_with_the_channels_reason(company, actor, channel, reason):
    product = make_product(company, stock=10)

    product_update(actor=actor, channel=channel, product_id=product.id, changes={"stock": 25})

    event = last_event(product)
    assert (event["stockBefore"], event["stockAfter"], event["delta"]) == (10, 25, 15)
    assert (event["reason"], event["version"]) == (reason, 2)


def test_stock_status_uses_the_products_own_threshold_over_the_companys(company, actor):
    company.low_stock_threshold = 2
    company.save(update_fields=["low_stock_threshold"])
    own = make_product(company, stock=50, low_stock_threshold=20)
    default = make_product(company, stock=50)

    for product in (own, default):
        stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=-35)

    assert last_event(own)["stockStatus"] == StockStatus.LOW_STOCK  # 15 <= 20
    assert last_event(default)["stockStatus"] == StockStatus.IN_STOCK  # 15 > 2


def test_stock_adjust_writes_one_event_for_its_movement(company, actor):
    product = make_product(company, stock=10)

    movement = stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=-10)

    event = last_event(product)
    assert event["movementId"] == str(movement.id)
    assert (event["delta"], event["stockAfter"], event["stockStatus"]) == (-10, 0, StockStatus.OUT_OF_STOCK)
    assert (event["reason"], event["version"]) == (MovementReason.EDIT, 2)


def test_bulk_set_writes_one_event_per_changed_product_and_none_for_an_unchanged_one(company, actor):
    low, high, already = (make_product(company, stock=s) for s in (3, 40, 20))

    stock_bulk_adjust(
        actor=actor,
        channel=Channel.DASHBOARD,
        product_ids=[low.id, high.id, already.id],
        mode=BulkMode.SET,
        value=20,
    )

    assert [(e["stockBefore"], e["delta"], e["reason"]) for e in (last_event(low), last_event(high))] == [
        (3, 17, MovementReason.BULK_SET),
        (40, -20, MovementReason.BULK_SET),
    ]
    assert [e["version"] for e in assert_one_event_per_movement(already)] == [1]


def test_bulk_delta_writes_the_applied_delta_of_a_clamped_product(company, actor):
    plenty, short = make_product(company, stock=30), make_product(company, stock=3)

    stock_bulk_adjust(
        actor=actor,
        channel=Channel.DASHBOARD,
        product_ids=[plenty.id, short.id],
        mode=BulkMode.DELTA,
        value=-5,
    )

    assert (last_event(plenty)["delta"], last_event(plenty)["stockAfter"]) == (-5, 25)
    clamped = last_event(short)
    assert (clamped["delta"], clamped["stockBefore"], clamped["stockAfter"]) == (-3, 3, 0)
    assert clamped["reason"] == MovementReason.BULK_DELTA
    assert clamped["stockStatus"] == StockStatus.OUT_OF_STOCK


@pytest.mark.parametrize("channel", [Channel.DASHBOARD, Channel.STOREFRONT, Channel.API])
def test_order_place_writes_one_event_per_line_with_the_order_id(company, channel):
    a, b = make_product(company, stock=10), make_product(company, stock=10)
    customer = make_customer(company) if channel == Channel.STOREFRONT else None

    order = place(company, [(a, 2), (b, 7)], channel=channel, customer=customer)

    for product, quantity in ((a, 2), (b, 7)):
        event = last_event(product)
        assert (event["reason"], event["orderId"]) == (MovementReason.ORDER, str(order.id))
        assert (event["delta"], event["stockAfter"], event["version"]) == (-quantity, 10 - quantity, 2)


def test_order_restock_writes_restock_events_with_the_order_id(company, actor):
    a, b = make_product(company, stock=10), make_product(company, stock=10)
    order = place(company, [(a, 4), (b, 1)])

    order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status=OrderStatus.CANCELLED, restock=True
    )

    for product, quantity in ((a, 4), (b, 1)):
        event = last_event(product)
        assert (event["reason"], event["orderId"]) == (MovementReason.RESTOCK, str(order.id))
        assert (event["delta"], event["stockAfter"], event["version"]) == (quantity, 10, 3)


def test_csv_import_writes_an_event_for_each_created_product_and_each_stock_update(company, actor):
    changed = make_product(company, sku="OLD", stock=5)
    renamed_only = make_product(company, sku="SAME", name="Same", stock=8)

    import_now(
        actor,
        csv_bytes(
            [row("OLD", changed.name, stock="9"), row("SAME", "Renamed", stock="8"), row("NEW", stock="4")]
        ),
    )

    update = last_event(changed)
    assert (update["reason"], update["stockBefore"], update["stockAfter"], update["version"]) == (
        MovementReason.IMPORT,
        5,
        9,
        2,
    )
    created = Product.objects.get(company=company, sku="NEW")
    (opening,) = assert_one_event_per_movement(created)
    assert (opening["reason"], opening["stockBefore"], opening["stockAfter"], opening["version"]) == (
        MovementReason.IMPORT,
        0,
        4,
        1,
    )
    assert [e.data["version"] for e in stock_events(renamed_only)] == [1]  # a rename alone: none
    assert Product.objects.get(id=renamed_only.id).version == 1


def test_an_edit_that_leaves_stock_alone_writes_no_event(company, actor):
    product = make_product(company, stock=10)

    product_update(
        actor=actor,
        channel=Channel.DASHBOARD,
        product_id=product.id,
        changes={"name": "Renamed", "price": Decimal("11.00"), "stock": 10},
    )

    assert len(stock_events(product)) == 1
    assert Product.objects.get(id=product.id).version == 1


def test_a_products_versions_run_1_to_n_across_every_path(company, actor):
    product = make_product(company, stock=20)
    other = make_product(company, stock=20)
    product_update(actor=actor, channel=Channel.API, product_id=product.id, changes={"stock": 30})
    stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=-4)
    order = place(company, [(product, 3), (other, 1)])
    both = [product.id, other.id]
    stock_bulk_adjust(actor=actor, channel=Channel.DASHBOARD, product_ids=both, mode=BulkMode.DELTA, value=2)
    order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status=OrderStatus.CANCELLED, restock=True
    )
    stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[product.id], mode=BulkMode.SET, value=7
    )
    import_now(actor, csv_bytes([row(product.sku, product.name, stock="11")]))

    events = assert_one_event_per_movement(product)
    assert [e["version"] for e in events] == list(range(1, 9))
    assert [e["stockAfter"] for e in events] == [20, 30, 26, 23, 25, 28, 7, 11]
    assert all(e["stockBefore"] == prev["stockAfter"] for prev, e in itertools.pairwise(events))
    stored = Product.objects.get(id=product.id)
    assert stored.version == StockMovement.objects.filter(product=product).latest("version").version == 8
    assert [e["version"] for e in assert_one_event_per_movement(other)] == [1, 2, 3, 4]


# --- nothing for a rolled-back change ----------------------------------------------------------


def test_an_order_refused_for_short_stock_writes_no_event(company):
    plenty, short = make_product(company, stock=10), make_product(company, stock=1)

    with pytest.raises(InsufficientStock):
        place(company, [(plenty, 1), (short, 2)])

    assert Event.objects.count() == 4  # the two products' product.created and opening stock
    assert [e["version"] for e in assert_one_event_per_movement(plenty)] == [1]
    assert Product.objects.get(id=plenty.id).version == 1


def test_a_stock_change_rolled_back_by_its_transaction_writes_no_event(company, actor):
    product = make_product(company, stock=10)

    with pytest.raises(RuntimeError), transaction.atomic():
        stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=product.id, delta=5)
        assert len(stock_events(product)) == 2  # written in the change's own transaction
        raise RuntimeError("the caller's transaction fails after the change")

    assert len(stock_events(product)) == 1
    assert Product.objects.get(id=product.id).version == 1


# --- the feed: numbering, paging, pruning -------------------------------------------------------


def positions() -> list[int | None]:
    return list(Event.objects.order_by("created_at", "id").values_list("position", flat=True))


# Each new product writes two events: product.created, then its opening stock.changed.
PER_PRODUCT = 2


def test_events_number_gives_unnumbered_events_positions_1_to_n_in_commit_order(company):
    products = [make_product(company) for _ in range(5)]
    assert positions() == [None] * 5 * PER_PRODUCT

    assert events_number() == 5 * PER_PRODUCT

    assert positions() == list(range(1, 5 * PER_PRODUCT + 1))
    by_position = Event.objects.order_by("position")
    assert [(e.type, e.data.get("id") or e.data["productId"]) for e in by_position] == [
        (type_, str(p.id)) for p in products for type_ in (EventType.PRODUCT_CREATED, EventType.STOCK_CHANGED)
    ]


def test_a_second_numbering_run_numbers_only_the_new_events(company):
    for _ in range(3):
        make_product(company)
    events_number()
    first = dict(Event.objects.values_list("id", "position"))
    for _ in range(2):
        make_product(company)

    assert events_number() == 2 * PER_PRODUCT
    assert events_number() == 0

    now = dict(Event.objects.values_list("id", "position"))
    assert {k: now[k] for k in first} == first  # a position, once given, never changes
    assert sorted(now.values()) == list(range(1, 5 * PER_PRODUCT + 1))


def test_events_number_takes_at_most_a_batch_per_run(company):
    for _ in range(5):
        make_product(company)

    assert events_number(batch=7) == 7
    assert events_number(batch=7) == 3
    assert sorted(positions()) == list(range(1, 11))


def test_unnumbered_events_are_not_in_the_feed(company):
    make_product(company)

    assert events_after(company_id=company.id, after=0, limit=100) == ([], False)


def test_events_after_pages_by_position(company):
    for _ in range(5):
        make_product(company)
    events_number()

    first, more = events_after(company_id=company.id, after=0, limit=4)
    assert ([e.position for e in first], more) == ([1, 2, 3, 4], True)
    second, more = events_after(company_id=company.id, after=first[-1].position, limit=4)
    assert ([e.position for e in second], more) == ([5, 6, 7, 8], True)
    last, more = events_after(company_id=company.id, after=second[-1].position, limit=4)
    assert ([e.position for e in last], more) == ([9, 10], False)
    assert events_after(company_id=company.id, after=10, limit=2) == ([], False)


def test_events_after_filters_by_type(company):
    make_product(company)
    other = {"id": uuid7(), "company_id": company.id, "type": "other.thing", "data": {}}
    events_record([other | {"created_at": timezone.now()}])
    events_number()

    stock, _ = events_after(company_id=company.id, after=0, limit=10, types=[EventType.STOCK_CHANGED])
    other, _ = events_after(company_id=company.id, after=0, limit=10, types=["other.thing"])
    every, _ = events_after(company_id=company.id, after=0, limit=10)
    assert [e.type for e in stock] == [EventType.STOCK_CHANGED]
    assert [e.type for e in other] == ["other.thing"]
    assert [e.position for e in every] == [1, 2, 3]  # product.created, stock.changed, other.thing


def test_another_companys_events_never_appear_in_a_companys_feed(company):
    rival = make_company("Rival Supplies")[0]
    ours = [make_product(company), make_product(company)]
    theirs = make_product(rival)
    product_update(
        actor=owner_actor(rival), channel=Channel.DASHBOARD, product_id=theirs.id, changes={"stock": 1}
    )
    events_number()

    seen, _ = events_after(company_id=company.id, after=0, limit=100)
    assert {e.company_id for e in seen} == {company.id}
    assert [e.data.get("id") or e.data["productId"] for e in seen] == [str(p.id) for p in ours for _ in "cs"]
    theirs_seen, _ = events_after(company_id=rival.id, after=0, limit=100, types=[EventType.STOCK_CHANGED])
    assert [e.data["version"] for e in theirs_seen] == [1, 2]
    assert all(e.data["productId"] == str(theirs.id) for e in theirs_seen)


def test_events_prune_removes_numbered_events_past_retention_and_keeps_the_rest(company, settings):
    settings.EVENT_RETENTION_DAYS = 7
    now = timezone.now()
    old, recent = make_product(company), make_product(company)
    events_number()
    unnumbered = make_product(company)  # its events are written after the numbering run
    age = {old: timedelta(days=8), recent: timedelta(days=6), unnumbered: timedelta(days=30)}
    for product, days in age.items():
        of_product = Q(data__productId=str(product.id)) | Q(data__id=str(product.id))
        Event.objects.filter(of_product).update(created_at=now - days)

    assert events_prune(now=now) == PER_PRODUCT  # old's product.created and stock.changed

    left = {(e.type, e.data.get("id") or e.data["productId"]): e.position for e in Event.objects.all()}
    assert left == {
        (EventType.PRODUCT_CREATED, str(recent.id)): 3,
        (EventType.STOCK_CHANGED, str(recent.id)): 4,
        (EventType.PRODUCT_CREATED, str(unnumbered.id)): None,
        (EventType.STOCK_CHANGED, str(unnumbered.id)): None,
    }
