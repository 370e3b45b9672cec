"""Row locks on products, always taken in primary-key order so two writers never deadlock.

On SQLite `select_for_update` is a no-op; there every write transaction is BEGIN IMMEDIATE,
which already serialises writers.
"""

from collections.abc import Iterable
from uuid import UUID

from stockline.catalog.models import Product


def products_lock(*, company_id: UUID, product_ids: Iterable[UUID]) -> dict[UUID, Product]:
    """Lock and return the company's products with these ids, keyed by id."""
    qs = (
        Product.objects.select_for_update(of=("self",))
        .filter(company_id=company_id, id__in=list(product_ids))
        .select_related("company")
        .order_by("pk")
    )
    return {p.id: p for p in qs}


def product_lock(*, company_id: UUID, product_id: UUID) -> Product | None:
    return products_lock(company_id=company_id, product_ids=[product_id]).get(product_id)
