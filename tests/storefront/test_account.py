"""The customer's account page and changing their own password (issue 12)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from stockline.customers.services import customer_password_change
from tests.factories import PASSWORD, make_company, make_customer
from tests.storefront.conftest import sign_in, store_path

NEW_PASSWORD = "a-brand-new-secret-42"


def _change(client, company, current: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        store_path(company, "account"),
        {"current_password": current, "new_password1": new, "new_password2": new if again is None else again},
    )


def _can_sign_in(company, customer, password: str) -> bool:
    response = Client().post(store_path(company, "login"), {"email": customer.email, "password": password})
    return response.status_code == 302


def test_the_page_shows_who_is_signed_in_and_is_linked_from_the_header(buyer_client, company, buyer):
    response = buyer_client.get(store_path(company, "account"))
    assert response.status_code == 200
    content = response.content.decode()
    assert buyer.name in content and buyer.email in content
    assert 'name="current_password"' in content and 'name="new_password2"' in content
    catalog = buyer_client.get(store_path(company, "catalog")).content.decode()
    assert f'href="/store/{company.slug}/account"' in catalog


def test_anonymous_visitors_go_to_the_sign_in_page(client, company):
    response = client.get(store_path(company, "account"))
    assert response.status_code == 302 and response.url.startswith(store_path(company, "login"))
    response = _change(client, company)
    assert response.status_code == 302 and response.url.startswith(store_path(company, "login"))


def test_a_customer_of_another_store_is_not_signed_in_there(buyer_client, company, buyer):
    rival, _ = make_company("Rival Wholesale")
    make_customer(rival, email=buyer.email)  # same email, another store's account
    response = buyer_client.get(store_path(rival, "account"))
    assert response.status_code == 302 and response.url.startswith(store_path(rival, "login"))
    response = _change(buyer_client, rival)
    assert response.status_code == 302 and response.url.startswith(store_path(rival, "login"))
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_a_wrong_current_password_is_refused_and_nothing_changes(buyer_client, company, buyer):
    response = _change(buyer_client, company, current="not-my-password")
    assert response.status_code == 422 and "current_password" in response.context["form"].errors
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD) and not buyer.check_password(NEW_PASSWORD)
    assert buyer_client.get(store_path(company, "orders")).status_code == 200


def test_a_weak_or_mismatched_new_password_is_refused(buyer_client, company, buyer):
    weak = _change(buyer_client, company, new="pw")
    assert weak.status_code == 422 and "new_password1" in weak.context["form"].errors
    common = _change(buyer_client, company, new="password123")
    assert common.status_code == 422 and "new_password1" in common.context["form"].errors
    mismatch = _change(buyer_client, company, again="something-else-42")
    assert mismatch.status_code == 422 and "new_password2" in mismatch.context["form"].errors
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_the_new_password_works_and_the_old_one_no_longer_does(buyer_client, company, buyer):
    response = _change(buyer_client, company)
    assert response.status_code == 302 and response.url == store_path(company, "account")
    assert "Your password has been changed." in buyer_client.get(response.url).content.decode()
    assert _can_sign_in(company, buyer, NEW_PASSWORD)
    assert not _can_sign_in(company, buyer, PASSWORD)


def test_this_session_stays_and_other_sessions_end(buyer_client, company, buyer):
    other = sign_in(Client(), company, buyer)
    assert other.get(store_path(company, "orders")).status_code == 200

    assert _change(buyer_client, company).status_code == 302

    assert buyer_client.get(store_path(company, "orders")).status_code == 200
    after = other.get(store_path(company, "orders"))
    assert after.status_code == 302 and after.url.startswith(store_path(company, "login"))


def test_the_service_refuses_a_wrong_current_password(company, buyer):
    with pytest.raises(ValidationError) as exc:
        customer_password_change(customer=buyer, current_password="nope", new_password=NEW_PASSWORD)
    assert "current_password" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        customer_password_change(customer=buyer, current_password=PASSWORD, new_password="short")
    assert "new_password" in exc.value.message_dict
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)
