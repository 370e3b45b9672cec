"""Threads need a database every connection can open and wait on (tests/conftest.py:
file_database).

PostgreSQL: the test database as it is. SQLite: pytest-django's test database is a
shared-cache in-memory one, where a second connection gets "database table is locked"
instead of waiting; so each test here runs on a file copy of it, opened with the project's
own SQLite settings (WAL, BEGIN IMMEDIATE, busy timeout): the way the app runs on SQLite.
"""

import pytest


@pytest.fixture(autouse=True)
def thread_safe_database(file_database):
    yield
