"""Reads behind the storefront pages. Each is scoped by company (and customer where it is
theirs) and runs a fixed number of queries, whatever the number of rows (pinned by
tests/storefront/test_query_counts.py). Inactive products never leave this module.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, QuerySet

from stockline.catalog.models import Product
from stockline.catalog.selectors import product_search
from stockline.catalog.stock_rules import StockStatus, stock_status_expression
from stockline.customers.models import Customer
from stockline.orders.models import Order
from stockline.storefront import paging
from stockline.storefront.models import Cart, CartItem

CATALOG_PAGE_SIZE = 24
ORDERS_PAGE_SIZE = 20
SEARCH_MAX = 200

# A price list's order: by category, then name. The product_storefront_catalog index (active
# products by company, category, name, id) serves it, the category filter and the category list.
CATALOG_ORDER = ("category", "name", "id")


def _page(queryset, number, size: int) -> Page:
    return Paginator(queryset, size).get_page(number)


def _active_products(company_id: UUID) -> QuerySet[Product]:
    return Product.objects.filter(company_id=company_id, is_active=True)


# ---------------------------------------------------------------- catalog


@dataclass(frozen=True, slots=True)
class CatalogFilters:
    q: str = ""
    category: str = ""

    @classmethod
    def from_params(cls, params) -> "CatalogFilters":
        return cls(
            q=params.get("q", "").strip()[:SEARCH_MAX],
            category=params.get("category", "").strip()[:100],
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.category)


def _catalog_matches(*, company_id: UUID, filters: CatalogFilters) -> QuerySet[Product]:
    """Active products (out-of-stock ones included), searched and filtered, in catalog order."""
    products = product_search(_active_products(company_id), filters.q, descriptions=True)
    if filters.category:
        products = products.filter(category=filters.category)
    return products.order_by(*CATALOG_ORDER)


def catalog_page(*, company_id: UUID, filters: CatalogFilters, page_number) -> Page:
    """One page of the catalog, each product with its stock status. The page's ids come first
    (browsing: from the index alone, no table row read for what an OFFSET skips; searching:
    see paging.search_page), then just those rows, by primary key."""
    ids = _catalog_matches(company_id=company_id, filters=filters).values_list("id", flat=True)
    paginate = paging.search_page if filters.q else paging.browse_page
    page = paginate(ids, page_number, CATALOG_PAGE_SIZE)
    # By primary key alone: the ids are this company's already (and SQLite's planner, given the
    # company too, would walk a company index instead of making 24 lookups).
    fetched = Product.objects.filter(id__in=page.object_list, is_active=True).with_stock_status()
    rows = {product.id: product for product in fetched}
    # In the ids' order, minus any product deactivated between the two queries.
    page.object_list = [rows[pid] for pid in page.object_list if pid in rows]
    return page


def catalog_categories(*, company_id: UUID) -> list[str]:
    """The categories of the store's active products, A–Z.

    A loose index scan: each step seeks the next category in product_storefront_catalog, so
    twenty categories cost twenty index probes instead of a pass over every product.
    """
    table = connection.ops.quote_name(Product._meta.db_table)
    company = Product._meta.get_field("company").get_db_prep_value(company_id, connection)
    after = f"SELECT MIN(category) FROM {table} WHERE company_id = %s AND is_active AND category > "  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE found(category) AS ({after} '' "  # noqa: S608
            f"UNION ALL SELECT ({after} found.category) FROM found WHERE found.category IS NOT NULL) "
            "SELECT category FROM found WHERE category IS NOT NULL",
            [company, company],
        )
        return [category for (category,) in cursor.fetchall()]


def catalog_product(*, company_id: UUID, product_id: UUID) -> Product | None:
    return _active_products(company_id).with_stock_status().filter(id=product_id).first()


@dataclass(frozen=True, slots=True)
class CatalogRow:
    product: Product
    in_cart: int

    @property
    def room(self) -> int:
        """How many more the customer may add: the cart never holds more than the stock."""
        return max(self.product.stock - self.in_cart, 0)


def catalog_rows(*, customer: Customer, products) -> list[CatalogRow]:
    """The products with how many of each the customer's cart already holds (one query)."""
    products = list(products)
    in_cart = dict(
        CartItem.objects.filter(cart__customer=customer, product_id__in=[p.id for p in products]).values_list(
            "product_id", "quantity"
        )
    )
    return [CatalogRow(product=p, in_cart=in_cart.get(p.id, 0)) for p in products]


# ---------------------------------------------------------------- cart


@dataclass(frozen=True, slots=True)
class CartLine:
    item: CartItem
    product: Product

    @property
    def available(self) -> bool:
        return self.product.is_active

    @property
    def status(self) -> str:
        return self.product.stock_status

    @property
    def low_stock(self) -> bool:
        """The "Only N left" warning shows exactly for LOW_STOCK products (SPEC §3)."""
        return self.available and self.status == StockStatus.LOW_STOCK

    @property
    def out_of_stock(self) -> bool:
        return self.available and self.status == StockStatus.OUT_OF_STOCK

    @property
    def over_stock(self) -> bool:
        """More in the cart than there is now (stock moved since it was added)."""
        return self.available and not self.out_of_stock and self.item.quantity > self.product.stock

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.item.quantity


@dataclass(frozen=True, slots=True)
class CartView:
    po_number: str
    notes: str
    lines: list[CartLine]

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines if line.available), Decimal("0.00"))

    @property
    def units(self) -> int:
        return sum(line.item.quantity for line in self.lines)


def cart_view(*, customer: Customer) -> CartView:
    """The customer's cart with each product's current stock status: two queries."""
    cart = Cart.objects.filter(customer=customer).only("po_number", "notes").first()
    if cart is None:
        return CartView(po_number="", notes="", lines=[])
    items = (
        CartItem.objects.filter(cart=cart)
        .select_related("product")
        .annotate(product_status=stock_status_expression("product__"))
        .order_by("added_at", "id")
    )
    lines = []
    for item in items:
        item.product.stock_status = item.product_status  # no company lookup per line
        lines.append(CartLine(item=item, product=item.product))
    return CartView(po_number=cart.po_number, notes=cart.notes, lines=lines)


# ---------------------------------------------------------------- orders


def customer_orders_page(*, customer: Customer, page_number) -> Page:
    """The customer's own orders, newest first, each with its number of lines."""
    orders = (
        Order.objects.filter(company_id=customer.company_id, customer=customer)
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    return _page(orders, page_number, ORDERS_PAGE_SIZE)


def customer_order(*, customer: Customer, order_id: UUID) -> Order | None:
    """One of the customer's own orders with its lines; None for anyone else's."""
    return (
        Order.objects.filter(company_id=customer.company_id, customer=customer, id=order_id)
        .prefetch_related("lines")
        .first()
    )
