"""core.bulk: rows written with SQL built once are stored exactly as the ORM stores them."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import JSONField, Value

from stockline.audit.models import AuditEntry
from stockline.audit.services import audit_entry_values
from stockline.catalog.ledger import movement_values
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.core.bulk import db_value_converter, inserts_together, saved_instances
from stockline.core.channels import Channel
from stockline.core.ids import uuid7
from stockline.orders.models import Order, OrderLine
from tests.factories import make_product, owner_actor

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 29, 8, 30, 15, 123456, tzinfo=UTC)
SAMPLES = {
    "UUIDField": uuid7(),
    "ForeignKey": uuid7(),
    "DateTimeField": WHEN,
    "CharField": "Blue widget",
    "TextField": "Left at the back door\nwith care",
    "IntegerField": -7,
    "PositiveIntegerField": 7,
    "PositiveBigIntegerField": 2**40,
    "BooleanField": True,
    "DecimalField": Decimal("12.50"),
}


@pytest.mark.parametrize("model", [Order, OrderLine, StockMovement, AuditEntry, Product])
def test_each_column_converts_as_the_field_itself_would(model):
    for field in model._meta.concrete_fields:
        for value in (SAMPLES.get(field.get_internal_type()), None):
            if value is None and not field.null:
                continue
            if value is None and field.get_internal_type() not in SAMPLES:
                continue
            convert = db_value_converter(field, connection)
            ours = value if convert is None else convert(value, connection)
            assert ours == field.get_db_prep_save(value, connection), (model.__name__, field.name, value)


@pytest.mark.parametrize(
    "value",
    [
        {"number": 7, "lines": [{"sku": "Ü-1", "quantity": 2}], "note": None},
        [1, "two", 3.5, True],
        "text",
        0,
        Value(None, JSONField()),  # JSON null, where None is SQL NULL
        (1, 2),  # not a plain document: the field's own path
    ],
)
def test_a_json_column_converts_as_the_field_would(value):
    field = AuditEntry._meta.get_field("metadata")
    converted = db_value_converter(field, connection)(value, connection)
    expected = field.get_db_prep_save(value, connection)
    assert getattr(converted, "obj", converted) == getattr(expected, "obj", expected)


@pytest.mark.parametrize("value", [Decimal("12.50"), Decimal("12.5"), Decimal("-0.00"), "12.50", 7])
def test_a_decimal_column_converts_any_accepted_value_as_the_field_would(value):
    field = OrderLine._meta.get_field("unit_price")
    converted = db_value_converter(field, connection)(value, connection)
    expected = field.get_db_prep_save(value, connection)
    assert (converted, str(converted)) == (expected, str(expected))


def test_a_decimal_column_refuses_what_the_field_refuses():
    field = OrderLine._meta.get_field("unit_price")
    with pytest.raises(ValidationError):
        db_value_converter(field, connection)(Decimal("NaN"), connection)


def _rows(company):
    actor = owner_actor(company)
    product = make_product(company, name="Widget", sku="W-1", stock=10)
    order = Order(company=company, number=41, channel=Channel.API, total=Decimal("19.98"), notes="")
    entry = audit_entry_values(
        actor=actor,
        action="OrderPlaced",
        entity_type="order",
        entity_id=order.id,
        channel=Channel.API,
        metadata={"number": 41, "lines": [{"sku": "W-1", "quantity": 2}], "customer": None},
    )
    line = OrderLine(
        order=order,
        product=product,
        product_name="Widget",
        product_sku=None,
        quantity=2,
        unit_price=Decimal("9.99"),
    )
    movement = movement_values(
        actor=actor,
        channel=Channel.API,
        product_id=product.id,
        stock_before=10,
        stock_after=8,
        reason=MovementReason.ORDER,
        order_id=order.id,
        audit_entry_id=entry["id"],
    )
    return order, entry, line, movement


def test_rows_written_together_read_back_as_written(company):
    order, entry, line, movement = _rows(company)
    inserts_together([order], (AuditEntry, [entry]), [line], (StockMovement, [movement]))

    stored = Order.objects.get(id=order.id)
    assert (stored.number, stored.channel, stored.total, stored.status) == (
        41,
        "API",
        Decimal("19.98"),
        "SUBMITTED",
    )
    assert stored.created_at == stored.updated_at == order.created_at
    stored_entry = AuditEntry.objects.get(id=entry["id"])
    assert stored_entry.metadata == entry["metadata"]
    assert (stored_entry.actor_user_id, stored_entry.entity_id) == (entry["actor_user_id"], str(order.id))
    stored_line = OrderLine.objects.get(id=line.id)
    assert (stored_line.order_id, stored_line.product_sku, stored_line.unit_price) == (
        order.id,
        None,
        Decimal("9.99"),
    )
    stored_movement = StockMovement.objects.get(order_id=order.id)
    assert (stored_movement.delta, stored_movement.audit_entry_id, stored_movement.reason) == (
        -2,
        entry["id"],
        "ORDER",
    )
    assert stored_movement.created_at == stored_entry.created_at == stored.created_at  # one "now"


AWKWARD_TEXT = 'O\'Brien "quoted" back\\slash %s %(name)s $1 -- ; née 数量 🧰\nsecond line'
AWKWARD_METADATA = {
    "text": AWKWARD_TEXT,
    "nested": {"list": [1, 2.5, None, True, "é"], "big": 2**62, "empty": {}},
    "unicode": "\u2603",
}


def _stored(model, pk, *exclude):
    row = model.objects.filter(pk=pk).values().get()
    return {name: value for name, value in row.items() if name not in {"id", *exclude}}


def test_awkward_values_are_stored_exactly_as_the_orm_stores_them(company):
    """Quotes, backslashes, placeholders, non-ASCII, big numbers, other time zones, nested
    JSON: on PostgreSQL the rows travel as one JSON document, so every type's trip matters."""
    product = make_product(company, stock=10)
    elsewhere = datetime(2026, 11, 29, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    values = {
        "company_id": company.id,
        "channel": Channel.API,
        "po_number": AWKWARD_TEXT[:100],
        "notes": AWKWARD_TEXT,
        "total": Decimal("123456789012.34"),
        "restocked_at": elsewhere,
    }
    ours = {"id": uuid7(), "number": 7, **values}
    inserts_together((Order, [ours]))
    theirs = Order.objects.create(number=8, **values)
    assert _stored(Order, ours["id"], "number", "created_at", "updated_at") == _stored(
        Order, theirs.id, "number", "created_at", "updated_at"
    )
    line_values = {
        "product_id": product.id,
        "product_name": AWKWARD_TEXT[:200],
        "product_sku": None,
        "quantity": 2**31 - 1,
        "unit_price": Decimal("0.10"),
    }
    ours_line = {"order_id": ours["id"], **line_values}
    inserts_together((OrderLine, [ours_line]))
    theirs_line = OrderLine.objects.create(order=theirs, **line_values)
    assert _stored(OrderLine, ours_line["id"], "order_id") == _stored(OrderLine, theirs_line.id, "order_id")
    entry = {"company_id": company.id, "action": "OrderPlaced", "entity_type": "order"}
    ours_entry = {"id": uuid7(), "entity_id": AWKWARD_TEXT[:64], "metadata": AWKWARD_METADATA, **entry}
    inserts_together((AuditEntry, [ours_entry]))
    theirs_entry = AuditEntry.objects.create(entity_id=AWKWARD_TEXT[:64], metadata=AWKWARD_METADATA, **entry)
    assert _stored(AuditEntry, ours_entry["id"], "created_at") == _stored(
        AuditEntry, theirs_entry.id, "created_at"
    )
    assert AuditEntry.objects.get(id=ours_entry["id"]).metadata == AWKWARD_METADATA


def test_a_json_value_the_field_cannot_encode_is_refused_as_the_orm_refuses_it(company):
    entry = {"company_id": company.id, "action": "OrderPlaced", "entity_type": "order", "entity_id": "x"}
    with pytest.raises(TypeError, match="not JSON serializable"):
        AuditEntry.objects.create(metadata={"when": {1, 2}}, **entry)
    with pytest.raises(TypeError, match="not JSON serializable"):
        inserts_together((AuditEntry, [{"metadata": {"when": {1, 2}}, **entry}]))


def test_instances_come_back_stamped_and_saved(company):
    order, entry, line, movement = _rows(company)
    inserts_together([order], (AuditEntry, [entry]), [line], (StockMovement, [movement]))
    assert order.created_at is not None and not order._state.adding
    assert not line._state.adding
    line.quantity = 3
    line.save()  # an UPDATE now, not a second INSERT
    assert OrderLine.objects.get(id=line.id).quantity == 3


def test_empty_batches_write_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        inserts_together([], (StockMovement, []))


def test_one_statement_on_postgresql_one_per_model_elsewhere(company, django_assert_num_queries):
    order, entry, line, movement = _rows(company)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 4):
        inserts_together([order], (AuditEntry, [entry]), [line], (StockMovement, [movement]))


