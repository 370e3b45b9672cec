"""Reads of products that every adapter shares: the product search."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from stockline.catalog.models import Product

# What identifies a product to whoever looks it up; buyers and integrations also read (and
# so search) its description.
PRODUCT_SEARCH_FIELDS = ("name", "sku", "category")


def product_search(products: QuerySet[Product], term: str, *, descriptions: bool) -> QuerySet[Product]:
    """The products whose name, SKU or category, and with `descriptions` whose description,
    contain `term`, ignoring case; all of them for an empty term.

    A substring match: no index serves it, so a search reads every row it filters.
    """
    if not term:
        return products
    fields = (*PRODUCT_SEARCH_FIELDS, "description") if descriptions else PRODUCT_SEARCH_FIELDS
    return products.filter(reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)))
