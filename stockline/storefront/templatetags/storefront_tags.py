"""Display helpers for storefront templates: store links, money, stock and order badges."""

import zlib

from django import template
from django.urls import reverse

from stockline.catalog.stock_rules import StockStatus
from stockline.dashboard.templatetags.dashboard_tags import money
from stockline.orders.lifecycle import OrderStatus

register = template.Library()
register.filter("money", money)

ORDER_BADGE = {
    OrderStatus.SUBMITTED: "badge-blue",
    OrderStatus.CONFIRMED: "badge-purple",
    OrderStatus.SHIPPED: "badge-amber",
    OrderStatus.DELIVERED: "badge-green",
    OrderStatus.CANCELLED: "badge-gray",
    OrderStatus.REFUNDED: "badge-red",
}
TILE_COLOURS = 8


@register.simple_tag(takes_context=True)
def store_url(context, name: str, **kwargs) -> str:
    """{% store_url "cart" %}: a page of the current store."""
    return reverse(f"storefront:{name}", kwargs={"slug": context["request"].company.slug, **kwargs})


@register.inclusion_tag("storefront/_stock.html")
def stock_badge(product):
    """In stock / Only N left / Out of stock, from the product's (annotated) stock status."""
    return {"product": product, "status": product.stock_status, "statuses": StockStatus}


@register.filter
def order_badge(status: str) -> str:
    return ORDER_BADGE.get(status, "badge-gray")


@register.filter
def tile(text: str) -> str:
    """A stable colour class for an initial tile, picked from the text (e.g. the category)."""
    return f"tile-{zlib.crc32((text or '').encode()) % TILE_COLOURS}"


@register.filter
def initial(text: str) -> str:
    text = (text or "").strip()
    return text[:1].upper() or "?"


@register.filter
def per_unit(unit: str) -> str:
    """ "each" reads as is; any other unit as "per case"."""
    return "each" if unit == "each" else f"per {unit}"
