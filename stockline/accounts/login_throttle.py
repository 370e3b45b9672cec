"""Sign-in throttling against password guessing: one mechanism for the staff login (/login)
and every store's customer login (/store/<slug>/login).

Failures are counted in fixed 15-minute windows under two keys per attempt: scope + email +
address (10 allowed: guessing one account's password) and scope + address (50 allowed:
trying many accounts from one place). The scope is the staff login or one store, so a lock
at one store leaves the same email alone at another and on the dashboard. Past either limit,
sign-in is refused without checking the password until the window ends. Counts live in the
database, so every web process sees the same ones. The failure that reaches a limit is
audited (`LoginLockedOut`) in the company or companies the attempted account belongs to.

django-axes was weighed and not taken: it hooks Django's authentication backends, and
customers are not Django users (their own model, signed in per store); it also holds every
lockout parameter to one failure limit.
"""

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.utils import timezone

from stockline.accounts.models import LoginThrottle, Membership
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.customers.models import Customer

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 50
STAFF = "staff"


def store_scope(company_id: UUID) -> str:
    return f"store:{company_id}"


def client_address(request) -> str:
    """The address a request came from. Behind TRUSTED_PROXIES proxies, each of which appends
    the address it saw to X-Forwarded-For, that is the entry the outermost proxy appended
    (earlier entries are whatever the client claimed)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    """One sign-in attempt: where (`scope`), for which email, from which address."""

    scope: str
    email: str
    address: str

    @classmethod
    def of(cls, request, *, scope: str, email: str) -> "LoginAttempt":
        return cls(scope=scope, email=(email or "").strip().lower(), address=client_address(request))

    @property
    def account_key(self) -> str:
        return _hash(self.scope, "email", self.email, self.address)

    @property
    def address_key(self) -> str:
        return _hash(self.scope, "address", self.address)

    @property
    def limits(self) -> dict[str, int]:
        return {self.account_key: ACCOUNT_LIMIT, self.address_key: ADDRESS_LIMIT}


@dataclass(frozen=True, slots=True)
class Lockout:
    """A limit a failed attempt has just reached: sign-in stays refused until `until`."""

    limit: str  # "account" (this email from this address) or "address" (any email from it)
    failures: int
    until: datetime


def throttle_wait(attempt: LoginAttempt) -> timedelta | None:
    """How long until another attempt is allowed, or None if one is allowed now (one query)."""
    now = timezone.now()
    limits = attempt.limits
    waits = [
        row.window_start + WINDOW - now
        for row in LoginThrottle.objects.filter(key__in=limits, window_start__gt=now - WINDOW)
        if row.failures >= limits[row.key]
    ]
    return max(waits) if waits else None


@dataclass(frozen=True, slots=True)
class AccountRef:
    """Where an attempted account lives, for the audit entry of its lockout."""

    company_id: UUID
    entity_type: str  # "User" or "Customer"
    entity_id: str


def staff_accounts(email: str) -> list[AccountRef]:
    """The staff user behind an email, once per company it belongs to."""
    memberships = Membership.objects.filter(user__email=email).values_list("company_id", "user_id")
    return [AccountRef(company_id, "User", str(user_id)) for company_id, user_id in memberships]


def customer_accounts(company_id: UUID, email: str) -> list[AccountRef]:
    """The store's customer behind an email (the email itself when the store has none)."""
    customer_id = (
        Customer.objects.filter(company_id=company_id, email=email).values_list("id", flat=True).first()
    )
    return [AccountRef(company_id, "Customer", str(customer_id) if customer_id else email)]


def throttle_failure_record(attempt: LoginAttempt, *, accounts: list[AccountRef]) -> list[Lockout]:
    """Count a failed attempt under both keys (one upsert; a new window once the last one
    ended). The limits this very failure reached are audited in every company of `accounts`
    (the companies of a staff user, or the store of a customer), and returned."""
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
            f"{start} = CASE WHEN {ended} THEN %s ELSE {t}.{start} END "
            f"RETURNING {key}, {failures}",
            [attempt.account_key, now_param, attempt.address_key, now_param, cutoff, cutoff, now_param],
        )
        counts = dict(cursor.fetchall())
    # Forget ended windows; only failures add rows, so only they need to clean up.
    LoginThrottle.objects.filter(window_start__lte=now - WINDOW).delete()
    reached = []
    for limit, row_key, allowed in (
        ("account", attempt.account_key, ACCOUNT_LIMIT),
        ("address", attempt.address_key, ADDRESS_LIMIT),
    ):
        if counts.get(row_key) == allowed:
            window_start = LoginThrottle.objects.get(key=row_key).window_start
            reached.append(Lockout(limit=limit, failures=allowed, until=window_start + WINDOW))
    for lockout in reached:
        _lockout_audit(attempt, lockout, accounts)
    return reached


def _lockout_audit(attempt: LoginAttempt, lockout: Lockout, accounts: list[AccountRef]) -> None:
    metadata = {
        "login": "staff" if attempt.scope == STAFF else "storefront",
        "email": attempt.email,
        "address": attempt.address,
        "limit": lockout.limit,
        "failures": lockout.failures,
        "until": lockout.until.isoformat(),
    }
    # An address guessing emails that belong to no account has no company to report to.
    logger.warning("Sign-in locked out: %s", metadata)
    for account in accounts:
        audit_record(
            actor=Actor.system(account.company_id, label="Sign-in throttle"),
            action=AuditAction.LOGIN_LOCKED_OUT,
            entity_type=account.entity_type,
            entity_id=account.entity_id,
            metadata=metadata,
        )


def throttle_success_record(attempt: LoginAttempt) -> None:
    """A correct password clears the per-account count (the per-address one keeps counting)."""
    LoginThrottle.objects.filter(key=attempt.account_key).delete()


def wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"Too many attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
