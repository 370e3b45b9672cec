"""Reads behind the dashboard pages. Every function is scoped by company and runs a fixed
number of queries, whatever the number of rows (pinned by tests/dashboard/test_query_counts.py).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from stockline.accounts.models import Invitation, Membership
from stockline.audit.actors import ActorType
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.catalog.selectors import product_search
from stockline.catalog.stock_rules import (
    StockStatus,
    inventory_health,
    stock_status_expression,
    stock_status_q,
)
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order, OrderLine

INVENTORY_PAGE_SIZE = 50
ORDERS_PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
MOVEMENTS_PAGE_SIZE = 25
PICKER_LIMIT = 20
STOCK_CHART_POINTS = 60


def _page(queryset, number, size: int) -> Page:
    return Paginator(queryset, size).get_page(number)


# ---------------------------------------------------------------- inventory

# Each order is served by an index of Product, so no sort touches every row.
INVENTORY_SORTS = {
    "name": ("name", "id"),
    "newest": ("-created_at", "-id"),
}
ACTIVE_FILTERS = {"active": True, "inactive": False}


@dataclass(frozen=True, slots=True)
class InventoryFilters:
    q: str = ""
    status: str = ""
    active: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params) -> "InventoryFilters":
        """Unknown values are ignored rather than refused: a stale bookmark still opens."""
        status = params.get("status", "")
        active = params.get("active", "")
        sort = params.get("sort", "name")
        return cls(
            q=params.get("q", "").strip()[:200],
            status=status if status in StockStatus.values else "",
            active=active if active in ACTIVE_FILTERS else "",
            sort=sort if sort in INVENTORY_SORTS else "name",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.status or self.active)


# Staff look a product up by what identifies it, not by its description: a search for "box"
# should not bring up every product whose blurb mentions boxes (the New order picker of the
# product this models searches name, SKU and category too). Speed does not decide it: the
# search reads every row either way (bench/README.md).
STAFF_SEARCHES_DESCRIPTIONS = False


def inventory_products(*, company, filters: InventoryFilters) -> QuerySet[Product]:
    products = product_search(
        Product.objects.filter(company_id=company.id), filters.q, descriptions=STAFF_SEARCHES_DESCRIPTIONS
    )
    if filters.status:
        products = products.filter(
            stock_status_q(filters.status, company_default=company.low_stock_threshold)
        )
    if filters.active:
        products = products.filter(is_active=ACTIVE_FILTERS[filters.active])
    return products.order_by(*INVENTORY_SORTS[filters.sort])


def inventory_page(*, company, filters: InventoryFilters, page_number) -> Page:
    """One page of the inventory list with each row's stock status: a COUNT and a SELECT."""
    products = inventory_products(company=company, filters=filters).annotate(
        status=stock_status_expression(company_default=company.low_stock_threshold)
    )
    return _page(products, page_number, INVENTORY_PAGE_SIZE)


def company_health(*, company) -> dict[str, int]:
    return inventory_health(company)


# ---------------------------------------------------------------- products


def product_movements_page(*, product: Product, page_number) -> Page:
    return _page(
        StockMovement.objects.filter(product=product).select_related("order"),
        page_number,
        MOVEMENTS_PAGE_SIZE,
    )


def product_stock_series(*, product: Product) -> list[StockMovement]:
    """The latest movements, oldest first, for the stock history chart."""
    latest = StockMovement.objects.filter(product=product).order_by("-created_at", "-id")[:STOCK_CHART_POINTS]
    return list(
        reversed(latest.only("created_at", "stock_before", "stock_after", "delta", "reason", "actor_label"))
    )


def picker_products(*, company_id: UUID, q: str = "") -> list[Product]:
    """Active products for the New order picker (out-of-stock ones included, shown as such)."""
    products = product_search(
        Product.objects.filter(company_id=company_id, is_active=True),
        q,
        descriptions=STAFF_SEARCHES_DESCRIPTIONS,
    )
    return list(
        products.annotate(status=stock_status_expression()).order_by("name", "id")[: PICKER_LIMIT + 1]
    )


