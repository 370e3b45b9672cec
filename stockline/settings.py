"""Settings, all from the environment.

DATABASE_URL   sqlite:///path (default var/stockline.sqlite3) or postgres://...
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" for development
ALLOWED_HOSTS  comma-separated
SITE_URL       absolute base of emailed links (default http://127.0.0.1:8000)
EMAIL_URL      console://, file:///dir, locmem://, smtp://user:pass@host:port[?tls=1]
DATABASE_PREPARED_STATEMENTS  PostgreSQL: "0" when a pooler cannot keep prepared statements
"""

import os
from pathlib import Path

import dj_database_url

from stockline.core.email_url import email_settings_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("STOCKLINE_REQUIRE_SECRET", "") == "1":
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-change-me"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]

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
    "stockline.api",
    "stockline.dashboard",
    "stockline.storefront",
    "stockline.imports",
    "stockline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

# Applied to every SQLite connection (the benchmark's raw floor uses the same list).
SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",  # WAL + NORMAL: durable at checkpoints, never corrupt
    "foreign_keys=ON",
    "cache_size=-65536",  # 64 MiB page cache: indexes of hot tables stay in memory
    "temp_store=MEMORY",
    # The worker checkpoints every second (core/checkpoints.py); this is the safety net.
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
        # (core/postgresql): PostgreSQL stops planning them anew (measured: its CPU per API
        # order -25 %). Django leaves this off for poolers in transaction mode (PgBouncer
        # < 1.21); set DATABASE_PREPARED_STATEMENTS=0 behind one.
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

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

globals().update(email_settings_from_url(os.environ.get("EMAIL_URL", "console://"), var_dir=VAR_DIR))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stockline <no-reply@stockline.local>")
# The absolute base of links in emails (password resets), never the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# Low-stock email retries: attempt n waits base * 2**(n-1) seconds, capped, up to max attempts.
LOW_STOCK_EMAIL_RETRY_BASE_SECONDS = float(os.environ.get("LOW_STOCK_EMAIL_RETRY_BASE", "30"))
LOW_STOCK_EMAIL_RETRY_MAX_SECONDS = float(os.environ.get("LOW_STOCK_EMAIL_RETRY_MAX", "3600"))
LOW_STOCK_EMAIL_MAX_ATTEMPTS = int(os.environ.get("LOW_STOCK_EMAIL_MAX_ATTEMPTS", "12"))

API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
# How long a web process trusts an API key it looked up (api/keys.py); 0 looks every
# request's key up. A revocation reaches every process on this host at once through the
# stamp file (each request stats it), and processes on other hosts within this time.
API_KEY_CACHE_SECONDS = float(os.environ.get("API_KEY_CACHE_SECONDS", "1"))
API_KEY_REVOCATIONS_STAMP = Path(os.environ.get("API_KEY_REVOCATIONS_STAMP", VAR_DIR / "api-key-revocations"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if not DEBUG and env_bool("SECURE_COOKIES", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
