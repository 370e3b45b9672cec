"""Staff change their own password from the dashboard (issue 12)."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

URL = "/dashboard/account/password"
NEW_PASSWORD = "a-brand-new-secret-42"


def _change(client, old: str = PASSWORD, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": new if again is None else again}
    )


def _can_log_in(email: str, password: str) -> bool:
    response = Client().post("/login", {"username": email, "password": password})
    return response.status_code == 302


def test_the_page_is_linked_from_the_header(owner_client):
    response = owner_client.get("/dashboard")
    assert f'href="{URL}"' in response.content.decode() and "Change password" in response.content.decode()


def test_the_page_shows_the_form(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="old_password"' in content and 'name="new_password1"' in content
    assert 'name="new_password2"' in content


def test_anonymous_visitors_go_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/login")
    response = client.post(URL, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/login")


@pytest.mark.parametrize("role", ["OWNER", "ADMIN", "MEMBER"])
def test_every_role_reaches_the_page(staff_client, role):
    assert staff_client(role).get(URL).status_code == 200


def test_a_wrong_current_password_is_refused_and_nothing_changes(owner_client, owner):
    response = _change(owner_client, old="not-my-password")
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD) and not owner.user.check_password(NEW_PASSWORD)


def test_a_weak_or_mismatched_new_password_is_refused(owner_client, owner):
    assert "new_password2" in _change(owner_client, new="pw").context["form"].errors
    assert "new_password2" in _change(owner_client, again="something-else-42").context["form"].errors
    owner.user.refresh_from_db()
    assert owner.user.check_password(PASSWORD)


def test_the_new_password_works_and_the_old_one_no_longer_does(owner_client, owner):
    response = _change(owner_client)
    assert response.status_code == 302 and response.url == URL
    followed = owner_client.get(response.url)
    assert "Your password has been changed." in followed.content.decode()
    assert _can_log_in(owner.user.email, NEW_PASSWORD)
    assert not _can_log_in(owner.user.email, PASSWORD)


def test_this_session_stays_and_other_sessions_end(owner_client, owner):
    other = Client()
    other.force_login(owner.user)
    assert other.get("/dashboard").status_code == 200

    assert _change(owner_client).status_code == 302

    assert owner_client.get("/dashboard").status_code == 200
    after = other.get("/dashboard")
    assert after.status_code == 302 and after.url.startswith("/login")
