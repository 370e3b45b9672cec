"""Production settings refuse to start unsafe, HTTPS=1 passes Django's deployment checks, and
SQLite commits are durable unless an operator opts out (README: "Running in production").

Each case starts a fresh `manage.py` process with only the environment it names."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "x9" * 30  # 64 characters, varied enough for check --deploy


def manage(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "stockline.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STOCKLINE_VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, ALLOWED_HOSTS="shop.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage("check", tmp_path=tmp_path, SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_both(tmp_path):
    result = manage("check", tmp_path=tmp_path, SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="shop.example.com")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_starts_without_either(tmp_path):
    result = manage("check", tmp_path=tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_https_switch_passes_every_deployment_check(tmp_path):
    production = {"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "shop.example.com"}
    without = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production)
    assert without.returncode != 0  # the same check does complain without the switch
    assert "SECURE_SSL_REDIRECT" in without.stderr + without.stdout

    with_https = manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, HTTPS="1", **production
    )
    assert with_https.returncode == 0, with_https.stderr + with_https.stdout
    assert "System check identified no issues (0 silenced)." in with_https.stdout


READ_PRAGMAS = (
    "from django.db import connection; cursor = connection.cursor(); "
    "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
    "cursor.execute('PRAGMA synchronous').fetchone()[0])"
)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [({}, "wal 2"), ({"SQLITE_SYNCHRONOUS": "NORMAL"}, "wal 1"), ({"SQLITE_SYNCHRONOUS": "full"}, "wal 2")],
)
def test_a_fresh_sqlite_connection_syncs_every_commit_unless_opted_out(tmp_path, setting, expected):
    """synchronous=2 is FULL (the WAL is synced at every commit), 1 is NORMAL."""
    result = manage("shell", "--no-imports", "-c", READ_PRAGMAS, tmp_path=tmp_path, DEBUG="1", **setting)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_unknown_synchronous_mode_is_refused(tmp_path):
    result = manage("check", tmp_path=tmp_path, DEBUG="1", SQLITE_SYNCHRONOUS="OFF")
    assert result.returncode != 0
    assert "SQLITE_SYNCHRONOUS must be FULL or NORMAL, not 'OFF'." in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
