from dataclasses import dataclass, field
from uuid import UUID

from stockline.catalog.stock import TakenProduct
from stockline.orders.models import Order, OrderLine


@dataclass(frozen=True, slots=True)
class Placed:
    """What a writer did: the order and its lines as written, the stock taken (in pk order)
    and the company's default threshold; or, when it wrote nothing, the products it could not
    take (missing, inactive or short)."""

    order: Order | None = None
    lines: list[OrderLine] = field(default_factory=list)
    taken: list[TakenProduct] = field(default_factory=list)
    company_threshold: int | None = None
    failed: list[UUID] = field(default_factory=list)

    @classmethod
    def refused(cls, failed: list[UUID]) -> "Placed":
        return cls(failed=failed)
