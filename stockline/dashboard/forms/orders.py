"""Order forms: the New order cart as posted, and a status change."""

from dataclasses import dataclass
from uuid import UUID

from django import forms

from stockline.dashboard.forms.inventory import MAX_UNITS
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.services import NOTES_MAX, PO_NUMBER_MAX, OrderLineInput


class OrderDetailsForm(forms.Form):
    po_number = forms.CharField(label="PO number", max_length=PO_NUMBER_MAX, required=False)
    notes = forms.CharField(max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))


@dataclass(frozen=True, slots=True)
class PostedCart:
    lines: list[OrderLineInput]
    error: str = ""


def parse_cart(post) -> PostedCart:
    """The cart's (product, quantity) pairs. Quantity rules beyond "a whole number" are the
    order service's; product ids that do not parse are dropped (they cannot exist)."""
    lines = []
    for raw_id, raw_qty in zip(post.getlist("product"), post.getlist("quantity"), strict=False):
        try:
            product_id = UUID(raw_id)
        except ValueError:
            continue
        try:
            quantity = int(raw_qty)
        except ValueError:
            return PostedCart(lines=lines, error="Quantities must be whole numbers.")
        if abs(quantity) > MAX_UNITS:
            return PostedCart(lines=lines, error=f"Quantities must be at most {MAX_UNITS:,}.")
        lines.append(OrderLineInput(product_id=product_id, quantity=quantity))
    return PostedCart(lines=lines)


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=OrderStatus.choices)
    restock = forms.BooleanField(required=False)
