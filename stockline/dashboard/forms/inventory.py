"""Product and bulk-action forms: parse the input; the catalog services apply the rules."""

from uuid import UUID

from django import forms

from stockline.catalog.models import DASHBOARD_UNITS, Product
from stockline.catalog.services import BulkMode

# The database's integer column: larger numbers are refused here rather than by the database.
MAX_UNITS = 2_147_483_647
_WHOLE = {
    "invalid": "Enter a whole number.",
    "min_value": "Must be 0 or more.",
    "max_value": f"Must be at most {MAX_UNITS:,}.",
}


class ProductForm(forms.Form):
    name = forms.CharField(label="Product name", max_length=200)
    sku = forms.CharField(label="SKU", max_length=100, required=False)
    category = forms.CharField(max_length=100, required=False)
    unit = forms.ChoiceField(initial="each")
    price = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"})
    )
    stock = forms.IntegerField(
        label="Stock qty",
        min_value=0,
        max_value=MAX_UNITS,
        initial=0,
        error_messages={**_WHOLE, "min_value": "Stock cannot be negative."},
    )
    low_stock_threshold = forms.IntegerField(
        label="Low-stock threshold", min_value=0, max_value=MAX_UNITS, required=False, error_messages=_WHOLE
    )
    is_active = forms.BooleanField(label="Active — visible on the storefront", required=False, initial=True)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # The stock the form was opened with: a save only sets stock if it still is this value.
    stock_original = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, company, product: Product | None = None, **kwargs):
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(product, f) for f in self.editable_fields()},
                "sku": product.sku or "",
                "stock_original": product.stock,
            }
        super().__init__(*args, **kwargs)
        units = list(DASHBOARD_UNITS)
        if product is not None and product.unit not in units:
            units.append(product.unit)  # set through the API or a CSV; keep it selectable
        self.fields["unit"].choices = [(u, u) for u in units]
        self.fields["low_stock_threshold"].help_text = (
            f"Empty: the company default ({company.low_stock_threshold}). "
            "Low stock means 0 < stock ≤ threshold."
        )
        self.product = product

    @staticmethod
    def editable_fields() -> list[str]:
        return [
            "name",
            "sku",
            "category",
            "unit",
            "price",
            "stock",
            "low_stock_threshold",
            "is_active",
            "description",
        ]

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.editable_fields()}
        data["sku"] = data["sku"].strip() or None
        return data

    def changes(self) -> tuple[dict, int | None]:
        """The fields to save and the expected stock: stock is only sent when the user changed it."""
        data = self.values()
        original = self.cleaned_data.get("stock_original")
        if original is not None and data["stock"] == original:
            del data["stock"]
            return data, None
        return data, original


_RANGE = f"Enter a number of units between -{MAX_UNITS:,} and {MAX_UNITS:,}."

BULK_ACTIONS = [
    ("stock_set", "Set stock to"),
    ("stock_delta", "Adjust stock by ±"),
    ("activate", "Activate"),
    ("deactivate", "Deactivate"),
]
BULK_STOCK_MODES = {"stock_set": BulkMode.SET, "stock_delta": BulkMode.DELTA}


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    value = forms.IntegerField(
        required=False,
        min_value=-MAX_UNITS,
        max_value=MAX_UNITS,
        error_messages={
            "invalid": "Enter a whole number.",
            **dict.fromkeys(("min_value", "max_value"), _RANGE),
        },
    )
    all_matching = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in BULK_STOCK_MODES and cleaned.get("value") is None:
            self.add_error("value", "Enter the number of units.")
        return cleaned

    @property
    def stock_mode(self) -> BulkMode | None:
        return BULK_STOCK_MODES.get(self.cleaned_data["action"])


def parse_ids(values) -> list[UUID]:
    ids = []
    for value in values:
        try:
            ids.append(UUID(value))
        except (ValueError, TypeError):
            continue
    return list(dict.fromkeys(ids))
