"""Display helpers for dashboard templates: money, times, stock and order badges, nav state."""

from datetime import UTC
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html

from stockline.accounts.permissions import Perm, role_has_perm
from stockline.catalog.stock_rules import StockStatus
from stockline.orders.lifecycle import OrderStatus

register = template.Library()

STOCK_CELL_CLASS = {
    StockStatus.OUT_OF_STOCK: "stock-out",
    StockStatus.LOW_STOCK: "stock-low",
    StockStatus.IN_STOCK: "stock-ok",
}

ORDER_BADGE_CLASS = {
    OrderStatus.SUBMITTED: "badge-blue",
    OrderStatus.CONFIRMED: "badge-purple",
    OrderStatus.SHIPPED: "badge-yellow",
    OrderStatus.DELIVERED: "badge-green",
    OrderStatus.CANCELLED: "badge-gray",
    OrderStatus.REFUNDED: "badge-red",
}


@register.filter
def money(value) -> str:
    """$1,234.50 — always two decimals."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


@register.filter
def when(value):
    """A readable UTC time in a <time> element; dashboard.js rewrites it in the viewer's zone."""
    if not value:
        return ""
    value = timezone.localtime(value, UTC) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}" data-local>{}</time>',
        value.isoformat().replace("+00:00", "Z"),
        value.strftime("%b %-d, %Y, %I:%M %p") + " UTC",
    )


@register.filter
def stock_class(status: str) -> str:
    return STOCK_CELL_CLASS.get(status, "")


@register.filter
def stock_label(status: str) -> str:
    try:
        return StockStatus(status).label
    except ValueError:
        return status


@register.filter
def order_badge(status: str) -> str:
    return ORDER_BADGE_CLASS.get(status, "badge-gray")


@register.filter
def can(membership, perm: str) -> bool:
    """{% if request.membership|can:"manage_api_keys" %} — the role table, in templates."""
    return membership is not None and role_has_perm(membership.role, Perm(perm))


@register.simple_tag(takes_context=True)
def nav_active(context, prefix: str, exact: bool = False) -> str:
    path = context["request"].path
    matched = path.rstrip("/") == prefix.rstrip("/") if exact else path.startswith(prefix)
    return "active" if matched else ""


@register.filter
def short_id(value) -> str:
    text = str(value)
    return text if len(text) <= 10 else f"{text[:8]}…"
