"""The demo company, built only through the services real users go through.

So its ledger reconciles, its audit log tells the story, and its low-stock jobs are real.
One transaction: a seed that fails half-way leaves nothing behind to be mistaken for a
finished demo.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.services import (
    company_create,
    invitation_accept,
    invitation_accept_new_user,
    invitation_create,
)
from stockline.api.keys import SCOPE_VALUES, api_key_actor, api_key_create
from stockline.audit.actors import Actor
from stockline.catalog.models import Product
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from stockline.customers.models import Customer
from stockline.customers.services import customer_create
from stockline.demo.catalog import COMPANY_NAME, CUSTOMERS, ORDERS, PASSWORD, PRODUCTS, STAFF
from stockline.events.feed import events_number
from stockline.events.models import EventType
from stockline.orders.lifecycle import RESTOCKABLE_STATUSES
from stockline.orders.services import OrderLineInput, order_place, order_status_change
from stockline.webhooks.services import webhook_endpoint_create, webhook_endpoint_update

OWNER_EMAIL, OWNER_NAME, _ = STAFF[0]
WEBHOOK_URL = "https://erp.harbor-supply.example/stockline/webhooks"


@dataclass(frozen=True, slots=True)
class DemoSeed:
    company: Company
    created: bool  # False: the company was already there (only missing pieces were added)
    api_key: str | None = None  # the plaintext, only in the run that created the key


def demo_company() -> Company | None:
    """The demo company: the one owner@demo.test owns (its name may have been edited)."""
    return (
        Company.objects.filter(memberships__role=Role.OWNER, memberships__user__email=OWNER_EMAIL)
        .order_by("created_at")
        .first()
    )


def demo_seed() -> DemoSeed:
    """Create the demo company, or add what is missing from it; never duplicates anything.

    Order history is only written with a new company: its products open with exactly the
    stock the history then sells, so every product ends at its catalogued level.
    """
    with transaction.atomic():
        company = demo_company()
        created = company is None
        if created:
            company, _ = company_create(
                name=COMPANY_NAME, owner_email=OWNER_EMAIL, owner_password=PASSWORD, owner_name=OWNER_NAME
            )
        staff = _staff_ensure(company)
        owner = staff[OWNER_EMAIL]
        customers = _customers_ensure(owner)
        _products_ensure(owner, opening=_opening_stock() if created else {})
        api_key = None
        if created:
            key, api_key = api_key_create(
                actor=owner, name="ERP integration", scopes=sorted(SCOPE_VALUES), channel=Channel.CLI
            )
            _history_place(company=company, staff=staff, customers=customers, api_actor=api_key_actor(key))
            _webhook_add(owner)
    return DemoSeed(company=company, created=created, api_key=api_key)


def _webhook_add(owner: Actor) -> None:
    """The ERP's webhook endpoint with the history's events owed to it, paused (the demo has
    no ERP to send to): its delivery log shows them waiting."""
    endpoint = webhook_endpoint_create(
        actor=owner, channel=Channel.CLI, url=WEBHOOK_URL, events=list(EventType.values)
    ).endpoint
    events_number()
    webhook_endpoint_update(
        actor=owner, channel=Channel.CLI, endpoint_id=endpoint.id, changes={"is_active": False}
    )


def _staff_ensure(company: Company) -> dict[str, Actor]:
    """Every demo staff member on the team (joining by invitation), as actors by email."""
    memberships = {m.user.email: m for m in Membership.objects.filter(company=company).select_related("user")}
    owner = Actor.staff(memberships[OWNER_EMAIL])
    for email, name, role in STAFF:
        if email in memberships:
            continue
        _, token = invitation_create(actor=owner, role=role)
        user = User.objects.filter(email=email).first()
        if user is None:
            memberships[email] = invitation_accept_new_user(
                token=token, email=email, password=PASSWORD, name=name
            )
        else:
            memberships[email] = invitation_accept(token=token, user=user)
    return {email: Actor.staff(m) for email, m in memberships.items()}


def _customers_ensure(owner: Actor) -> dict[str, Customer]:
    existing = {c.email: c for c in Customer.objects.filter(company_id=owner.company_id)}
    for email, name, can_log_in in CUSTOMERS:
        if email not in existing:
            existing[email] = customer_create(
                actor=owner,
                channel=Channel.CLI,
                email=email,
                name=name,
                password=PASSWORD if can_log_in else None,
            )
    return existing


def _opening_stock() -> dict[str, int]:
    """Per SKU: the catalogued level plus what the order history sells, minus what it restocks."""
    opening = Counter({p.sku: p.stock for p in PRODUCTS})
    for order in ORDERS:
        restocked = any(restock and status in RESTOCKABLE_STATUSES for status, restock in order.statuses)
        for sku, quantity in order.lines:
            if not restocked:
                opening[sku] += quantity
    return dict(opening)


def _products_ensure(owner: Actor, *, opening: dict[str, int]) -> None:
    existing = set(
        Product.objects.filter(company_id=owner.company_id, sku__in=[p.sku for p in PRODUCTS]).values_list(
            "sku", flat=True
        )
    )
    for p in PRODUCTS:
        if p.sku in existing:
            continue
        product_create(
            actor=owner,
            channel=Channel.CLI,
            name=p.name,
            sku=p.sku,
            description=p.description,
            category=p.category,
            unit=p.unit,
            price=Decimal(p.price),
            stock=opening.get(p.sku, p.stock),
            low_stock_threshold=p.threshold,
            is_active=p.active,
        )


def _placer(channel: str, *, staff: Actor, customer: Customer | None, api_actor: Actor) -> Actor:
    if channel == Channel.STOREFRONT:
        return Actor.customer(customer)
    return api_actor if channel == Channel.API else staff


def _history_place(
    *, company: Company, staff: dict[str, Actor], customers: dict[str, Customer], api_actor: Actor
) -> None:
    product_ids = dict(Product.objects.filter(company=company).values_list("sku", "id"))
    for demo in ORDERS:
        customer = customers[demo.customer] if demo.customer else None
        order = order_place(
            actor=_placer(demo.channel, staff=staff[demo.by], customer=customer, api_actor=api_actor),
            channel=demo.channel,
            customer=customer,
            lines=[OrderLineInput(product_id=product_ids[sku], quantity=q) for sku, q in demo.lines],
            po_number=demo.po_number,
            notes=demo.notes,
        ).order
        for status, restock in demo.statuses:
            order_status_change(
                actor=staff[demo.by],
                channel=Channel.DASHBOARD,
                order_id=order.id,
                status=status,
                restock=restock,
            )
