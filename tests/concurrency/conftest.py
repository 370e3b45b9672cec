"""Threads need a database every connection can open and wait on.

PostgreSQL: the test database as it is. SQLite: pytest-django's test database is a
shared-cache in-memory one, where a second connection gets "database table is locked"
instead of waiting; so each test here runs on a file copy of it, opened with the project's
own SQLite settings (WAL, BEGIN IMMEDIATE, busy timeout): the way the app runs on SQLite.
"""

import sqlite3
from contextlib import closing

import pytest
from django.db import connections


@pytest.fixture(autouse=True)
def thread_safe_database(transactional_db, tmp_path, monkeypatch):
    memory = connections["default"]
    if memory.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    memory.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        memory.connection.backup(target)  # the migrated, empty schema
    file_settings = {**memory.settings_dict, "NAME": str(path)}
    # New threads build their connection from connections.settings; this thread gets one too.
    monkeypatch.setitem(connections.settings, "default", file_settings)
    on_file = type(memory)(file_settings, "default")
    connections["default"] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections["default"] = memory
