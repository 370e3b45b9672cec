"""core.direct.execute: the driver's cursor when nothing listens, Django's when something does."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from stockline.accounts.models import Company
from stockline.core.direct import execute, execute_each

pytestmark = pytest.mark.django_db

TABLE = connection.ops.quote_name(Company._meta.db_table)


def test_positional_and_named_parameters_and_a_literal_percent():
    assert execute("SELECT %s, 'a%%b'", [7], fetch=True) == [(7, "a%b")]
    assert execute("SELECT %(x)s, %(y)s, %(x)s", {"x": 1, "y": "two"}, fetch=True) == [(1, "two", 1)]
    assert execute("SELECT %(x)s, 'a%%b'", {"x": 1}, fetch=True) == [(1, "a%b")]


def test_writes_in_the_callers_transaction_roll_back_with_it(company):
    with pytest.raises(RuntimeError), transaction.atomic():
        execute(f"UPDATE {TABLE} SET name = %s WHERE slug = %s", ["Renamed", company.slug])
        assert Company.objects.get(id=company.id).name == "Renamed"
        raise RuntimeError
    assert Company.objects.get(id=company.id).name == company.name


def test_driver_errors_become_djangos_and_a_broken_transaction_is_refused(company):
    copy = f"INSERT INTO {TABLE} SELECT * FROM {TABLE} WHERE slug = %s"  # the same id: a duplicate key
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            execute(copy, [company.slug])
        # the error left the transaction marked for rollback, as Django's cursor would see
        with pytest.raises(TransactionManagementError):
            execute("SELECT 1", [])


def test_statements_are_counted_when_queries_are_captured():
    with CaptureQueriesContext(connection) as captured:
        execute("SELECT %s", [1], fetch=True)
    assert [query["sql"] for query in captured] == ["SELECT 1"]


def test_execute_wrappers_see_the_statement():
    seen = []

    def wrapper(run, sql, params, many, context):
        seen.append(sql)
        return run(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert execute("SELECT %s", [3], fetch=True) == [(3,)]
    assert seen == ["SELECT %s"]


def test_statements_run_together_in_order_each_counted_when_captured():
    statements = [("SELECT %s", [1]), ("SELECT %(x)s, 'a%%b'", {"x": 2})]
    assert execute_each(statements, fetch=True) == [[(1,)], [(2, "a%b")]]
    with CaptureQueriesContext(connection) as captured:
        assert execute_each(statements) == [None, None]
    assert len(captured) == 2
