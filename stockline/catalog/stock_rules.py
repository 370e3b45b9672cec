"""The stock rules, defined once: effective threshold, stock status and health counts.

Python and SQL versions sit side by side so a screen, an email, a count and an API field
can never disagree about what "low stock" means.
"""

from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce


class StockStatus(models.TextChoices):
    OUT_OF_STOCK = "OUT_OF_STOCK", "Out of stock"
    LOW_STOCK = "LOW_STOCK", "Low stock"
    IN_STOCK = "IN_STOCK", "In stock"


def effective_threshold(*, override: int | None, company_default: int) -> int:
    return company_default if override is None else override


def is_out_of_stock(stock: int) -> bool:
    """The OUT_OF_STOCK half of stock_status(), which needs no threshold."""
    return stock <= 0


def stock_status(*, stock: int, threshold: int) -> StockStatus:
    if is_out_of_stock(stock):
        return StockStatus.OUT_OF_STOCK
    if stock <= threshold:
        return StockStatus.LOW_STOCK
    return StockStatus.IN_STOCK


def stock_status_sql(stock: str, threshold: str) -> str:
    """SQL twin of stock_status() over two SQL expressions, for hand-written statements."""
    return (
        f"CASE WHEN {stock} <= 0 THEN '{StockStatus.OUT_OF_STOCK.value}' "
        f"WHEN {stock} <= {threshold} THEN '{StockStatus.LOW_STOCK.value}' "
        f"ELSE '{StockStatus.IN_STOCK.value}' END"
    )


def effective_threshold_expression(prefix: str = "", *, company_default: int | None = None) -> Coalesce:
    """SQL twin of effective_threshold(), for a Product queryset (or a relation to one).

    Pass `company_default` when every row belongs to one known company: the query then
    needs no join to the company and can be answered from the product index alone.
    """
    default = (
        F(f"{prefix}company__low_stock_threshold") if company_default is None else Value(company_default)
    )
    return Coalesce(F(f"{prefix}low_stock_threshold"), default, output_field=models.IntegerField())


def stock_status_q(status: str, prefix: str = "", *, company_default: int | None = None) -> Q:
    """SQL twin of stock_status() as a filter, usable in aggregates and index-friendly."""
    stock = f"{prefix}stock"
    if status == StockStatus.OUT_OF_STOCK:
        return Q(**{f"{stock}__lte": 0})
    threshold = effective_threshold_expression(prefix, company_default=company_default)
    if status == StockStatus.LOW_STOCK:
        return Q(**{f"{stock}__gt": 0, f"{stock}__lte": threshold})
    if status == StockStatus.IN_STOCK:
        return Q(**{f"{stock}__gt": threshold})
    raise ValueError(f"Unknown stock status {status!r}")


def stock_status_expression(prefix: str = "", *, company_default: int | None = None) -> Case:
    """SQL twin of stock_status() as a value, for annotate()."""
    kw = {"company_default": company_default}
    return Case(
        When(stock_status_q(StockStatus.OUT_OF_STOCK, prefix, **kw), then=Value(StockStatus.OUT_OF_STOCK)),
        When(stock_status_q(StockStatus.LOW_STOCK, prefix, **kw), then=Value(StockStatus.LOW_STOCK)),
        default=Value(StockStatus.IN_STOCK),
        output_field=models.CharField(),
    )


def inventory_health(company) -> dict[str, int]:
    """Counts of the company's active products per stock status, in one index-only query.

    Inactive products are not counted.
    """
    from stockline.catalog.models import Product

    products = Product.objects.filter(company_id=company.id, is_active=True)
    return products.aggregate(
        **{
            status.value: Count(
                Value(1), filter=stock_status_q(status, company_default=company.low_stock_threshold)
            )
            for status in StockStatus
        }
    )
