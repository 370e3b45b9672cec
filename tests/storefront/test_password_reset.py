"""Customer password reset per store (issue 12): scoped to the store, in its name, once only."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import Client

from stockline.customers.models import CustomerStatus
from tests.factories import PASSWORD, make_company, make_customer
from tests.storefront.conftest import sign_in, store_path

NEW_PASSWORD = "a-brand-new-secret-42"
SITE = "https://shop.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _reset_path() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+", mail.outbox[0].body)
    assert match and match.group(0).startswith(SITE + "/store/"), mail.outbox[0].body
    return match.group(0).removeprefix(SITE)


def _set_new_password(client, path: str, password: str = NEW_PASSWORD):
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_login_page_links_to_the_reset(client, company):
    content = client.get(store_path(company, "login")).content.decode()
    assert f'href="/store/{company.slug}/password-reset"' in content and "Forgot password?" in content


def test_unknown_and_known_emails_get_the_same_answer(client, company, buyer):
    url = store_path(company, "password-reset")
    unknown = client.post(url, {"email": "nobody@example.com"})
    assert len(mail.outbox) == 0
    known = client.post(url, {"email": buyer.email.upper()})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [buyer.email]
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == store_path(company, "password-reset/done")


def test_the_email_is_in_the_stores_name_with_an_absolute_link(client, company, buyer, settings):
    # An allowed host that is not SITE_URL's (a disallowed one never reaches the view).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example.org"]
    client.post(store_path(company, "password-reset"), {"email": buyer.email}, HTTP_HOST="evil.example.org")
    path = _reset_path()
    assert path.startswith(f"/store/{company.slug}/password-reset/")
    message = mail.outbox[0]
    assert parseaddr(message.from_email) == (company.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    assert company.name in message.subject
    assert "evil.example.org" not in message.body


def test_a_customer_of_another_store_is_nobody_here(client, company):
    rival, _ = make_company("Rival Wholesale")
    rival_buyer = make_customer(rival, email="shared@example.com")
    client.post(store_path(company, "password-reset"), {"email": rival_buyer.email})
    assert len(mail.outbox) == 0

    client.post(store_path(rival, "password-reset"), {"email": rival_buyer.email})
    rival_path = _reset_path()
    # The same link under the other store's slug does not open.
    elsewhere = rival_path.replace(f"/store/{rival.slug}/", f"/store/{company.slug}/")
    response = client.get(elsewhere, follow=True)
    assert response.status_code == 200 and not response.context["validlink"]


def test_the_link_sets_a_new_password_once(client, company, buyer):
    client.post(store_path(company, "password-reset"), {"email": buyer.email})
    path = _reset_path()
    response = _set_new_password(client, path)
    assert response.status_code == 302 and response.url == store_path(company, "password-reset/complete")
    assert client.get(response.url).status_code == 200

    fresh = Client()
    refused = fresh.post(store_path(company, "login"), {"email": buyer.email, "password": PASSWORD})
    assert refused.status_code == 401
    sign_in(fresh, company, buyer, NEW_PASSWORD)

    again = Client().get(path, follow=True)
    assert again.status_code == 200 and not again.context["validlink"]
    assert "not valid" in again.content.decode()


def test_a_weak_new_password_is_refused(client, company, buyer):
    client.post(store_path(company, "password-reset"), {"email": buyer.email})
    response = _set_new_password(client, _reset_path(), "pw")
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)


def test_the_reset_ends_the_customers_other_sessions(client, company, buyer):
    other = sign_in(Client(), company, buyer)
    assert other.get(store_path(company, "orders")).status_code == 200

    client.post(store_path(company, "password-reset"), {"email": buyer.email})
    assert _set_new_password(client, _reset_path()).status_code == 302

    after = other.get(store_path(company, "orders"))
    assert after.status_code == 302 and after.url.startswith(store_path(company, "login"))


def test_a_blocked_customer_gets_no_email_and_their_link_dies(client, company, buyer):
    client.post(store_path(company, "password-reset"), {"email": buyer.email})
    path = _reset_path()
    buyer.status = CustomerStatus.BLOCKED
    buyer.save(update_fields=["status"])
    response = client.get(path, follow=True)
    assert not response.context["validlink"]
    mail.outbox.clear()
    client.post(store_path(company, "password-reset"), {"email": buyer.email})
    assert len(mail.outbox) == 0


def test_a_malformed_link_is_not_valid(client, company):
    response = client.get(store_path(company, "password-reset/not-base64!/abc-123"), follow=True)
    assert response.status_code == 200 and not response.context["validlink"]
