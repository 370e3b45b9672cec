from uuid import UUID

from ninja import Field, Query, Router, Schema, Status

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError, path_id
from stockline.api.pagination import paginate
from stockline.api.schemas import (
    COMMON_ERRORS,
    ErrorOut,
    ProductCreateIn,
    ProductEnvelope,
    ProductListOut,
    ProductPatchIn,
    StockAdjustmentEnvelope,
    StockAdjustmentIn,
    StockErrorOut,
    Text,
)
from stockline.api.serializers import product_json
from stockline.catalog.models import Product
from stockline.catalog.selectors import product_search
from stockline.catalog.services import product_create, product_update, stock_adjust
from stockline.catalog.stock_rules import StockStatus, stock_status_q
from stockline.core.channels import Channel

router = Router(tags=["products"], auth=ApiKeyAuth("products"))

NOT_FOUND = "Product not found."

# Wire name → model field, for create and patch.
WIRE_FIELDS = {
    "name": "name",
    "sku": "sku",
    "description": "description",
    "category": "category",
    "unit": "unit",
    "price": "price",
    "stock": "stock",
    "lowStockThreshold": "low_stock_threshold",
    "isActive": "is_active",
}


SKU_LOOKUP_LIMIT = 100


class ProductFilters(Schema):
    limit: str | None = None
    cursor: str | None = None
    sku: Text | None = Field(None, description=f"Up to {SKU_LOOKUP_LIMIT} SKUs, comma-separated.")
    search: Text | None = None
    category: Text | None = None
    active: str | None = None
    stockStatus: str | None = None


def _company_threshold(request) -> int:
    return request.api_key.company.low_stock_threshold


def _parse_id(raw: str) -> UUID:
    return path_id(raw, not_found=NOT_FOUND)


def _get(request, product_id: str) -> Product:
    product = Product.objects.filter(company_id=request.company_id, id=_parse_id(product_id)).first()
    if product is None:
        raise ApiError(404, NOT_FOUND)
    return product


def _envelope(request, product: Product) -> dict:
    return {"data": product_json(product, company_threshold=_company_threshold(request))}


@router.get("/products", response={200: ProductListOut, **COMMON_ERRORS})
def products_list(request, filters: Query[ProductFilters]):
    qs = Product.objects.filter(company_id=request.company_id)
    if filters.sku is not None:
        skus = {sku.strip() for sku in filters.sku.split(",") if sku.strip()}
        if not 1 <= len(skus) <= SKU_LOOKUP_LIMIT:
            raise ApiError(400, f"sku takes 1 to {SKU_LOOKUP_LIMIT} comma-separated SKUs.")
        qs = qs.filter(sku__in=skus)
    if filters.search:
        qs = product_search(qs, filters.search.strip(), descriptions=True)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.active in ("true", "false"):
        qs = qs.filter(is_active=filters.active == "true")
    if filters.stockStatus:
        if filters.stockStatus not in StockStatus.values:
            raise ApiError(400, "Invalid stockStatus. Use IN_STOCK, LOW_STOCK or OUT_OF_STOCK.")
        qs = qs.filter(stock_status_q(filters.stockStatus, company_default=_company_threshold(request)))
    items, pagination = paginate(qs, limit=filters.limit, cursor=filters.cursor)
    threshold = _company_threshold(request)
    return {
        "data": [product_json(p, company_threshold=threshold) for p in items],
        "pagination": pagination,
    }


@router.get("/products/{product_id}", response={200: ProductEnvelope, 404: ErrorOut, **COMMON_ERRORS})
def products_get(request, product_id: str):
    return _envelope(request, _get(request, product_id))


@router.post("/products", response={201: ProductEnvelope, **COMMON_ERRORS})
def products_create(request, payload: ProductCreateIn):
    data = payload.dict()
    product = product_create(
        actor=request.actor,
        channel=Channel.API,
        **{WIRE_FIELDS[k]: v for k, v in data.items() if v is not None or k == "lowStockThreshold"},
    )
    return Status(201, _envelope(request, product))


@router.patch(
    "/products/{product_id}",
    response={200: ProductEnvelope, 404: ErrorOut, 409: StockErrorOut, **COMMON_ERRORS},
)
def products_update(request, product_id: str, payload: ProductPatchIn):
    sent = payload.dict(exclude_unset=True)
    expected_stock = sent.pop("expectedStock", None)
    if expected_stock is not None and "stock" not in sent:
        raise ApiError(400, "expectedStock can only be used together with stock.")
    nullable = {"sku", "description", "category", "lowStockThreshold"}
    for key, value in sent.items():
        if value is None and key not in nullable:
            raise ApiError(400, f"{key} cannot be null")
    changes = {
        WIRE_FIELDS[k]: ("" if v is None and k in {"description", "category"} else v) for k, v in sent.items()
    }
    product = product_update(
        actor=request.actor,
        channel=Channel.API,
        product_id=_parse_id(product_id),
        changes=changes,
        expected_stock=expected_stock,
    )
    return _envelope(request, product)


@router.post(
    "/products/{product_id}/stock-adjustments",
    response={201: StockAdjustmentEnvelope, 404: ErrorOut, 422: StockErrorOut, **COMMON_ERRORS},
)
def products_adjust_stock(request, product_id: str, payload: StockAdjustmentIn):
    movement = stock_adjust(
        actor=request.actor,
        channel=Channel.API,
        product_id=_parse_id(product_id),
        delta=payload.delta,
        note=payload.reason,
    )
    product = _get(request, product_id)
    return Status(
        201,
        {
            "data": {
                "productId": movement.product_id,
                "delta": movement.delta,
                "stockBefore": movement.stock_before,
                "stockAfter": movement.stock_after,
                "reason": movement.note,
                "createdAt": movement.created_at,
            },
            "product": product_json(product, company_threshold=_company_threshold(request)),
        },
    )