def products_by_id(*, company_id: UUID, product_ids) -> dict[UUID, Product]:
    products = Product.objects.filter(company_id=company_id, id__in=list(product_ids)).annotate(
        status=stock_status_expression()
    )
    return {p.id: p for p in products}


# ---------------------------------------------------------------- orders


@dataclass(frozen=True, slots=True)
class OrderFilters:
    status: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> "OrderFilters":
        status = params.get("status", "")
        return cls(status=status if status in OrderStatus.values else "", q=params.get("q", "").strip()[:200])


def _line_count():
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order").annotate(n=Count("id"))
    return Subquery(lines.values("n"), output_field=IntegerField())


def orders_list(*, company_id: UUID, filters: OrderFilters) -> QuerySet[Order]:
    orders = Order.objects.filter(company_id=company_id)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.q:
        number = filters.q.lstrip("#")
        match = (
            Q(po_number__icontains=filters.q)
            | Q(customer__name__icontains=filters.q)
            | Q(customer__email__icontains=filters.q)
        )
        if number.isdigit():
            match |= Q(number=int(number))
        orders = orders.filter(match)
    return orders.select_related("customer", "placed_by_user").annotate(line_count=_line_count())


def orders_page(*, company_id: UUID, filters: OrderFilters, page_number) -> Page:
    return _page(orders_list(company_id=company_id, filters=filters), page_number, ORDERS_PAGE_SIZE)


def order_status_counts(*, company_id: UUID) -> dict[str, int]:
    rows = Order.objects.filter(company_id=company_id).values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in OrderStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def recent_orders(*, company_id: UUID, limit: int = 5) -> list[Order]:
    return list(
        Order.objects.filter(company_id=company_id).select_related("customer", "placed_by_user")[:limit]
    )


# ---------------------------------------------------------------- audit log


@dataclass(frozen=True, slots=True)
class AuditFilters:
    action: str = ""
    actor_type: str = ""
    entity_type: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_params(cls, params) -> "AuditFilters":
        action = params.get("action", "")
        actor_type = params.get("actor_type", "")
        return cls(
            action=action if action in AuditAction.values else "",
            actor_type=actor_type if actor_type in ActorType.values else "",
            entity_type=params.get("entity_type", "").strip()[:30],
            date_from=_parse_date(params.get("from", "")),
            date_to=_parse_date(params.get("to", "")),
        )


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, company_id: UUID, filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(company_id=company_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor_type:
        entries = entries.filter(actor_type=filters.actor_type)
    if filters.entity_type:
        entries = entries.filter(entity_type=filters.entity_type)
    if filters.date_from:
        entries = entries.filter(created_at__gte=_start_of_day(filters.date_from))
    if filters.date_to:  # inclusive: to the end of that day
        entries = entries.filter(created_at__lt=_start_of_day(filters.date_to + timedelta(days=1)))
    return entries.order_by("-created_at", "-id")


def audit_page(*, company_id: UUID, filters: AuditFilters, page_number) -> Page:
    return _page(audit_entries(company_id=company_id, filters=filters), page_number, AUDIT_PAGE_SIZE)


def audit_entity_types(*, company_id: UUID) -> list[str]:
    """Entity types present in this company's log, for the filter dropdown."""
    return list(
        AuditEntry.objects.filter(company_id=company_id)
        .order_by("entity_type")
        .values_list("entity_type", flat=True)
        .distinct()
    )


def recent_activity(*, company_id: UUID, limit: int = 10) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(company_id=company_id).order_by("-created_at", "-id")[:limit])


def entity_history(*, company_id: UUID, entity_type: str, entity_id) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            company_id=company_id, entity_type=entity_type, entity_id=str(entity_id)
        ).order_by("created_at", "id")
    )


# ---------------------------------------------------------------- team


def team_members(*, company_id: UUID) -> list[Membership]:
    return list(
        Membership.objects.filter(company_id=company_id).select_related("user").order_by("created_at", "id")
    )


def open_invitations(*, company_id: UUID) -> list[Invitation]:
    """Invitations that can still be accepted: not used, not revoked, not expired."""
    return list(
        Invitation.objects.filter(
            company_id=company_id, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("created_by")
    )
