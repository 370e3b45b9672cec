"""Test data builders. Every test makes its own data; none depends on another's."""

import itertools
from decimal import Decimal

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.services import company_create
from stockline.audit.actors import Actor
from stockline.catalog.models import Product
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from stockline.customers.models import Customer
from stockline.customers.services import customer_create
from stockline.orders.services import OrderLineInput, order_place

_seq = itertools.count(1)

PASSWORD = "correct-horse-battery"


def make_company(name: str | None = None) -> tuple[Company, Membership]:
    n = next(_seq)
    return company_create(
        name=name or f"Company {n}",
        owner_email=f"owner{n}@example.com",
        owner_password=PASSWORD,
        owner_name=f"Owner {n}",
    )


def make_member(company: Company, role: str = Role.MEMBER, email: str | None = None) -> Membership:
    n = next(_seq)
    user = User.objects.create_user(
        email or f"{role.lower()}{n}@example.com", PASSWORD, name=f"{role.title()} {n}"
    )
    return Membership.objects.create(user=user, company=company, role=role)


def owner_actor(company: Company) -> Actor:
    membership = Membership.objects.select_related("user").get(company=company, role=Role.OWNER)
    return Actor.staff(membership)


def make_product(company: Company, **fields) -> Product:
    n = next(_seq)
    defaults = {
        "name": f"Product {n}",
        "sku": f"SKU-{n:05d}",
        "price": Decimal("10.00"),
        "stock": 100,
    }
    defaults.update(fields)
    return product_create(actor=owner_actor(company), channel=Channel.DASHBOARD, **defaults)


def make_customer(company: Company, **fields) -> Customer:
    n = next(_seq)
    defaults = {"email": f"buyer{n}@example.com", "name": f"Buyer {n}", "password": PASSWORD}
    defaults.update(fields)
    return customer_create(actor=owner_actor(company), channel=Channel.DASHBOARD, **defaults)


def place(
    company: Company,
    items: list[tuple[Product, int]],
    *,
    channel=Channel.DASHBOARD,
    customer: Customer | None = None,
    actor: Actor | None = None,
    **kwargs,
):
    if actor is None:
        actor = Actor.customer(customer) if channel == Channel.STOREFRONT else owner_actor(company)
    return order_place(
        actor=actor,
        channel=channel,
        customer=customer,
        lines=[OrderLineInput(product_id=p.id, quantity=q) for p, q in items],
        **kwargs,
    ).order
