"""Audit entries in words. The log stores codes and structured before/after values; this is
the only place that turns them into sentences, for the audit log page and recent activity.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.urls import reverse

from stockline.accounts.models import Role
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import Product
from stockline.catalog.services import BulkMode
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.models import Order

FIELD_LABELS = {
    "name": "Name",
    "sku": "SKU",
    "description": "Description",
    "category": "Category",
    "unit": "Unit",
    "price": "Price",
    "stock": "Stock qty",
    "low_stock_threshold": "Low-stock threshold",
    "is_active": "Active",
    "role": "Role",
    "status": "Status",
}
# Long free text is summarised, not reproduced, in the log's readable view.
_TRUNCATE = 80
# The raw JSON disclosure is capped so one huge entry cannot swamp the page.
METADATA_DISPLAY_LIMIT = 8 * 1024


@dataclass(slots=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(slots=True)
class AuditLine:
    entry: AuditEntry
    summary: str
    changes: list[Change] = field(default_factory=list)
    url: str | None = None
    entity_label: str = ""

    @property
    def metadata_json(self) -> str:
        text = json.dumps(self.entry.metadata, indent=2, sort_keys=True, ensure_ascii=False)
        return (
            text if len(text) <= METADATA_DISPLAY_LIMIT else text[:METADATA_DISPLAY_LIMIT] + "\n… (truncated)"
        )


def _money(value) -> str:
    try:
        return f"${Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _value(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "price":
        return _money(value)
    if name == "status" and value in OrderStatus.values:
        return OrderStatus(value).label
    if name == "role" and value in Role.values:
        return Role(value).label
    if name == "low_stock_threshold" and value is None:
        return "company default"
    text = str(value)
    return text if len(text) <= _TRUNCATE else text[: _TRUNCATE - 1] + "…"


def _changes(pairs: dict) -> list[Change]:
    out = []
    for name, pair in pairs.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            out.append(
                Change(
                    FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
                    _value(name, pair[0]),
                    _value(name, pair[1]),
                )
            )
    return out


def _products_word(n: int) -> str:
    return f"{n} product{'s' if n != 1 else ''}"


def _bulk(meta: dict) -> tuple[str, list[Change]]:
    changed = meta.get("changed", 0)
    if meta.get("field") == "is_active":
        verb = "Activated" if meta.get("value") else "Deactivated"
        return f"{verb} {_products_word(changed)}", []
    if meta.get("field") == "stock":
        value = meta.get("value", 0)
        how = f"set to {value}" if meta.get("mode") == BulkMode.SET else f"delta {value:+d}"
        summary = f"Bulk stock {how} on {_products_word(changed)}"
        if meta.get("clamped"):
            summary += f" ({meta['clamped']} clamped at 0)"
        changes = [
            Change(p.get("sku") or str(p.get("id", ""))[:8], str(p.get("before")), str(p.get("after")))
            for p in meta.get("products", [])
            if isinstance(p, dict)
        ]
        return summary, changes
    return f"Bulk update of {_products_word(changed)}" if changed else "Bulk update", _changes(
        meta.get("changes", {})
    )


def _describe(entry: AuditEntry, name: str) -> tuple[str, list[Change]]:
    meta = entry.metadata if isinstance(entry.metadata, dict) else {}
    action = entry.action
    if action == AuditAction.PRODUCT_CREATED:
        return f"Created product {meta.get('name') or name}", [
            Change("Stock qty", "—", _value("stock", meta.get("stock")))
        ]
    if action == AuditAction.PRODUCT_UPDATED:
        return f"Updated product {name}".rstrip(), _changes(meta.get("changes", {}))
    if action == AuditAction.PRODUCT_BULK_UPDATED:
        return _bulk(meta)
    if action == AuditAction.STOCK_ADJUSTED:
        delta = meta.get("delta", 0)
        return f"Adjusted stock of {name} by {delta:+d}".replace("  ", " "), _changes(
            {"stock": meta.get("stock")}
        )
    if action == AuditAction.ORDER_PLACED:
        count = len(meta.get("lines", []))
        total = _money(meta.get("total", 0))
        return f"Placed order {name} — {count} line{'s' if count != 1 else ''}, total {total}", []
    if action == AuditAction.ORDER_STATUS_CHANGED:
        summary = f"Changed status of order {name}"
        if meta.get("restocked"):
            summary += " and restocked its items"
        return summary, _changes({"status": meta.get("status")})
    if action == AuditAction.COMPANY_CREATED:
        return f"Created company {meta.get('name', '')}", []
    if action == AuditAction.COMPANY_UPDATED:
        return "Updated company settings", _changes(meta.get("changes", {}))
    if action == AuditAction.CUSTOMER_CREATED:
        return f"Added customer {meta.get('name', '')} ({meta.get('email', '')})", []
    if action == AuditAction.API_KEY_CREATED:
        scopes = ", ".join(meta.get("scopes", []))
        return f"Created API key {meta.get('name', '')} ({meta.get('prefix', '')}…), scopes: {scopes}", []
    if action == AuditAction.API_KEY_REVOKED:
        return f"Revoked API key {meta.get('name', '')} ({meta.get('prefix', '')}…)", []
    if action == AuditAction.MEMBER_INVITED:
        return f"Created an invitation link for a new {_value('role', meta.get('role'))}", []
    if action == AuditAction.INVITATION_REVOKED:
        return "Revoked an invitation link", []
    if action == AuditAction.MEMBER_JOINED:
        return f"{meta.get('email', 'Someone')} joined as {_value('role', meta.get('role'))}", []
    if action == AuditAction.MEMBER_ROLE_CHANGED:
        return f"Changed the role of {meta.get('email', '')}", _changes(meta.get("changes", {}))
    if action == AuditAction.MEMBER_REMOVED:
        return f"Removed {meta.get('email', '')} ({_value('role', meta.get('role'))}) from the team", []
    if action == AuditAction.LOGIN_LOCKED_OUT:
        login = "dashboard" if meta.get("login") == "staff" else "storefront"
        who = (
            f"{meta.get('email', '')} from {meta.get('address', '')}"
            if meta.get("limit") == "account"
            else f"every account from {meta.get('address', '')}"
        )
        return f"Locked {login} sign-in for {who} after {meta.get('failures')} failed attempts", []
    # An action this module does not know yet still reads sensibly.
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in action).strip().capitalize()
    return words, _changes(meta.get("changes", {}))


def _entity_names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """Names of the products and orders on this page: at most two queries, whatever the page."""
    ids: dict[str, set[UUID]] = {"product": set(), "order": set()}
    company_id = entries[0].company_id if entries else None
    for entry in entries:
        if entry.entity_type in ids:
            try:
                ids[entry.entity_type].add(UUID(entry.entity_id))
            except ValueError:
                continue
    names: dict[tuple[str, str], str] = {}
    if ids["product"]:
        for pid, pname in Product.objects.filter(company_id=company_id, id__in=ids["product"]).values_list(
            "id", "name"
        ):
            names[("product", str(pid))] = pname
    if ids["order"]:
        for order in Order.objects.filter(company_id=company_id, id__in=ids["order"]).only("id", "number"):
            names[("order", str(order.id))] = order.display_number
    return names


def _entity_url(entry: AuditEntry, known: bool) -> str | None:
    if not known:
        return None
    if entry.entity_type == "product":
        return reverse("dashboard:product_detail", args=[entry.entity_id])
    if entry.entity_type == "order":
        return reverse("dashboard:order_detail", args=[entry.entity_id])
    return None


def audit_lines(entries) -> list[AuditLine]:
    entries = list(entries)
    names = _entity_names(entries)
    lines = []
    for entry in entries:
        name = names.get((entry.entity_type, entry.entity_id), "")
        summary, changes = _describe(entry, name)
        lines.append(
            AuditLine(
                entry=entry,
                summary=summary,
                changes=changes,
                url=_entity_url(entry, bool(name)),
                entity_label=name,
            )
        )
    return lines
