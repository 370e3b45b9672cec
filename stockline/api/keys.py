"""API keys: creation (the plaintext is returned once), lookup by hash, revocation."""

import base64
import hashlib
import logging
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stockline.accounts.permissions import Perm
from stockline.api.models import ApiKey
from stockline.audit.actors import Actor, ActorType
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.core.channels import Channel

logger = logging.getLogger(__name__)

KEY_PREFIX = "dk_"
DISPLAY_PREFIX_LENGTH = 12
# last_used_at is written at most this often per key, to keep the request path read-only.
LAST_USED_RESOLUTION = timedelta(minutes=1)

SCOPES: list[tuple[str, str]] = [
    ("products:read", "Products — Read"),
    ("products:write", "Products — Write"),
    ("orders:read", "Orders — Read"),
    ("orders:write", "Orders — Write"),
    ("customers:read", "Customers — Read"),
    ("customers:write", "Customers — Write"),
    ("events:read", "Events — Read"),
    ("webhooks:read", "Webhooks — Read"),
    ("webhooks:write", "Webhooks — Write"),
]
SCOPE_VALUES = frozenset(value for value, _ in SCOPES)


def api_key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _new_plaintext() -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def api_key_create(
    *, actor: Actor, name: str, scopes: list[str], channel: str = Channel.DASHBOARD
) -> tuple[ApiKey, str]:
    """Create a key for the actor's company (OWNER/ADMIN). Returns (key, plaintext) — the only
    time the plaintext exists outside the caller's hands."""
    actor.require(Perm.MANAGE_API_KEYS)
    name = (name or "").strip()
    errors = {}
    if not 1 <= len(name) <= 100:
        errors["name"] = ["Name must be 1 to 100 characters."]
    unknown = sorted(set(scopes) - SCOPE_VALUES)
    if unknown:
        errors["scopes"] = [f"Unknown scope: {', '.join(unknown)}."]
    elif not scopes:
        errors["scopes"] = ["Choose at least one scope."]
    if errors:
        raise ValidationError(errors)
    plaintext = _new_plaintext()
    with transaction.atomic():
        key = ApiKey.objects.create(
            company_id=actor.company_id,
            name=name,
            prefix=plaintext[:DISPLAY_PREFIX_LENGTH],
            key_hash=api_key_hash(plaintext),
            scopes=sorted(set(scopes)),
            created_by_id=actor.user_id,
        )
        audit_record(
            actor=actor,
            action=AuditAction.API_KEY_CREATED,
            entity_type="api_key",
            entity_id=key.id,
            channel=channel,
            metadata={"name": key.name, "prefix": key.prefix, "scopes": key.scopes},
        )
    return key, plaintext


def api_key_revoke(*, actor: Actor, key_id: UUID, channel: str = Channel.DASHBOARD) -> ApiKey:
    actor.require(Perm.MANAGE_API_KEYS)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().filter(company_id=actor.company_id, id=key_id).first()
        if key is None:
            raise ApiKey.DoesNotExist("API key not found.")
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            api_keys_forget()  # this process: at once
            transaction.on_commit(_revocation_announce)  # every process on this host
            audit_record(
                actor=actor,
                action=AuditAction.API_KEY_REVOKED,
                entity_type="api_key",
                entity_id=key.id,
                channel=channel,
                metadata={"name": key.name, "prefix": key.prefix},
            )
    return key


# Keys found, by hash: (time.monotonic() until which to trust the entry, key). Per process.
_recent: dict[str, tuple[float, ApiKey]] = {}
_RECENT_MAX = 1000
_stamp_seen: list[tuple[int, int] | None] = [None]  # the revocation stamp _recent was kept under


def _revocation_stamp() -> tuple[int, int]:
    """(inode, size) of the stamp file: one byte longer after every revocation on this host."""
    try:
        stat = os.stat(settings.API_KEY_REVOCATIONS_STAMP)
    except OSError:
        return (0, 0)
    return (stat.st_ino, stat.st_size)


def _key_by_hash(digest: str) -> ApiKey | None:
    """The key with this hash, as the database has it or had it at most
    API_KEY_CACHE_SECONDS ago and before the last revocation on this host.

    Every API request looks its key up, so a key found is kept for that long in this
    process: one round trip fewer per request.
    api_key_revoke appends a byte to the stamp file once it has committed; every process
    stats the file per request and forgets every key when it changed, so a revocation takes
    effect on this host at once. Keys not found are never kept.
    """
    ttl = settings.API_KEY_CACHE_SECONDS
    now = time.monotonic()
    if ttl > 0:
        stamp = _revocation_stamp()
        if stamp != _stamp_seen[0]:
            _recent.clear()
            _stamp_seen[0] = stamp
        elif (hit := _recent.get(digest)) is not None and hit[0] > now:
            return hit[1]
    # with its creator's name and email, all api_key_actor reads of the creator
    key = (
        ApiKey.objects.select_related("created_by")
        .only(*(f.name for f in ApiKey._meta.concrete_fields), "created_by__name", "created_by__email")
        .filter(key_hash=digest)
        .first()
    )
    if key is None:
        _recent.pop(digest, None)
        return None
    if ttl > 0:
        if len(_recent) >= _RECENT_MAX:
            _recent.clear()
        _recent[digest] = (now + ttl, key)
    return key


def api_keys_forget() -> None:
    """Drop the keys this process remembers."""
    _recent.clear()


def _revocation_announce() -> None:
    """Tell every process on this host that a key was revoked (after the commit)."""
    api_keys_forget()
    path = Path(settings.API_KEY_REVOCATIONS_STAMP)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as stamp:  # O_APPEND: concurrent revocations each add their byte
            stamp.write(b".")
    except OSError:
        logger.exception(
            "Could not write %s: other processes trust revoked keys for up to %s s",
            path,
            settings.API_KEY_CACHE_SECONDS,
        )


def api_key_authenticate(plaintext: str) -> ApiKey | None:
    """The usable key with this plaintext, or None. Touches last_used_at at most once a minute."""
    if not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 200:
        return None
    key = _key_by_hash(api_key_hash(plaintext))
    if key is None or not key.is_usable:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(id=key.id).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_key_actor(key: ApiKey) -> Actor:
    """Requests made with a key are audited as its creator, acting through the key."""
    creator = key.created_by
    label = f"API key {key.name} ({key.prefix}…)"
    if creator is not None:
        label = f"{creator.name or creator.email} via {label}"
    return Actor(
        type=ActorType.USER,
        company_id=key.company_id,
        label=label,
        user_id=key.created_by_id,
        api_key_id=key.id,
    )


def api_keys_for_company(company_id: UUID):
    return ApiKey.objects.filter(company_id=company_id).select_related("created_by")
