import os

import pytest
from django.db import connection

# Server processes started by tests (gunicorn, the worker) inherit this: see settings.py.
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing strength is not under test; the slow default costs ~0.25 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
