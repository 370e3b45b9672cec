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


def stock_status(*, stock: int, threshold: int) -> StockStatus:
    if stock <= 0:
        return StockStatus.OUT_OF_STOCK
    if stock <= threshold:
        return StockStatus.LOW_STOCK
    return StockStatus.IN_STOCK


def effective_threshold_expression(prefix: str = "") -> Coalesce:
    """SQL twin of effective_threshold(), for a Product queryset (or a relation to one)."""
    return Coalesce(
        F(f"{prefix}low_stock_threshold"),
        F(f"{prefix}company__low_stock_threshold"),
        output_field=models.IntegerField(),
    )


def stock_status_q(status: str, prefix: str = "") -> Q:
    """SQL twin of stock_status() as a filter, usable in aggregates and index-friendly."""
    stock = f"{prefix}stock"
    if status == StockStatus.OUT_OF_STOCK:
        return Q(**{f"{stock}__lte": 0})
    threshold = effective_threshold_expression(prefix)
    if status == StockStatus.LOW_STOCK:
        return Q(**{f"{stock}__gt": 0, f"{stock}__lte": threshold})
    if status == StockStatus.IN_STOCK:
        return Q(**{f"{stock}__gt": threshold})
    raise ValueError(f"Unknown stock status {status!r}")


def stock_status_expression(prefix: str = "") -> Case:
    """SQL twin of stock_status() as a value, for annotate()."""
    return Case(
        When(stock_status_q(StockStatus.OUT_OF_STOCK, prefix), then=Value(StockStatus.OUT_OF_STOCK)),
        When(stock_status_q(StockStatus.LOW_STOCK, prefix), then=Value(StockStatus.LOW_STOCK)),
        default=Value(StockStatus.IN_STOCK),
        output_field=models.CharField(),
    )


def inventory_health(products) -> dict[str, int]:
    """Counts of active products per stock status in one query.

    `products` is a company-scoped Product queryset; inactive products are not counted.
    """
    return products.filter(is_active=True).aggregate(
        **{status.value: Count("id", filter=stock_status_q(status)) for status in StockStatus}
    )
