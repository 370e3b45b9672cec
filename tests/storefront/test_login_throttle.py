"""Sign-in attempts are throttled against password guessing: 10 failures per email and address,
50 per address, in 15-minute windows; past the limit even the right password is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stockline.accounts.login_throttle import WINDOW
from stockline.accounts.models import LoginThrottle
from tests.factories import PASSWORD, make_company, make_customer
from tests.storefront.conftest import store_path


def attempt(client, company, email, password, address="203.0.113.7"):
    return client.post(
        store_path(company, "login"), {"email": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, company, email, times, address="203.0.113.7"):
    for _ in range(times):
        assert attempt(client, company, email, "wrong-password", address).status_code == 401


def test_after_ten_failures_even_the_right_password_is_refused_for_fifteen_minutes(client, company, buyer):
    fail(client, company, buyer.email, 10)
    response = attempt(client, company, buyer.email, PASSWORD)
    assert response.status_code == 429
    assert response.context["error"] == "Too many attempts. Try again in 15 minutes."
    assert client.get(store_path(company, "catalog")).status_code == 302


def test_nine_failures_still_allow_the_right_password_which_clears_the_count(client, company, buyer):
    fail(client, company, buyer.email, 9)
    assert attempt(client, company, buyer.email, PASSWORD).status_code == 302
    client.post(store_path(company, "logout"))
    fail(client, company, buyer.email, 9)
    assert attempt(client, company, buyer.email, PASSWORD).status_code == 302


def test_the_wait_shown_counts_down_and_the_lock_lifts_when_the_window_ends(client, company, buyer):
    fail(client, company, buyer.email, 10)
    LoginThrottle.objects.update(window_start=timezone.now() - timedelta(minutes=13, seconds=30))
    assert attempt(client, company, buyer.email, PASSWORD).context["error"] == (
        "Too many attempts. Try again in 2 minutes."
    )
    LoginThrottle.objects.update(window_start=timezone.now() - WINDOW - timedelta(seconds=1))
    assert attempt(client, company, buyer.email, PASSWORD).status_code == 302


def test_a_failure_after_the_window_ended_starts_a_new_count(client, company, buyer):
    fail(client, company, buyer.email, 9)
    LoginThrottle.objects.update(window_start=timezone.now() - WINDOW - timedelta(seconds=1))
    fail(client, company, buyer.email, 9)
    assert attempt(client, company, buyer.email, PASSWORD).status_code == 302


def test_the_lock_is_per_email_and_address(client, company, buyer):
    other = make_customer(company)
    fail(client, company, buyer.email, 10)
    assert attempt(client, company, other.email, PASSWORD).status_code == 302
    client.post(store_path(company, "logout"))
    assert attempt(client, company, buyer.email, PASSWORD, address="198.51.100.4").status_code == 302


def test_the_lock_is_per_store(client, company, buyer):
    other_store = make_company("Other Wholesale")[0]
    elsewhere = make_customer(other_store, email=buyer.email)
    fail(client, company, buyer.email, 10)
    assert attempt(client, other_store, elsewhere.email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_stopped_after_fifty_failures(client, company, buyer):
    for n in range(50):
        assert attempt(client, company, f"guess{n}@harbor.test", "wrong-password").status_code == 401
    response = attempt(client, company, buyer.email, PASSWORD)
    assert response.status_code == 429


@pytest.mark.parametrize("email", ["nobody@harbor.test", "buyer@harbor.test"])
def test_unknown_and_known_emails_are_throttled_alike(client, company, buyer, email):
    fail(client, company, email, 10)
    assert attempt(client, company, email, "wrong-password").status_code == 429


def test_ended_windows_are_forgotten(client, company, buyer):
    fail(client, company, buyer.email, 1)
    LoginThrottle.objects.update(window_start=timezone.now() - WINDOW - timedelta(seconds=1))
    fail(client, company, "someone-else@harbor.test", 1)
    assert LoginThrottle.objects.count() == 2  # the new email key and the shared address key
