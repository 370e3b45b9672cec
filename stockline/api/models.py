from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stockline.core.models import UUIDModel


class ApiKeyStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    REVOKED = "REVOKED", "Revoked"
    EXPIRED = "EXPIRED", "Expired"


class ApiKey(UUIDModel):
    """A company's API key. Only a SHA-256 hash is stored; the key is shown once."""

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First 12 characters, for recognising a key.")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="apikey_company_newest")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return ApiKeyStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return ApiKeyStatus.EXPIRED
        return ApiKeyStatus.ACTIVE

    @property
    def is_usable(self) -> bool:
        return self.status == ApiKeyStatus.ACTIVE


class IdempotencyRecord(UUIDModel):
    """The stored outcome of a POST made with an Idempotency-Key, per company.

    Inserted in the same transaction as the work it guards, so a replay sees either
    nothing (the first attempt rolled back) or the committed response.
    """

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "key"], name="idempotency_company_key"),
        ]

    def __str__(self) -> str:
        return self.key


class RateLimitWindow(models.Model):
    """Requests counted per API key per one-minute window (shared by all web processes)."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "window_start"], name="ratelimit_key_window"),
            models.CheckConstraint(condition=Q(count__gte=0), name="ratelimit_count_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}@{self.window_start}: {self.count}"
