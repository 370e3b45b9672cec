"""Every dashboard page and action checks the role on the server (SPEC §4, docs §4.1), refuses
anonymous visitors, answers 404 for another company's objects, and needs a CSRF token."""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern

from stockline.accounts.models import Invitation, Membership, Role
from stockline.accounts.services import invitation_create
from stockline.api.keys import api_key_create
from stockline.api.models import ApiKey
from stockline.catalog.models import Product
from stockline.dashboard import urls as dashboard_urls
from tests.factories import make_company, make_member, make_product, owner_actor, place

ALL = {Role.OWNER, Role.ADMIN, Role.MEMBER}
OWNER_ADMIN = {Role.OWNER, Role.ADMIN}


@dataclass
class World:
    product: Product
    order: object
    member: Membership
    invitation: Invitation
    api_key: ApiKey


def _world(company, *, stock: int, key_name: str) -> World:
    """One of each object a dashboard route acts on, in `company`."""
    product = make_product(company, stock=stock)
    actor = owner_actor(company)
    invitation, _ = invitation_create(actor=actor, role=Role.MEMBER)
    key, _ = api_key_create(actor=actor, name=key_name, scopes=["products:read"])
    return World(
        product=product,
        order=place(company, [(product, 1)]),
        member=make_member(company, Role.MEMBER),
        invitation=invitation,
        api_key=key,
    )


@pytest.fixture
def world(company):
    return _world(company, stock=50, key_name="ERP")


def product_form(w: World, **extra) -> dict:
    return {"name": "Widget", "unit": "each", "price": "2.50", "stock": "7", "is_active": "on", **extra}


# (method, url, data, roles allowed)
CASES = {
    "home": ("get", lambda w: "/dashboard", None, ALL),
    "inventory": ("get", lambda w: "/dashboard/inventory", None, ALL),
    "product new page": ("get", lambda w: "/dashboard/inventory/new", None, ALL),
    "product create": ("post", lambda w: "/dashboard/inventory/new", product_form, ALL),
    "product page": ("get", lambda w: f"/dashboard/inventory/{w.product.id}", None, ALL),
    "product edit page": ("get", lambda w: f"/dashboard/inventory/{w.product.id}/edit", None, ALL),
    "product edit": (
        "post",
        lambda w: f"/dashboard/inventory/{w.product.id}/edit",
        lambda w: product_form(w, stock="49", stock_original="49"),
        ALL,
    ),
    "bulk stock": (
        "post",
        lambda w: "/dashboard/inventory/bulk",
        lambda w: {"action": "stock_set", "value": "3", "ids": [str(w.product.id)], "confirm": "1"},
        ALL,
    ),
    "bulk deactivate": (
        "post",
        lambda w: "/dashboard/inventory/bulk",
        lambda w: {"action": "deactivate", "ids": [str(w.product.id)]},
        ALL,
    ),
    "orders": ("get", lambda w: "/dashboard/orders", None, ALL),
    "order page": ("get", lambda w: f"/dashboard/orders/{w.order.id}", None, ALL),
    "order status": (
        "post",
        lambda w: f"/dashboard/orders/{w.order.id}/status",
        lambda w: {"status": "CONFIRMED"},
        ALL,
    ),
    "new order page": ("get", lambda w: "/dashboard/orders/new", None, ALL),
    "new order picker": ("get", lambda w: "/dashboard/orders/new/products?q=Product", None, ALL),
    "new order cart line": ("get", lambda w: f"/dashboard/orders/new/line/{w.product.id}", None, ALL),
    "place order": (
        "post",
        lambda w: "/dashboard/orders/new",
        lambda w: {"product": [str(w.product.id)], "quantity": ["1"]},
        ALL,
    ),
    "company settings page": ("get", lambda w: "/dashboard/settings", None, OWNER_ADMIN),
    "company settings save": (
        "post",
        lambda w: "/dashboard/settings",
        lambda w: {"name": "Renamed", "low_stock_threshold": "3"},
        OWNER_ADMIN,
    ),
    "team page": ("get", lambda w: "/dashboard/settings/team", None, ALL),
    "invite": (
        "post",
        lambda w: "/dashboard/settings/team/invite",
        lambda w: {"role": "MEMBER"},
        OWNER_ADMIN,
    ),
    "revoke invitation": (
        "post",
        lambda w: f"/dashboard/settings/team/invitations/{w.invitation.id}/revoke",
        lambda w: {},
        OWNER_ADMIN,
    ),
    "change role": (
        "post",
        lambda w: f"/dashboard/settings/team/{w.member.id}/role",
        lambda w: {"role": "ADMIN"},
        {Role.OWNER},
    ),
    "remove member": (
        "post",
        lambda w: f"/dashboard/settings/team/{w.member.id}/remove",
        lambda w: {},
        OWNER_ADMIN,
    ),
    "api keys page": ("get", lambda w: "/dashboard/settings/api-keys", None, OWNER_ADMIN),
    "api key create": (
        "post",
        lambda w: "/dashboard/settings/api-keys",
        lambda w: {"name": "New", "scopes": ["orders:read"]},
        OWNER_ADMIN,
    ),
    "api key revoke": (
        "post",
        lambda w: f"/dashboard/settings/api-keys/{w.api_key.id}/revoke",
        lambda w: {},
        OWNER_ADMIN,
    ),
    "audit log": ("get", lambda w: "/dashboard/settings/audit", None, OWNER_ADMIN),
}