def _loaded_state(instance) -> dict:
    return {
        **{name: value for name, value in instance.__dict__.items() if name != "_state"},
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


def test_saved_instances_are_what_the_orm_makes_of_the_rows(company):
    order, *_ = _rows(company)
    inserts_together([order])
    names = [f.attname for f in Order._meta.concrete_fields]
    row = {name: getattr(order, name) for name in names}
    (made,) = saved_instances(Order, [row])
    loaded = Order.from_db("default", names, [row[name] for name in names])
    assert _loaded_state(made) == _loaded_state(loaded)
    assert made == Order.objects.get(id=order.id) and made.company == company
    made.notes = "Edited"
    made.save(update_fields=["notes"])  # an UPDATE of the stored row, not a second INSERT
    assert Order.objects.get(id=order.id).notes == "Edited"


def test_saved_instances_send_init_signals_to_their_receivers(company):
    from django.db.models.signals import post_init

    _, entry, *_ = _rows(company)
    inserts_together((AuditEntry, [entry]))
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.id)

    post_init.connect(receiver, sender=AuditEntry)
    try:
        (made,) = saved_instances(AuditEntry, [entry])
    finally:
        post_init.disconnect(receiver, sender=AuditEntry)
    assert seen == [entry["id"]] and not made._state.adding
