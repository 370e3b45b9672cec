"""SQLite checkpoints on the worker's clock: what was committed reaches the database file."""

import sqlite3
import threading
import time
from contextlib import closing

import pytest
from django.db import connection

from stockline.catalog.models import Product
from stockline.core.checkpoints import sqlite_checkpoint
from stockline.notifications.management.commands.run_worker import repeat
from tests.conftest import requires_postgres
from tests.factories import make_company, make_product


def _products_in_database_file(path) -> int:
    """Products in the database file itself, not counting what waits in the WAL."""
    with closing(sqlite3.connect(f"file:{path}?immutable=1", uri=True)) as raw:
        return raw.execute(f"SELECT count(*) FROM {Product._meta.db_table}").fetchone()[0]


@pytest.fixture
def sqlite_file(file_database):
    if file_database is None:
        pytest.skip("SQLite only: PostgreSQL has no WAL checkpoint to run (see the test below)")
    return file_database


def test_commits_wait_in_the_wal_until_a_checkpoint(sqlite_file):
    company = make_company("Acme")[0]
    make_product(company)
    assert _products_in_database_file(sqlite_file) == 0
    busy, logged, checkpointed = sqlite_checkpoint()
    assert (busy, checkpointed) == (0, logged)
    assert logged > 0
    assert _products_in_database_file(sqlite_file) == 1


def test_the_worker_checkpoints_on_a_clock(sqlite_file):
    company = make_company("Acme")[0]
    for _ in range(3):
        make_product(company)
    stop = threading.Event()
    checkpointer = threading.Thread(
        target=repeat, args=(sqlite_checkpoint,), kwargs={"every": 0.05, "stop": stop}
    )
    checkpointer.start()
    try:
        deadline = time.monotonic() + 5
        while _products_in_database_file(sqlite_file) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        checkpointer.join(timeout=5)
    assert _products_in_database_file(sqlite_file) == 3


def test_sqlite_itself_checkpoints_only_as_a_safety_net(sqlite_file):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 10000


@requires_postgres
@pytest.mark.django_db
def test_there_is_nothing_to_checkpoint_on_postgresql():
    assert sqlite_checkpoint() is None
