"""Storefront sign-in throttling against password guessing.

Failures are counted in fixed 15-minute windows under two keys: store + email + address
(10 allowed: guessing one account's password) and store + address (50 allowed: trying many
accounts from one place). Past either limit, sign-in is refused without checking the password
until the window ends. Counts live in the database, so every web process sees the same ones.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.db import connection
from django.utils import timezone

from stockline.storefront.models import LoginThrottle

WINDOW = timedelta(minutes=15)
EMAIL_LIMIT = 10
ADDRESS_LIMIT = 50


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginKeys:
    """The counters one sign-in attempt is held to."""

    email: str
    address: str

    @classmethod
    def of(cls, *, company_id: UUID, email: str, address: str) -> "LoginKeys":
        store = str(company_id)
        return cls(
            email=_hash(store, "email", (email or "").strip().lower(), address),
            address=_hash(store, "address", address),
        )

    @property
    def limits(self) -> dict[str, int]:
        return {self.email: EMAIL_LIMIT, self.address: ADDRESS_LIMIT}


def throttle_wait(keys: LoginKeys) -> timedelta | None:
    """How long until another attempt is allowed, or None if one is allowed now (one query)."""
    now = timezone.now()
    limits = keys.limits
    waits = [
        row.window_start + WINDOW - now
        for row in LoginThrottle.objects.filter(key__in=limits, window_start__gt=now - WINDOW)
        if row.failures >= limits[row.key]
    ]
    return max(waits) if waits else None


def throttle_failure_record(keys: LoginKeys) -> None:
    """Count a failed attempt under every key: one upsert, a new window once the last one ended."""
    now = timezone.now()
    now_param = connection.ops.adapt_datetimefield_value(now)
    cutoff = connection.ops.adapt_datetimefield_value(now - WINDOW)
    q = connection.ops.quote_name
    t = q(LoginThrottle._meta.db_table)
    key, start, failures = q("key"), q("window_start"), q("failures")
    ended = f"{t}.{start} <= %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {t} ({key}, {start}, {failures}) VALUES (%s, %s, 1), (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({key}) DO UPDATE SET "
            f"{failures} = CASE WHEN {ended} THEN 1 ELSE {t}.{failures} + 1 END, "
            f"{start} = CASE WHEN {ended} THEN %s ELSE {t}.{start} END",
            [keys.email, now_param, keys.address, now_param, cutoff, cutoff, now_param],
        )
    # Forget ended windows; only failures add rows, so only they need to clean up.
    LoginThrottle.objects.filter(window_start__lte=now - WINDOW).delete()


def throttle_success_record(keys: LoginKeys) -> None:
    """A correct password clears the per-email count (the per-address one keeps counting)."""
    LoginThrottle.objects.filter(key=keys.email).delete()


def wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"Too many attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
