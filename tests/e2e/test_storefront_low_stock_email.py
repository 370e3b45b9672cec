"""End to end, as deployed: a customer's storefront order, placed over HTTP against the real
WSGI app under gunicorn, with the real worker process and a real SMTP server on localhost.

An order that drops three products to or below their threshold delivers exactly one email to
each OWNER and ADMIN, listing all three (and not the product that stayed healthy), and none to
the MEMBER (SPEC §3).
"""

import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import dj_database_url
import pytest

from tests.support.gunicorn import gunicorn_server, managed_process
from tests.support.smtp import SmtpServer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PG_DATABASE = "stockline_store_e2e"
MAIL_WAIT = 30  # seconds: the worker polls every 0.2 s, so this is only a bound
QUIET_AFTER = 2  # seconds to watch for a second, duplicate email


@pytest.fixture
def database_url(tmp_path) -> str:
    """A fresh database the server, the worker and this test all reach: the PostgreSQL
    database stockline_store_e2e in the PostgreSQL pass, else a SQLite file."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    parts = dj_database_url.parse(configured)
    auth = parts["USER"] + (f":{parts['PASSWORD']}" if parts.get("PASSWORD") else "")
    server = f"postgres://{auth}@{parts['HOST'] or '127.0.0.1'}:{parts['PORT'] or 5432}"
    for sql in (f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)", f"CREATE DATABASE {PG_DATABASE}"):
        subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)
    return f"{server}/{PG_DATABASE}"


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )
    return done.stdout


class Browser:
    """Just enough of a browser: cookies, CSRF token, form posts, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=10)

    def post(self, path: str, fields: dict):
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.opener.open(self.base + path, data=body, timeout=10)


def test_storefront_order_emails_every_owner_and_admin_once_listing_each_low_product(database_url):
    smtp = SmtpServer()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
        "DEBUG": "0",
        "SECRET_KEY": "e2e-secret",
        "LOG_LEVEL": "WARNING",
        "FAST_PASSWORD_HASHER": "1",
    }
    manage(env, "manage.py", "migrate", "-v0")
    store = json.loads(manage(env, "-m", "tests.e2e.seed_store"))
    ids = store["products"]

    with ExitStack() as stack:
        stack.enter_context(smtp)
        base = stack.enter_context(gunicorn_server(workers=2, env=env, database_url=database_url))
        stack.enter_context(
            managed_process(env, sys.executable, "manage.py", "run_worker", "--interval", "0.2")
        )

        shop = f"/store/{store['slug']}"
        browser = Browser(base)
        browser.get(f"{shop}/register")
        page = browser.post(
            f"{shop}/register",
            {"name": "Bayside Café", "email": "orders@bayside.test", "password": "s3cret-pass"},
        )
        assert page.url.endswith(f"{shop}/catalog")
        wanted = {"gloves": 2, "masks": 3, "aprons": 2, "towels": 1}
        for key, quantity in wanted.items():
            browser.post(f"{shop}/cart/add", {"product": ids[key], "quantity": quantity})
        page = browser.post(
            f"{shop}/checkout",
            {f"qty-{ids[key]}": quantity for key, quantity in wanted.items()} | {"po_number": "PO-E2E"},
        )
        assert f"{shop}/orders/" in page.url
        assert "has been placed" in page.read().decode()

        deadline = time.monotonic() + MAIL_WAIT
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(QUIET_AFTER)

    staff = sorted([store["owner"], *store["admins"]])
    assert len(smtp.messages) == 1, f"expected one email, got {len(smtp.messages)}"
    for person in staff:
        assert sum(person in envelope.recipients for envelope in smtp.envelopes) == 1
    assert sorted(smtp.envelopes[0].recipients) == staff
    assert all(store["member"] not in envelope.recipients for envelope in smtp.envelopes)

    message = smtp.messages[0]
    assert sorted(a.strip() for a in message["To"].split(",")) == staff
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Nitrile Gloves (SKU: GLV-1): 4 in stock" in body
    assert "Safety Masks (SKU: MSK-1): 0 in stock - OUT OF STOCK" in body
    assert "Work Aprons (SKU: APR-1): 10 in stock" in body
    assert "Paper Towels" not in body
    assert "3 products" in message["Subject"]
