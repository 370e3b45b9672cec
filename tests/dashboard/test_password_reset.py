"""Staff password reset (issue 12): links from SITE_URL, once only, other sessions ended."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD

NEW_PASSWORD = "a-brand-new-secret-42"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://stockline.example.com"


def _reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(0)


def _path(link: str) -> str:
    return link.removeprefix("https://stockline.example.com")


def test_login_page_links_to_the_reset(client, db):
    content = client.get("/login").content.decode()
    assert 'href="/password-reset"' in content and "Forgot password?" in content


def test_unknown_and_known_emails_get_the_same_answer(client, owner):
    unknown = client.post("/password-reset", {"email": "nobody@example.com"})
    assert len(mail.outbox) == 0
    known = client.post("/password-reset", {"email": owner.user.email.upper()})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.user.email]
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == "/password-reset/done"
    assert client.get("/password-reset/done").status_code == 200


def test_the_emailed_link_is_absolute_from_site_url_not_the_request_host(client, owner, settings):
    # An allowed host that is not SITE_URL's (a disallowed one never reaches the view).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example.org"]
    client.post("/password-reset", {"email": owner.user.email}, HTTP_HOST="evil.example.org")
    link = _reset_link()
    assert link.startswith("https://stockline.example.com/password-reset/")
    assert "evil.example.org" not in mail.outbox[0].body


def test_the_link_follows_the_configured_site_url(client, owner, settings):
    settings.SITE_URL = "http://shop.example.net:8000"
    client.post("/password-reset", {"email": owner.user.email})
    assert _reset_link().startswith("http://shop.example.net:8000/password-reset/")


def test_the_link_sets_a_new_password_once(client, owner):
    client.post("/password-reset", {"email": owner.user.email})
    path = _path(_reset_link())

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/password-reset/complete"
    assert client.get("/password-reset/complete").status_code == 200

    fresh = Client()
    assert fresh.post("/login", {"username": owner.user.email, "password": PASSWORD}).status_code == 200
    login = fresh.post("/login", {"username": owner.user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302 and login.url == "/dashboard"

    again = Client().get(path, follow=True)
    assert again.status_code == 200 and not again.context["validlink"]
    assert "not valid" in again.content.decode()


def test_a_weak_new_password_is_refused(client, owner):
    client.post("/password-reset", {"email": owner.user.email})
    form_page = client.get(_path(_reset_link()), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "pw", "new_password2": "pw"})
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD)


def test_a_forged_token_is_not_valid(client, owner):
    client.post("/password-reset", {"email": owner.user.email})
    uidb64 = _path(_reset_link()).split("/")[2]
    response = client.get(f"/password-reset/{uidb64}/abc-0123456789abcdef", follow=True)
    assert response.status_code == 200 and not response.context["validlink"]


def test_the_reset_ends_the_accounts_other_sessions(client, owner):
    other = Client()
    assert other.post("/login", {"username": owner.user.email, "password": PASSWORD}).status_code == 302
    assert other.get("/dashboard").status_code == 200

    client.post("/password-reset", {"email": owner.user.email})
    form_page = client.get(_path(_reset_link()), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    after = other.get("/dashboard")
    assert after.status_code == 302 and after.url.startswith("/login")


def test_an_inactive_user_gets_no_email(client, owner):
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])
    response = client.post("/password-reset", {"email": owner.user.email})
    assert response.status_code == 302 and response.url == "/password-reset/done"
    assert len(mail.outbox) == 0
