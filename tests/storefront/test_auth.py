"""SPEC §5: customer registration, sign-in and sign-out, kept apart from staff sessions."""

from datetime import timedelta

import pytest
from django.test import Client

from stockline.audit.actors import ActorType
from stockline.audit.models import AuditAction, AuditEntry
from stockline.core.channels import Channel
from stockline.customers.models import Customer, CustomerStatus
from tests.factories import PASSWORD, make_company, make_customer
from tests.storefront.conftest import sign_in, store_path

SUSPENDED = "Your account has been suspended. Please contact the store."
INVALID = "Invalid email or password."


def register(client, company, **fields):
    data = {"name": "Bayside Café", "email": "Orders@Bayside.test", "password": "s3cret-pass"} | fields
    return client.post(store_path(company, "register"), data)


# ---------------------------------------------------------------- registration


def test_registration_creates_an_active_customer_signs_them_in_and_opens_the_catalog(client, company):
    response = register(client, company)

    assert response.status_code == 302
    assert response["Location"] == store_path(company, "catalog")
    customer = Customer.objects.get(company=company)
    assert (customer.email, customer.name, customer.status) == (
        "orders@bayside.test",
        "Bayside Café",
        CustomerStatus.ACTIVE,
    )
    assert customer.check_password("s3cret-pass")
    assert client.get(store_path(company, "catalog")).status_code == 200


def test_registration_is_audited_as_customer_created_from_the_storefront(client, company):
    register(client, company)
    entry = AuditEntry.objects.get(company=company, action=AuditAction.CUSTOMER_CREATED)
    assert (entry.actor_type, entry.channel, entry.metadata["email"]) == (
        ActorType.SYSTEM,
        Channel.STOREFRONT,
        "orders@bayside.test",
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "A"}, "name", "at least 2 characters"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password": "short7!"}, "password", "at least 8 characters"),
        ({"password": "p" * 101}, "password", "at most 100 characters"),
    ],
)
def test_registration_refuses_invalid_fields_with_a_message_on_the_field(
    client, company, fields, field, message
):
    response = register(client, company, **fields)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not Customer.objects.filter(company=company).exists()


def test_registration_with_an_email_already_registered_at_this_store_says_so(client, company):
    make_customer(company, email="orders@bayside.test")
    response = register(client, company, email="ORDERS@bayside.test")
    assert response.status_code == 422
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists. Sign in instead."
    ]
    assert Customer.objects.filter(company=company).count() == 1


def test_the_same_email_may_register_at_two_stores(client, company):
    other = make_company("Other Wholesale")[0]
    make_customer(other, email="orders@bayside.test")
    assert register(client, company).status_code == 302


def test_an_unknown_store_is_a_404(client, db):
    assert client.get("/store/no-such-store/login").status_code == 404
    assert client.get("/store/no-such-store/register").status_code == 404


# ---------------------------------------------------------------- sign-in


