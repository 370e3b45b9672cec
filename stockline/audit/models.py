from django.conf import settings
from django.db import models

from stockline.audit.actors import ActorType
from stockline.core.models import AppendOnlyModel


class AuditAction(models.TextChoices):
    PRODUCT_CREATED = "ProductCreated"
    PRODUCT_UPDATED = "ProductUpdated"
    PRODUCT_BULK_UPDATED = "ProductBulkUpdated"
    STOCK_ADJUSTED = "StockAdjusted"
    ORDER_PLACED = "OrderPlaced"
    ORDER_STATUS_CHANGED = "OrderStatusChanged"
    COMPANY_CREATED = "CompanyCreated"
    COMPANY_UPDATED = "CompanyUpdated"
    CUSTOMER_CREATED = "CustomerCreated"
    API_KEY_CREATED = "ApiKeyCreated"
    API_KEY_REVOKED = "ApiKeyRevoked"
    MEMBER_INVITED = "MemberInvited"
    INVITATION_REVOKED = "InvitationRevoked"
    MEMBER_JOINED = "MemberJoined"
    MEMBER_ROLE_CHANGED = "MemberRoleChanged"
    MEMBER_REMOVED = "MemberRemoved"
    LOGIN_LOCKED_OUT = "LoginLockedOut"
    WEBHOOK_CREATED = "WebhookCreated"
    WEBHOOK_UPDATED = "WebhookUpdated"
    WEBHOOK_DELETED = "WebhookDeleted"
    WEBHOOK_SECRET_ROTATED = "WebhookSecretRotated"
    WEBHOOK_REDELIVERED = "WebhookRedelivered"
    WEBHOOK_TEST_SENT = "WebhookTestSent"


class ActorStamp(models.Model):
    """Who did it, as stored on every audit entry and every stock movement.

    Written from an Actor by Actor.stamp(); never searched, so the references carry no index.
    """

    actor_type = models.CharField(max_length=10, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor_customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor_api_key_id = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)

    class Meta:
        abstract = True


class AuditEntry(AppendOnlyModel, ActorStamp):
    """One thing someone did. Stored as codes and structured data; worded only on display."""

    # Read through the (company, time) and (company, entity) indexes; actors are never searched.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    entity_type = models.CharField(max_length=30)
    entity_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=12, blank=True)
    metadata = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            # Ascending, read backwards for "newest first": new entries append at the right edge.
            models.Index(fields=["company", "created_at"], name="audit_company_time"),
            models.Index(fields=["company", "entity_type", "entity_id"], name="audit_entity"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.entity_type}:{self.entity_id}"
