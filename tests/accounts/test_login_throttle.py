"""The staff login is held to the same sign-in throttle as every store's customer login
(accounts/login_throttle.py): 10 failures per email and address, 50 per address, 15-minute
windows, lockouts audited, counts shared by every web process."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from stockline.accounts.login_throttle import LoginAttempt, client_address
from stockline.accounts.models import Membership, Role
from stockline.audit.models import AuditAction, AuditEntry
from tests.conftest import requires_postgres
from tests.factories import PASSWORD, make_company, make_customer
from tests.storefront.conftest import store_path

pytestmark = pytest.mark.django_db


def staff_attempt(client, email, password, address="203.0.113.7"):
    return client.post("/login", {"username": email, "password": password}, REMOTE_ADDR=address)


def staff_fail(client, email, times, address="203.0.113.7"):
    for _ in range(times):
        response = staff_attempt(client, email, "wrong-password", address)
        assert response.status_code == 200
        assert "Invalid email or password." in response.content.decode()


def lockouts():
    return AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED_OUT)


def test_after_ten_failures_even_the_right_staff_password_is_refused(client, owner):
    staff_fail(client, owner.user.email, 10)
    response = staff_attempt(client, owner.user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts. Try again in 15 minutes." in response.content.decode()
    assert client.get("/dashboard").status_code == 302  # not signed in


def test_nine_staff_failures_allow_the_right_password_which_clears_the_count(client, owner):
    staff_fail(client, owner.user.email, 9)
    assert staff_attempt(client, owner.user.email, PASSWORD).status_code == 302
    client.post("/logout")
    staff_fail(client, owner.user.email, 9)
    assert staff_attempt(client, owner.user.email, PASSWORD).status_code == 302


def test_a_staff_lockout_is_audited_once_in_every_company_of_the_account(client, owner):
    elsewhere = make_company("Other Wholesale")[0]
    membership = Membership.objects.create(user=owner.user, company=elsewhere, role=Role.ADMIN)
    staff_fail(client, owner.user.email, 9)
    assert not lockouts().exists()
    staff_fail(client, owner.user.email, 1)
    staff_attempt(client, owner.user.email, "wrong-password")  # refused unchecked: no new entry
    entries = list(lockouts())
    assert sorted(e.company_id for e in entries) == sorted([owner.company_id, membership.company_id])
    for entry in entries:
        assert (entry.entity_type, entry.entity_id) == ("User", str(owner.user_id))
        assert entry.actor_type == "SYSTEM"
        assert entry.metadata["login"] == "staff"
        assert entry.metadata["email"] == owner.user.email
        assert entry.metadata["address"] == "203.0.113.7"
        assert entry.metadata["limit"] == "account"
        assert entry.metadata["failures"] == 10


def test_the_staff_and_store_logins_count_apart(client, company, owner):
    customer = make_customer(company, email=owner.user.email)
    staff_fail(client, owner.user.email, 10)
    response = client.post(
        store_path(company, "login"),
        {"email": customer.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302


def test_a_store_lockout_is_audited_against_the_customer(client, company):
    customer = make_customer(company)
    for _ in range(10):
        client.post(store_path(company, "login"), {"email": customer.email, "password": "nope"})
    (entry,) = lockouts()
    assert entry.company_id == company.id
    assert (entry.entity_type, entry.entity_id) == ("Customer", str(customer.id))
    assert entry.metadata["login"] == "storefront"


def test_one_address_trying_many_staff_accounts_is_stopped_after_fifty_failures(client, owner):
    for n in range(50):
        staff_attempt(client, f"guess{n}@example.com", "wrong-password")
    assert staff_attempt(client, owner.user.email, PASSWORD).status_code == 429
    assert staff_attempt(client, owner.user.email, PASSWORD, address="198.51.100.4").status_code == 302


def test_the_lockout_is_shown_in_the_audit_log(client, owner):
    staff_fail(client, owner.user.email, 10, address="198.51.100.9")
    client.force_login(owner.user)
    page = client.get("/dashboard/settings/audit").content.decode()
    assert (
        f"Locked dashboard sign-in for {owner.user.email} from 198.51.100.9 after 10 failed attempts" in page
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy trusted: the header is the client's claim
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged first entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2"),  # fewer entries than proxies: not through them
    ],
)
def test_the_client_address_is_taken_from_trusted_proxies_only(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.post("/login", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
    assert LoginAttempt.of(request, scope="staff", email="A@b.test ").email == "a@b.test"


class Browser:
    """A cookie-keeping HTTP client for the real login page of one web server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def log_in(self, email: str, password: str) -> int:
        with self.opener.open(f"{self.base}/login", timeout=10) as response:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())[1]
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": email, "password": password}
        ).encode()
        try:
            with self.opener.open(f"{self.base}/login", data=body, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@requires_postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_count_is_shared_by_two_web_processes():
    from tests.support.gunicorn import gunicorn_server

    owner = make_company("Acme")[1]
    email = owner.user.email
    with gunicorn_server(workers=1) as first, gunicorn_server(workers=1) as second:
        for n in range(10):
            server = first if n % 2 == 0 else second
            assert Browser(server).log_in(email, "wrong-password") == 200
        assert Browser(first).log_in(email, PASSWORD) == 429
        assert Browser(second).log_in(email, PASSWORD) == 429
    assert lockouts().count() == 1
