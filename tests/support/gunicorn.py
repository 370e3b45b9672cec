"""Start the real WSGI app under gunicorn (several worker processes) for end-to-end tests."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


def database_url_of_test_db() -> str:
    """A DATABASE_URL for the database this test process is using (PostgreSQL only)."""
    s = connection.settings_dict
    assert connection.vendor == "postgresql", "external processes need a shared database"
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@contextmanager
def managed_process(env: dict, *args: str):
    """A child process that is stopped (terminate, then kill) when the block ends."""
    proc = subprocess.Popen([*args], cwd=ROOT, env=env)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(base: str, proc, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"web server exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def gunicorn_server(
    *,
    workers: int = 4,
    threads: int = 1,
    env: dict | None = None,
    database_url: str | None = None,
    timeout: float = 30,
):
    """Yield the base URL of stockline.wsgi under gunicorn, on `database_url` (by default the
    PostgreSQL test database of this process)."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url or database_url_of_test_db(),
        "DEBUG": "0",
        "SECRET_KEY": "test-secret",
        "API_RATE_LIMIT": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    if database_url:
        environment["DATABASE_URL"] = database_url
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "stockline.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    with managed_process(environment, *command) as proc:
        wait_until_up(base, proc, timeout)
        yield base
