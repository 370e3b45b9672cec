from django.conf import settings
from django.db import models

from stockline.core.channels import Channel
from stockline.core.models import UUIDModel


class ImportStatus(models.TextChoices):
    PREVIEWED = "PREVIEWED", "Previewed"
    APPLIED = "APPLIED", "Applied"


class ImportBatch(UUIDModel):
    """One product CSV import: the uploaded file and its preview until applied, then its result.

    Apply re-reads `content` with the same encoding and column mapping, and refuses if any
    product's stock differs from `stock_seen` (taken at preview) or the batch was applied.
    Command-line imports are recorded here too (without content), as applied.
    """

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.IMPORT)
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField(
        blank=True, default=b"", help_text="The uploaded file; emptied once applied."
    )
    encoding = models.CharField(max_length=20, default="utf-8")
    mapping = models.JSONField(default=dict, blank=True, help_text="Column → header chosen by the user.")
    preview = models.JSONField(
        default=dict, blank=True, help_text="ImportPreview.as_json(), or a file error."
    )
    stock_seen = models.JSONField(
        default=dict, blank=True, help_text="{sku: [product id, stock]} at preview."
    )
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    applied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"
        indexes = [models.Index(fields=["company", "-created_at"], name="importbatch_company_newest")]

    def __str__(self) -> str:
        return f"Import {self.filename or self.id} ({self.status})"