def _request(client, case, world):
    method, url, data, _ = CASES[case]
    payload = data(world) if data else None
    if method == "get":
        return client.get(url(world))
    return client.post(url(world), payload)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.MEMBER])
@pytest.mark.parametrize("case", list(CASES))
def test_each_page_and_action_follows_the_role_table(case, role, staff_client, world):
    client = staff_client(role)
    response = _request(client, case, world)
    if role in CASES[case][3]:
        assert response.status_code in (200, 201, 302), response.content[:500]
        if response.status_code == 302:
            assert not response.url.startswith("/login")
    else:
        assert response.status_code == 403


def test_refused_actions_change_nothing(staff_client, world, company):
    client = staff_client(Role.MEMBER)
    for case in [
        "company settings save",
        "invite",
        "change role",
        "remove member",
        "api key create",
        "api key revoke",
    ]:
        assert _request(client, case, world).status_code == 403
    company.refresh_from_db()
    assert company.name == "Acme Distributors"
    assert Membership.objects.filter(id=world.member.id, role=Role.MEMBER).exists()
    assert ApiKey.objects.filter(company=company).count() == 1
    assert ApiKey.objects.get(id=world.api_key.id).revoked_at is None
    assert Invitation.objects.filter(company=company).count() == 1


def test_admin_cannot_remove_another_admin_or_the_owner(staff_client, company, owner):
    other_admin = make_member(company, Role.ADMIN)
    client = staff_client(Role.ADMIN)
    assert client.post(f"/dashboard/settings/team/{other_admin.id}/remove").status_code == 403
    assert client.post(f"/dashboard/settings/team/{owner.id}/remove").status_code == 403
    assert Membership.objects.filter(id__in=[other_admin.id, owner.id]).count() == 2


def test_owner_cannot_remove_themself(owner_client, owner):
    response = owner_client.post(f"/dashboard/settings/team/{owner.id}/remove", follow=True)
    assert "cannot remove yourself" in response.content.decode()
    assert Membership.objects.filter(id=owner.id).exists()


def _dashboard_patterns():
    for pattern in dashboard_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route.startswith("dashboard"):
            # A fixed id keeps the test ids identical in every pytest-xdist worker.
            yield pattern.name, "/" + re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), route)


@pytest.mark.parametrize(("name", "url"), list(_dashboard_patterns()))
def test_every_dashboard_url_sends_anonymous_visitors_to_login(name, url, client, db):
    for response in (client.get(url), client.post(url)):
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith("/login?next=")


@pytest.fixture
def foreign(db):
    """Objects of another company, which must look like they do not exist."""
    company, _ = make_company("Rival Wholesale")
    return _world(company, stock=10, key_name="Rival key")


@pytest.mark.parametrize(
    "case",
    [
        "product page",
        "product edit page",
        "product edit",
        "order page",
        "order status",
        "new order cart line",
        "revoke invitation",
        "change role",
        "remove member",
        "api key revoke",
        "bulk stock",
        "bulk deactivate",
    ],
)
def test_another_companys_objects_answer_404(case, owner_client, foreign):
    assert _request(owner_client, case, foreign).status_code == 404


def test_another_companys_product_cannot_be_ordered(owner_client, foreign):
    response = owner_client.post(
        "/dashboard/orders/new", {"product": [str(foreign.product.id)], "quantity": ["1"]}
    )
    assert response.status_code == 422
    foreign.product.refresh_from_db()
    assert foreign.product.stock == 9


POST_CASES = [name for name, case in CASES.items() if case[0] == "post"]


@pytest.mark.parametrize("case", POST_CASES)
def test_every_action_needs_a_csrf_token(case, owner, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner.user)
    assert _request(client, case, world).status_code == 403


GET_PAGES = [name for name, case in CASES.items() if case[0] == "get"]


@pytest.mark.parametrize("case", GET_PAGES)
def test_every_post_form_on_every_page_carries_the_csrf_token(case, owner_client, world):
    html = _request(owner_client, case, world).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, flags=re.S | re.I)
    for body in forms:
        assert "csrfmiddlewaretoken" in body
