from datetime import UTC, datetime, time
from uuid import UUID

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Query, Router, Schema, Status

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError, path_id
from stockline.api.pagination import paginate
from stockline.api.schemas import (
    COMMON_ERRORS,
    ErrorOut,
    OrderCreateIn,
    OrderEnvelope,
    OrderListOut,
    OrderPatchIn,
    StockErrorOut,
)
from stockline.api.serializers import order_json
from stockline.core.channels import Channel
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order, OrderLine
from stockline.orders.services import (
    OrderLineInput,
    order_customer,
    order_place,
    order_status_change,
)

router = Router(tags=["orders"], auth=ApiKeyAuth("orders"))

NOT_FOUND = "Order not found."


class OrderFilters(Schema):
    limit: str | None = None
    cursor: str | None = None
    status: str | None = None
    customerId: str | None = None
    since: str | None = None
    until: str | None = None


def _parse_when(raw: str, *, end_of_day: bool, name: str) -> datetime:
    """Lenient: a date (2026-04-01) or a full ISO-8601 timestamp; naive means UTC."""
    try:
        # A date first: parse_datetime would read "2026-04-01" as its midnight.
        day = parse_date(raw)
        value = datetime.combine(day, time.max if end_of_day else time.min) if day else parse_datetime(raw)
        if value is None:
            raise ValueError(raw)
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (ValueError, OverflowError) as exc:  # e.g. month 13, or beyond year 1..9999 in UTC
        raise ApiError(400, f"{name} must be a date (YYYY-MM-DD) or an ISO-8601 timestamp.") from exc


def _order_id(raw: str) -> UUID:
    return path_id(raw, not_found=NOT_FOUND)


def _with_lines(qs):
    return qs.prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("product_name", "id")))


@router.get("/orders", response={200: OrderListOut, **COMMON_ERRORS})
def orders_list(request, filters: Query[OrderFilters]):
    qs = Order.objects.filter(company_id=request.company_id)
    if filters.status:
        if filters.status not in OrderStatus.values:
            raise ApiError(400, "Invalid order status.")
        qs = qs.filter(status=filters.status)
    if filters.customerId:
        try:
            qs = qs.filter(customer_id=UUID(filters.customerId))
        except ValueError as exc:
            raise ApiError(400, "customerId must be a valid id") from exc
    if filters.since:
        qs = qs.filter(created_at__gte=_parse_when(filters.since, end_of_day=False, name="since"))
    if filters.until:
        qs = qs.filter(created_at__lte=_parse_when(filters.until, end_of_day=True, name="until"))
    items, pagination = paginate(_with_lines(qs), limit=filters.limit, cursor=filters.cursor)
    return {"data": [order_json(o) for o in items], "pagination": pagination}


@router.get("/orders/{order_id}", response={200: OrderEnvelope, 404: ErrorOut, **COMMON_ERRORS})
def orders_get(request, order_id: str):
    order = _with_lines(Order.objects.filter(company_id=request.company_id, id=_order_id(order_id))).first()
    if order is None:
        raise ApiError(404, NOT_FOUND)
    return {"data": order_json(order)}


@router.post(
    "/orders",
    response={201: OrderEnvelope, 404: ErrorOut, 422: StockErrorOut, **COMMON_ERRORS},
)
def orders_create(request, payload: OrderCreateIn):
    customer = None
    if payload.customerId is not None:
        customer = order_customer(actor=request.actor, customer_id=payload.customerId)
    placed = order_place(
        actor=request.actor,
        channel=Channel.API,
        customer=customer,
        lines=[OrderLineInput(product_id=i.productId, quantity=i.quantity) for i in payload.items],
        po_number=payload.poNumber or "",
        notes=payload.notes or "",
    )
    return Status(201, {"data": order_json(placed.order, placed.lines)})


@router.patch(
    "/orders/{order_id}",
    response={200: OrderEnvelope, 404: ErrorOut, 422: ErrorOut, **COMMON_ERRORS},
)
def orders_update(request, order_id: str, payload: OrderPatchIn):
    order = order_status_change(
        actor=request.actor,
        channel=Channel.API,
        order_id=_order_id(order_id),
        status=payload.status,
        restock=payload.restock,
    )
    return {"data": order_json(order)}
