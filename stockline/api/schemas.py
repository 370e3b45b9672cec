"""Request and response shapes of /api/v1 (camelCase on the wire)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from stockline.catalog.stock_rules import StockStatus
from stockline.orders.lifecycle import OrderStatus

StockStatusLiteral = Literal["OUT_OF_STOCK", "LOW_STOCK", "IN_STOCK"]
assert set(StockStatusLiteral.__args__) == set(StockStatus.values)
OrderStatusLiteral = Literal["SUBMITTED", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED"]
assert set(OrderStatusLiteral.__args__) == set(OrderStatus.values)

# Every request body is strict: a field it does not know is a 400 naming it (a typo such as
# "stok" must not pass as a request that changes nothing).
STRICT = ConfigDict(extra="forbid")

# The largest stock, quantity or adjustment the database stores (a PostgreSQL integer).
MAX_UNITS = 2_147_483_647


def _refuse_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it as bad input on every database alike.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_refuse_nul)]


def _refuse_bool(value):
    # JSON true is not 1 unit (pydantic would read it as 1).
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    return value


Count = Annotated[int, Field(ge=0, le=MAX_UNITS), BeforeValidator(_refuse_bool)]
Quantity = Annotated[int, Field(ge=1, le=MAX_UNITS), BeforeValidator(_refuse_bool)]
Delta = Annotated[int, Field(ge=-MAX_UNITS, le=MAX_UNITS), BeforeValidator(_refuse_bool)]


class Out(BaseModel):
    """A response body: plain pydantic. Every serializer (api/serializers.py) hands over dicts,
    so ninja's Schema, which reads each field through its ORM-attribute getter, would only
    add work to every response."""


class ErrorOut(Out):
    error: str


class StockLineErrorOut(Out):
    productId: str
    productName: str
    requested: int
    available: int
    message: str


class StockErrorOut(Out):
    error: str
    details: list[StockLineErrorOut] | None = None
    currentStock: int | None = None


class RateLimitedOut(Out):
    error: str
    retryAfter: int


# Errors any authenticated route can answer; routes add 404/409/422 as they need.
COMMON_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: RateLimitedOut}


class PaginationOut(Out):
    hasMore: bool
    nextCursor: str | None


# Products


class ProductOut(Out):
    id: UUID
    name: str
    sku: str | None
    description: str | None
    category: str | None
    unit: str
    price: float
    stock: int
    lowStockThreshold: int
    lowStockThresholdOverride: int | None
    stockStatus: StockStatusLiteral
    isActive: bool
    createdAt: datetime
    updatedAt: datetime


class ProductEnvelope(Out):
    data: ProductOut


class ProductListOut(Out):
    data: list[ProductOut]
    pagination: PaginationOut


class ProductCreateIn(Schema):
    model_config = STRICT

    name: Text
    sku: Text | None = None
    description: Text | None = None
    category: Text | None = None
    unit: Text | None = None
    price: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    stock: Count = 0
    lowStockThreshold: Count | None = None
    isActive: bool = True


class ProductPatchIn(Schema):
    model_config = STRICT

    name: Text | None = None
    sku: Text | None = None
    description: Text | None = None
    category: Text | None = None
    unit: Text | None = None
    price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    stock: Count | None = None
    lowStockThreshold: Count | None = None
    isActive: bool | None = None
    expectedStock: Count | None = None


class StockAdjustmentIn(Schema):
    model_config = STRICT

    delta: Delta
    reason: Text = Field("", max_length=200)


class StockAdjustmentOut(Out):
    productId: UUID
    delta: int
    stockBefore: int
    stockAfter: int
    reason: str
    createdAt: datetime


class StockAdjustmentEnvelope(Out):
    data: StockAdjustmentOut
    product: ProductOut


# Orders


class OrderItemOut(Out):
    id: UUID
    productId: UUID
    productName: str
    productSku: str | None
    quantity: int
    unitPrice: float


class OrderOut(Out):
    id: UUID
    number: str
    status: OrderStatusLiteral
    channel: str
    customerId: UUID | None
    poNumber: str | None
    notes: str | None
    total: float
    createdAt: datetime
    updatedAt: datetime
    items: list[OrderItemOut]


class OrderEnvelope(Out):
    data: OrderOut


class OrderListOut(Out):
    data: list[OrderOut]
    pagination: PaginationOut


class In(BaseModel):
    """A request body read on the hot path: plain pydantic, without ninja's Schema getter
    (its getter validator ran once per item of every order request)."""

    model_config = STRICT


class OrderItemIn(In):
    productId: UUID
    quantity: Quantity


class OrderCreateIn(In):
    customerId: UUID | None = None
    items: list[OrderItemIn]
    poNumber: Text | None = None
    notes: Text | None = None


class OrderPatchIn(Schema):
    model_config = STRICT

    # Documented as the enum, checked by the view: an unknown status is "Invalid order status."
    status: str = Field(..., json_schema_extra={"enum": list(OrderStatus.values)})
    restock: bool = False


# Customers


class CustomerOut(Out):
    id: UUID
    email: str
    name: str
    status: Literal["ACTIVE", "BLOCKED"]
    createdAt: datetime
    updatedAt: datetime


class CustomerEnvelope(Out):
    data: CustomerOut


class CustomerListOut(Out):
    data: list[CustomerOut]
    pagination: PaginationOut


class CustomerCreateIn(Schema):
    model_config = STRICT

    email: Text = Field(..., json_schema_extra={"format": "email"})
    name: Text
    password: str | None = Field(None, min_length=8, max_length=100)
    status: Literal["ACTIVE", "BLOCKED"] = "ACTIVE"


# Events


class EventOut(Out):
    id: str
    event: str
    timestamp: datetime
    data: dict


class EventListOut(Out):
    data: list[EventOut]
    pagination: PaginationOut


# Webhooks


class WebhookOut(Out):
    id: UUID
    url: str
    events: list[str]
    isActive: bool
    pausedForFailing: bool
    createdAt: datetime
    updatedAt: datetime


class WebhookEnvelope(Out):
    data: WebhookOut


class WebhookWithSecretOut(WebhookOut):
    secret: str = Field(description="Shown once: keep it to verify the webhook-signature header.")


class WebhookWithSecretEnvelope(Out):
    data: WebhookWithSecretOut


class WebhookListOut(Out):
    data: list[WebhookOut]


class WebhookCreateIn(In):
    url: Text
    events: list[str]
    isActive: bool = True


class WebhookPatchIn(In):
    url: Text | None = None
    events: list[str] | None = None
    isActive: bool | None = None


# Batch stock sync


class StockUpdateItemIn(In):
    sku: Text | None = None
    productId: UUID | None = None
    stock: Count | None = None
    delta: Delta | None = None
    expectedStock: Count | None = None


class StockUpdatesIn(In):
    mode: Literal["set", "delta"]
    atomic: bool = True
    reason: Text = Field("", max_length=200)
    items: list[StockUpdateItemIn]


class ItemErrorOut(Out):
    code: Literal["unknown_product", "stock_conflict", "below_zero", "above_maximum", "duplicate"]
    message: str


class StockUpdateResultOut(Out):
    index: int
    productId: UUID | None
    sku: str | None
    status: Literal["applied", "unchanged", "failed"]
    stockBefore: int | None
    stockAfter: int | None
    error: ItemErrorOut | None


class StockUpdatesOut(Out):
    mode: Literal["set", "delta"]
    atomic: bool
    changed: int
    unchanged: int
    failed: int
    items: list[StockUpdateResultOut]


class StockUpdatesEnvelope(Out):
    data: StockUpdatesOut


class StockUpdatesRejectedOut(Out):
    error: str
    items: list[StockUpdateResultOut]