def test_sign_in_opens_the_catalog_and_rotates_the_session_key(client, company, buyer):
    client.get(store_path(company, "login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(store_path(company, "login"), {"email": buyer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == store_path(company, "catalog")
    assert client.session.session_key != before


def test_sign_in_matches_the_email_case_insensitively(client, company, buyer):
    response = client.post(store_path(company, "login"), {"email": buyer.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("buyer@harbor.test", "wrong-password"), ("nobody@harbor.test", PASSWORD), ("", "")],
)
def test_failed_sign_in_says_only_invalid_email_or_password(client, company, buyer, email, password):
    response = client.post(store_path(company, "login"), {"email": email, "password": password})
    assert response.status_code == 401
    assert response.context["error"] == INVALID
    assert client.get(store_path(company, "catalog")).status_code == 302


def test_blocked_customer_with_the_right_password_is_told_the_account_is_suspended(client, company, buyer):
    Customer.objects.filter(id=buyer.id).update(status=CustomerStatus.BLOCKED)
    response = client.post(store_path(company, "login"), {"email": buyer.email, "password": PASSWORD})
    assert response.status_code == 401
    assert response.context["error"] == SUSPENDED
    assert SUSPENDED in response.content.decode()
    assert client.get(store_path(company, "catalog")).status_code == 302


def test_blocked_customer_with_a_wrong_password_learns_nothing_more(client, company, buyer):
    Customer.objects.filter(id=buyer.id).update(status=CustomerStatus.BLOCKED)
    response = client.post(store_path(company, "login"), {"email": buyer.email, "password": "wrong-password"})
    assert response.context["error"] == INVALID


def test_customer_blocked_while_signed_in_is_signed_out_on_the_next_page(buyer_client, company, buyer):
    Customer.objects.filter(id=buyer.id).update(status=CustomerStatus.BLOCKED)
    response = buyer_client.get(store_path(company, "catalog"), follow=True)
    assert response.redirect_chain[-1][0].startswith(store_path(company, "login"))
    assert SUSPENDED in response.content.decode()


def test_a_password_change_ends_existing_sessions(buyer_client, company, buyer):
    buyer.set_password("a-new-password")
    buyer.save(update_fields=["password"])
    assert buyer_client.get(store_path(company, "catalog")).status_code == 302


def test_a_customer_session_lasts_seven_days(buyer_client, company, monkeypatch):
    import time

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + timedelta(days=6, hours=23).total_seconds())
    assert buyer_client.get(store_path(company, "catalog")).status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + timedelta(days=7, minutes=1).total_seconds())
    assert buyer_client.get(store_path(company, "catalog")).status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in_and_come_back_after(client, company, buyer):
    response = client.get(store_path(company, "orders"))
    assert response.status_code == 302
    assert (
        response["Location"] == store_path(company, "login") + "?next=%2Fstore%2Facme-distributors%2Forders"
    )
    response = client.post(
        store_path(company, "login"),
        {"email": buyer.email, "password": PASSWORD, "next": store_path(company, "orders")},
    )
    assert response["Location"] == store_path(company, "orders")


@pytest.mark.parametrize(
    "target", ["https://evil.test/", "//evil.test/x", "/dashboard", "/store/other-store/"]
)
def test_sign_in_never_redirects_outside_the_store(client, company, buyer, target):
    response = client.post(
        store_path(company, "login"), {"email": buyer.email, "password": PASSWORD, "next": target}
    )
    assert response["Location"] == store_path(company, "catalog")


def test_landing_sends_visitors_to_sign_in_and_customers_to_the_catalog(client, company, buyer):
    assert client.get(f"/store/{company.slug}")["Location"] == store_path(company)  # slash appended
    assert client.get(store_path(company))["Location"] == store_path(company, "login")
    sign_in(client, company, buyer)
    assert client.get(store_path(company))["Location"] == store_path(company, "catalog")


# ---------------------------------------------------------------- sign-out, separation, CSRF


def test_sign_out_ends_the_customer_session(buyer_client, company):
    response = buyer_client.post(store_path(company, "logout"))
    assert response["Location"] == store_path(company, "login")
    assert buyer_client.get(store_path(company, "catalog")).status_code == 302


def test_sign_out_is_post_only(buyer_client, company):
    assert buyer_client.get(store_path(company, "logout")).status_code == 405
    assert buyer_client.get(store_path(company, "catalog")).status_code == 200


def test_a_signed_in_staff_user_is_not_a_customer(client, company, owner):
    client.force_login(owner.user)
    assert client.get("/dashboard").status_code == 200
    assert client.get(store_path(company, "catalog")).status_code == 302


def test_customer_sign_in_and_out_leave_the_staff_session_alone(client, company, owner, buyer):
    client.force_login(owner.user)
    sign_in(client, company, buyer)
    assert client.get("/dashboard").status_code == 200
    assert client.get(store_path(company, "catalog")).status_code == 200
    client.post(store_path(company, "logout"))
    assert client.get("/dashboard").status_code == 200


def test_a_customer_of_one_store_is_nobody_at_another(buyer_client, company):
    other = make_company("Other Wholesale")[0]
    assert buyer_client.get(store_path(other, "catalog")).status_code == 302
    assert buyer_client.get(store_path(company, "catalog")).status_code == 200


def test_every_storefront_form_requires_a_csrf_token(company, buyer):
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(store_path(company, "login"), {"email": buyer.email, "password": PASSWORD}).status_code
        == 403
    )
    assert register(client, company).status_code == 403
    page = client.get(store_path(company, "login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
