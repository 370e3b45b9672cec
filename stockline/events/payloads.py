"""Event rows whose data is an API resource: the product, order or customer JSON exactly as
the API renders it (api.serializers; Event.data's encoder turns ids and times into the API's
strings), so a webhook consumer and an API client parse one shape."""

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from stockline.api.serializers import customer_json, order_json, product_json
from stockline.catalog.models import Product
from stockline.core.ids import uuid7s
from stockline.customers.models import Customer
from stockline.orders.models import Order


def event_rows(company_id: UUID, type_: str, datas: list[dict], now: datetime) -> list[dict]:
    """Rows for events.feed.events_record: one event of `type_` per data, created `now`."""
    return [
        {"id": event_id, "company_id": company_id, "type": type_, "data": data, "created_at": now}
        for event_id, data in zip(uuid7s(len(datas)), datas, strict=True)
    ]


def product_data(product: Product, *, company_threshold: int) -> dict:
    return product_json(product, company_threshold=company_threshold)


def products_data(products: Iterable[Product], *, company_threshold: int) -> list[dict]:
    return [product_json(p, company_threshold=company_threshold) for p in products]


def order_data(order: Order, lines=None) -> dict:
    return order_json(order, lines)


def customer_data(customer: Customer) -> dict:
    return customer_json(customer)
