from django.db import models
from django.db.models import Q

from stockline.core.models import UUIDModel


class Cart(UUIDModel):
    """A customer's cart, kept on the server: one per customer, it follows them across devices.

    The PO number and notes typed on the cart page are kept with it until checkout.
    """

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="cart")
    po_number = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Cart of {self.customer_id}"


class CartItem(UUIDModel):
    """A product the customer means to order. Stock is not reserved: checkout re-checks it."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartitem_cart_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cartitem_quantity_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"
