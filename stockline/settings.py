"""Settings, all from the environment (README: "Configuration" and "Running in production").

DATABASE_URL   sqlite:///path (default var/stockline.sqlite3) or postgres://...
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" for development
ALLOWED_HOSTS  comma-separated; required when DEBUG is off
HTTPS          "1" behind TLS: secure cookies, HSTS, redirect to https, the proxy's scheme header
SQLITE_SYNCHRONOUS  FULL (default: every commit on disk before it is acknowledged) or NORMAL
SITE_URL       absolute base of emailed links (default http://127.0.0.1:8000)
EMAIL_URL      console://, file:///dir, locmem://, smtp://user:pass@host:port[?tls=1]
DATABASE_PREPARED_STATEMENTS  PostgreSQL: "0" when a pooler cannot keep prepared statements
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from stockline.core.email_url import email_settings_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# With DEBUG on and no list, Django answers localhost, 127.0.0.1 and [::1] only.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not DEBUG:
    # A known key makes sessions and password-reset links forgeable; no host list lets any
    # Host header through. Production refuses to start without either.
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Stockline will not start without it: set SECRET_KEY "
            "to a long random string, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. With DEBUG off Stockline will not start without it: set "
            "ALLOWED_HOSTS to the host names this site is served under, comma-separated "
            "(e.g. ALLOWED_HOSTS=shop.example.com)."
        )
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-key"  # DEBUG only; check --deploy flags the prefix

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves /api/v1/docs assets locally instead of from a CDN
    "stockline.core",
    "stockline.accounts",
    "stockline.catalog",
    "stockline.customers",
    "stockline.orders",
    "stockline.audit",
    "stockline.notifications",
    "stockline.events",
    "stockline.webhooks",
    "stockline.api",
    "stockline.dashboard",
    "stockline.storefront",
    "stockline.imports",
    "stockline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stockline.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "stockline.urls"
WSGI_APPLICATION = "stockline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "stockline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# FULL: every commit is synced to the WAL file before it is acknowledged, so an order the
# customer saw placed survives a power cut. NORMAL (opt-in) syncs only at checkpoints: faster,
# never corrupt, but a power cut or OS crash can lose the last commits (README).
SQLITE_SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").strip().upper()
if SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL"}:
    raise ImproperlyConfigured(f"SQLITE_SYNCHRONOUS must be FULL or NORMAL, not {SQLITE_SYNCHRONOUS!r}.")
# Applied to every SQLite connection (the benchmark's raw floor uses the same list).
SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    f"synchronous={SQLITE_SYNCHRONOUS}",
    "foreign_keys=ON",
    "cache_size=-65536",  # 64 MiB page cache: indexes of hot tables stay in memory
    "temp_store=MEMORY",
    # The worker checkpoints every second to keep the WAL small (core/checkpoints.py);
    # this is the safety net for when no worker runs.
    "wal_autocheckpoint=10000",
)
VAR_DIR = Path(os.environ.get("STOCKLINE_VAR_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'stockline.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else _db["CONN_MAX_AGE"]
    _db["OPTIONS"] = {
        # Every write transaction takes the write lock up front: no SQLITE_BUSY upgrade deadlocks.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "".join(f"PRAGMA {pragma};" for pragma in SQLITE_PRAGMAS),
    }
    _db["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
else:
    _db.setdefault("OPTIONS", {})
    if _db["ENGINE"] == "django.db.backends.postgresql":
        _db["ENGINE"] = "stockline.core.postgresql"  # Django's, with cheaper health checks
    if env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server, and the order path's hand-built statements prepared
        # (core/postgresql): PostgreSQL stops planning them anew on every order. Django leaves
        # this off for poolers in transaction mode (PgBouncer < 1.21); set
        # DATABASE_PREPARED_STATEMENTS=0 behind one.
        _db["OPTIONS"].setdefault("server_side_binding", True)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if os.environ.get("FAST_PASSWORD_HASHER") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "/login"
# Password-reset links (staff and customers) expire after this; each works once.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3600)))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

# Where this site is served, for links in emails (password resets, low-stock products):
# never taken from a request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

globals().update(email_settings_from_url(os.environ.get("EMAIL_URL", "console://"), var_dir=VAR_DIR))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stockline <no-reply@stockline.local>")

# Low-stock email retries: attempt n waits base * 2**(n-1) seconds, capped, up to max attempts.
LOW_STOCK_EMAIL_RETRY_BASE_SECONDS = float(os.environ.get("LOW_STOCK_EMAIL_RETRY_BASE", "30"))
LOW_STOCK_EMAIL_RETRY_MAX_SECONDS = float(os.environ.get("LOW_STOCK_EMAIL_RETRY_MAX", "3600"))
LOW_STOCK_EMAIL_MAX_ATTEMPTS = int(os.environ.get("LOW_STOCK_EMAIL_MAX_ATTEMPTS", "12"))

API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
# How many proxies in front of the web processes append to X-Forwarded-For; 0 trusts none
# and takes the connection's address. Sign-in throttling counts per client address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# How long a web process trusts an API key it looked up (api/keys.py); 0 looks every
# request's key up. A revocation reaches every process on this host at once through the
# stamp file (each request stats it), and processes on other hosts within this time.
API_KEY_CACHE_SECONDS = float(os.environ.get("API_KEY_CACHE_SECONDS", "1"))

# Events (stockline.events) are kept at least this many days, then pruned by the worker.
EVENT_RETENTION_DAYS = int(os.environ.get("EVENT_RETENTION_DAYS", "30"))
# Webhooks (stockline.webhooks): a failed delivery is retried after about BASE × 2^(n-1)
# seconds (with jitter, at most 4 hours apart) until WEBHOOK_MAX_ATTEMPTS, over 24 hours.
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "15"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# A worker's claim on the deliveries it is sending; one that dies lets them go after this.
WEBHOOK_LEASE_SECONDS = float(os.environ.get("WEBHOOK_LEASE_SECONDS", "60"))
# Private, loopback and link-local targets are refused (SSRF) unless this is 1 (development).
WEBHOOK_ALLOW_PRIVATE_URLS = os.environ.get("WEBHOOK_ALLOW_PRIVATE_URLS", "") == "1"
API_KEY_REVOCATIONS_STAMP = Path(os.environ.get("API_KEY_REVOCATIONS_STAMP", VAR_DIR / "api-key-revocations"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Security headers on every response. Django's SecurityMiddleware already sends
# X-Content-Type-Options: nosniff, Referrer-Policy: same-origin, Cross-Origin-Opener-Policy and
# X-Frame-Options: DENY by default; django-csp adds the Content-Security-Policy. Every page
# (dashboard, storefront, /api/v1/docs) runs from our own static files: no inline script or
# style, nothing from another origin (tests/browser check that no page breaks the policy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS=1 for a deployment behind TLS (`manage.py check --deploy` then reports nothing).
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's plain-HTTP health check
    # The TLS-terminating proxy must set X-Forwarded-Proto (and strip it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
