"""The PostgreSQL backend: health checks skipped for a connection the server just answered,
still made (and a dead connection replaced) after it sat idle; statements prepared."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from stockline.catalog.models import Product
from stockline.core.postgresql.base import TRUSTED_FOR
from tests.conftest import requires_postgres
from tests.factories import make_company, make_product, place

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _commit_something():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _count_health_checks(monkeypatch) -> list[bool]:
    checks = []
    real = connection.is_usable

    def counted():
        checks.append(usable := real())
        return usable

    monkeypatch.setattr(connection, "is_usable", counted)
    return checks


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=db["USER"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_health_checks_are_on():
    assert connection.health_check_enabled


def test_a_connection_that_just_committed_is_not_checked_again(monkeypatch):
    _commit_something()
    checks = _count_health_checks(monkeypatch)
    close_old_connections()  # what Django does at the start of every request
    _commit_something()
    assert checks == []


def test_an_idle_connection_is_checked_and_replaced_if_the_server_dropped_it(monkeypatch):
    _commit_something()
    pid = _backend_pid()
    _terminate(pid)
    connection.answered_at = time.monotonic() - TRUSTED_FOR - 1  # idle since then
    checks = _count_health_checks(monkeypatch)
    close_old_connections()
    assert _backend_pid() != pid  # the request got a new, working connection
    assert checks == [False]


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_order_path_statements_are_prepared_on_first_use():
    company, _ = make_company()
    products = [make_product(company, stock=100) for _ in range(3)]
    place(company, [(p, 1) for p in products])
    prepared = _prepared_statements()
    # the whole order, one statement (orders.placement.postgresql)
    assert any("FOR UPDATE" in sql and "INSERT INTO" in sql for sql in prepared)


def test_orm_queries_are_never_prepared_their_plan_follows_their_values():
    company, _ = make_company()
    make_product(company, name="Blue widget")
    for _ in range(10):
        assert Product.objects.filter(company=company, name__icontains="widget").count() == 1
    assert not any("LIKE" in sql for sql in _prepared_statements())
