"""Golden rows: every row an order writes, column for column (ids and times aside), is the
one in golden/order_rows.json, on every database. The suite runs on SQLite and on
PostgreSQL, so this proves the two writers of orders.placement write the same rows.

After an intended change of what an order writes: GOLDEN_UPDATE=1 pytest this file, and
review the diff of the JSON.
"""

import datetime
import json
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

from django.forms.models import model_to_dict  # noqa: F401  (documentation: rows are read as .values())

from stockline.accounts.models import Membership, Role
from stockline.accounts.services import company_create
from stockline.audit.actors import Actor
from stockline.audit.models import AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from stockline.customers.services import customer_create
from stockline.events.models import Event
from stockline.orders.models import Order, OrderLine
from stockline.orders.services import OrderLineInput, order_place

GOLDEN = Path(__file__).parent / "golden" / "order_rows.json"
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z")


class _Names:
    """Each id seen replaced by what it is, so rows compare across databases and runs."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def add(self, value, name: str) -> None:
        self.names[str(value)] = name

    def __call__(self, value):
        if isinstance(value, uuid.UUID):
            value = str(value)
        if isinstance(value, str) and value in self.names:
            return f"<{self.names[value]}>"
        if isinstance(value, str) and _TIME.fullmatch(value):
            return "<time>"  # a time in an event's data (tests/events check it is the API's)
        if isinstance(value, str):
            try:
                uuid.UUID(value)
            except ValueError:
                return value
            raise AssertionError(f"an id the test does not know: {value}")
        if isinstance(value, datetime.datetime):
            return "<time>"
        if isinstance(value, Decimal):
            return f"Decimal({value})"
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        return value


def _rows(model, names, **filters) -> list[dict]:
    rows = [
        {column: names(value) for column, value in sorted(row.items())}
        for row in model.objects.filter(**filters).values()
    ]
    return sorted(rows, key=lambda row: row["id"])


def _written() -> dict:
    company, owner = company_create(
        name="Golden Supplies",
        owner_email="golden@example.com",
        owner_password="pw-golden-rows",
        owner_name="Gold",
    )
    staff = Actor.staff(Membership.objects.select_related("user").get(company=company, role=Role.OWNER))
    names = _Names()
    names.add(company.id, "company")
    names.add(owner.user_id, "owner")
    products = {
        sku: product_create(
            actor=staff, channel=Channel.DASHBOARD, name=name, sku=sku, price=Decimal(price), stock=stock
        )
        for sku, name, price, stock in [
            ("G-1", "Bolts", "3.50", 40),
            ("G-2", "Anchors", "12.05", 7),
            ("G-3", "Cable ties", "0.99", 1000),
            ("G-4", "Washers", "0.10", 3),
        ]
    }
    for sku, product in products.items():
        names.add(product.id, f"product {sku}")
    customer = customer_create(
        actor=staff,
        channel=Channel.DASHBOARD,
        email="buyer@golden.example",
        name="Buyer",
        password="pw-buyer-1",
    )
    names.add(customer.id, "customer")
    opening = {m.id for m in StockMovement.objects.all()}
    placed = order_place(
        actor=staff,
        channel=Channel.DASHBOARD,
        customer=customer,
        lines=[
            OrderLineInput(products["G-3"].id, 25),
            OrderLineInput(products["G-1"].id, 4),
            OrderLineInput(products["G-2"].id, 5),
            OrderLineInput(products["G-1"].id, 2),  # merged with the line above
            OrderLineInput(products["G-4"].id, 3),  # out of stock after: product.out_of_stock
        ],
        po_number="PO-77",
        notes="Leave at the back door",
    )
    order = placed.order
    names.add(order.id, "order")
    entry = AuditEntry.objects.get(entity_id=str(order.id))
    names.add(entry.id, "entry")
    for line in OrderLine.objects.filter(order=order):
        names.add(line.id, f"line {line.product_sku}")
    for movement in StockMovement.objects.filter(order=order).select_related("product"):
        names.add(movement.id, f"movement {movement.product.sku}")
    for movement_id in opening:
        names.add(movement_id, "opening movement")
    # every event of the order's transaction: order.created, stock.changed, the status events
    events = Event.objects.filter(company=company, created_at=order.created_at)
    for event in events:
        names.add(event.id, f"event {event.type} {event.data.get('sku') or event.data.get('number')}")
    return {
        "order": _rows(Order, names, id=order.id),
        "audit_entry": _rows(AuditEntry, names, id=entry.id),
        "order_lines": _rows(OrderLine, names, order=order),
        "stock_movements": _rows(StockMovement, names, order=order),
        "products": _rows(Product, names, company=company),
        "events": _rows(Event, names, id__in=[e.id for e in events]),
    }


def test_an_order_writes_the_golden_rows(db):
    written = _written()
    if os.environ.get("GOLDEN_UPDATE"):
        GOLDEN.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n")
    assert written == json.loads(GOLDEN.read_text())
