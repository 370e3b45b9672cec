from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from stockline.audit.models import ActorStamp
from stockline.catalog.stock_rules import (
    effective_threshold,
    stock_status,
    stock_status_expression,
    stock_status_q,
)
from stockline.core.channels import Channel
from stockline.core.models import AppendOnlyModel, TimestampedModel

# Stock lives in a 32-bit integer column on every database; larger values are refused, not wrapped.
STOCK_MAX = 2_147_483_647

DASHBOARD_UNITS = [
    "each",
    "case",
    "pallet",
    "box",
    "bag",
    "roll",
    "sheet",
    "lb",
    "oz",
    "kg",
    "L",
    "mL",
]


class ProductQuerySet(models.QuerySet):
    def with_stock_status(self):
        return self.annotate(stock_status=stock_status_expression())

    def with_stock_status_in(self, status: str):
        return self.filter(stock_status_q(status))


class Product(TimestampedModel):
    # Every product query starts with the company: the composite indexes below serve it.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="products", db_index=False
    )
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=100, null=True, blank=True)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    category = models.CharField(max_length=100, blank=True, db_index=True)
    unit = models.CharField(max_length=20, default="each")
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(STOCK_MAX)])
    low_stock_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: use the company default."
    )
    is_active = models.BooleanField(default=True)
    # One more with every movement of this product's stock (catalog.stock, under the row lock):
    # a product is created with its opening movement, version 1.
    version = models.PositiveBigIntegerField(default=1, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_gte_0"),
            models.CheckConstraint(
                condition=Q(low_stock_threshold__isnull=True) | Q(low_stock_threshold__gte=0),
                name="product_threshold_gte_0",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="product_name_not_empty"),
            models.UniqueConstraint(fields=["company", "sku"], name="product_company_sku"),
        ]
        indexes = [
            models.Index(fields=["company", "-created_at", "-id"], name="product_company_newest"),
            # Health counts and stock-status filters read only this index.
            models.Index(
                fields=["company", "is_active", "stock", "low_stock_threshold"], name="product_company_stock"
            ),
            models.Index(fields=["company", "name"], name="product_company_name"),
            # The storefront catalog: active products by category then name (pages at any depth,
            # the category filter and the category list are read from this index alone).
            models.Index(
                fields=["company", "category", "name", "id"],
                condition=Q(is_active=True),
                name="product_storefront_catalog",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.sku is not None:
            self.sku = self.sku.strip() or None

    @property
    def effective_threshold(self) -> int:
        return effective_threshold(
            override=self.low_stock_threshold, company_default=self.company.low_stock_threshold
        )

    @property
    def stock_status(self) -> str:
        # Querysets annotated by with_stock_status() carry the SQL-computed value (no
        # company lookup per row); otherwise compute it with the same rule in Python.
        annotated = self.__dict__.get("_stock_status")
        if annotated is not None:
            return annotated
        return stock_status(stock=self.stock, threshold=self.effective_threshold)

    @stock_status.setter
    def stock_status(self, value: str) -> None:
        self.__dict__["_stock_status"] = value


class MovementReason(models.TextChoices):
    ORDER = "ORDER", "Order"
    EDIT = "EDIT", "Edited"
    BULK_SET = "BULK_SET", "Bulk set"
    BULK_DELTA = "BULK_DELTA", "Bulk delta"
    IMPORT = "IMPORT", "CSV import"
    API = "API", "REST API"
    RESTOCK = "RESTOCK", "Restocked"


class StockMovement(AppendOnlyModel, ActorStamp):
    """The ledger: one row per product per stock change. Append-only.

    For every product: first movement's stock_before + Σ delta = current stock.
    """

    # Read per product (movement_product_time) or per order; the other references are
    # written on every stock change and never searched, so they carry no index of their own.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    product = models.ForeignKey(  # movement_product_time serves lookups by product
        Product, on_delete=models.CASCADE, related_name="movements", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delta = models.IntegerField()
    stock_before = models.IntegerField()
    stock_after = models.IntegerField()
    reason = models.CharField(max_length=12, choices=MovementReason.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="movements"
    )
    audit_entry = models.ForeignKey(
        "audit.AuditEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    reference = models.CharField(max_length=64, blank=True, help_text="e.g. an import batch id")
    note = models.CharField(max_length=200, blank=True)
    version = models.PositiveBigIntegerField(
        help_text="The product's version after this movement: 1, 2, 3, …"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock_after=F("stock_before") + F("delta")),
                name="movement_after_is_before_plus_delta",
            ),
            models.CheckConstraint(condition=Q(stock_after__gte=0), name="movement_after_gte_0"),
            models.CheckConstraint(condition=Q(stock_before__gte=0), name="movement_before_gte_0"),
        ]
        indexes = [models.Index(fields=["product", "created_at"], name="movement_product_time")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.delta:+d} ({self.reason})"
