"""Typed failures of the stock services. Every adapter renders these the same way."""

from dataclasses import dataclass
from uuid import UUID


class StockError(Exception):
    """Base of every business-rule refusal about stock."""


@dataclass(frozen=True, slots=True)
class InsufficientStockLine:
    product_id: UUID
    product_name: str
    requested: int
    available: int

    @property
    def message(self) -> str:
        return f"Not enough stock for {self.product_name}. Only {self.available} available."


class InsufficientStock(StockError):
    """One or more lines ask for more than there is. Lists every short line."""

    def __init__(self, lines: list[InsufficientStockLine]):
        self.lines = lines
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.lines[0].message

    @property
    def messages(self) -> list[str]:
        return [line.message for line in self.lines]


class ProductUnavailable(StockError):
    """A product that does not exist in this company, or is inactive."""

    def __init__(self, product_ids: list[UUID], message: str | None = None):
        self.product_ids = product_ids
        self.missing = message is None  # False: the product exists but is inactive
        self.message = message or "Product not found."
        super().__init__(self.message)


class StockConflict(StockError):
    """A compare-and-set saw a different stock than the caller expected."""

    def __init__(self, *, product_id: UUID, expected: int, actual: int):
        self.product_id = product_id
        self.expected = expected
        self.actual = actual
        self.message = f"Stock changed: expected {expected}, but it is now {actual}."
        super().__init__(self.message)


class StockWouldGoNegative(StockError):
    def __init__(self, *, product_name: str, stock: int, delta: int):
        self.stock = stock
        self.delta = delta
        self.message = f"Cannot adjust stock of {product_name} by {delta}: only {stock} in stock."
        super().__init__(self.message)


class BulkSelectionTooLarge(Exception):
    """A bulk action over more products than one short transaction should hold."""

    def __init__(self, *, limit: int, selected: int):
        self.limit = limit
        self.selected = selected
        self.message = f"A bulk action covers at most {limit:,} products. Narrow the selection."
        super().__init__(self.message)
