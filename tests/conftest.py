import os
import sqlite3
from contextlib import closing

import pytest
from django.db import connection, connections

# Server processes started by tests (gunicorn, the worker) inherit this: see settings.py.
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing strength is not under test; the slow default costs ~0.25 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # API keys a web process remembers (api/keys.py) do not outlive the test that made them,
    # and each test has its own revocation stamp.
    from stockline.api.keys import api_keys_forget

    api_keys_forget()
    settings.API_KEY_REVOCATIONS_STAMP = tmp_path / "api-key-revocations"


@pytest.fixture
def company(db):
    from tests.factories import make_company

    return make_company("Acme Distributors")[0]


@pytest.fixture
def owner(company):
    from stockline.accounts.models import Membership, Role

    return Membership.objects.select_related("user").get(company=company, role=Role.OWNER)


@pytest.fixture
def actor(owner):
    from stockline.audit.actors import Actor

    return Actor.staff(owner)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
    reason="runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://...)",
)


@pytest.fixture
def file_database(transactional_db, tmp_path, monkeypatch):
    """SQLite: run the test on a file copy of the (in-memory) test database, opened with
    the project's own SQLite settings, and yield its path; PostgreSQL: as it is, None."""
    memory = connections["default"]
    if memory.vendor != "sqlite":
        yield None
        return
    path = tmp_path / "test.sqlite3"
    memory.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        memory.connection.backup(target)  # the migrated, empty schema
    file_settings = {**memory.settings_dict, "NAME": str(path)}
    # New threads build their connection from connections.settings; this thread gets one too.
    monkeypatch.setitem(connections.settings, "default", file_settings)
    on_file = type(memory)(file_settings, "default")
    connections["default"] = on_file
    try:
        yield path
    finally:
        on_file.close()
        connections["default"] = memory


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's email settings pointing at it."""
    from tests.support.smtp import SmtpServer, use_smtp_server

    server = SmtpServer().start()
    use_smtp_server(settings, server)
    try:
        yield server
    finally:
        server.stop()
