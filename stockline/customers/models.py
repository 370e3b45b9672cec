from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q

from stockline.core.models import TimestampedModel


class CustomerStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    BLOCKED = "BLOCKED", "Blocked"


class Customer(TimestampedModel):
    """A buyer at one company's storefront. Same email at two companies = two customers."""

    company = models.ForeignKey(  # served by the (company, …) indexes below
        "accounts.Company", on_delete=models.CASCADE, related_name="customers", db_index=False
    )
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100, validators=[MinLengthValidator(2)])
    password = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], name="customer_company_email"),
            models.CheckConstraint(
                condition=Q(status__in=["ACTIVE", "BLOCKED"]), name="customer_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at", "-id"], name="customer_company_newest")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def clean(self):
        self.email = (self.email or "").strip().lower()

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)

    @property
    def is_blocked(self) -> bool:
        return self.status == CustomerStatus.BLOCKED
