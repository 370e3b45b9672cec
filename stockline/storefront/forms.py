"""Storefront forms: they parse what was posted; the rules are the services'."""

from uuid import UUID

from django import forms

from stockline.customers.services import PASSWORD_MAX, PASSWORD_MIN
from stockline.orders.services import NOTES_MAX, PO_NUMBER_MAX

QUANTITY_MAX = 1_000_000


class RegisterForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        min_length=PASSWORD_MIN,
        max_length=PASSWORD_MAX,
        strip=False,
        help_text=f"{PASSWORD_MIN} to {PASSWORD_MAX} characters.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LoginForm(forms.Form):
    email = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="New password",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="New password again",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The two password fields didn't match.")
        return cleaned


class AddToCartForm(forms.Form):
    product = forms.UUIDField()
    quantity = forms.IntegerField(min_value=1, max_value=QUANTITY_MAX, initial=1)


class CartForm(forms.Form):
    """The cart page: one `qty-<product id>` field per line, the PO number and the notes.

    A `remove` button names the line to drop; an empty or 0 quantity drops it too.
    """

    po_number = forms.CharField(label="PO number", max_length=PO_NUMBER_MAX, required=False)
    notes = forms.CharField(label="Notes", max_length=NOTES_MAX, required=False, strip=False)
    remove = forms.UUIDField(required=False)

    def clean(self):
        data = super().clean()
        quantities: dict[UUID, int] = {}
        for name, raw in self.data.items():
            if not name.startswith("qty-"):
                continue
            try:
                product_id = UUID(name[4:])
            except ValueError:
                continue  # not a line of any cart
            raw = (raw or "").strip()
            try:
                quantity = int(raw) if raw else 0
            except ValueError:
                raise forms.ValidationError("Quantities must be whole numbers.") from None
            if not 0 <= quantity <= QUANTITY_MAX:
                raise forms.ValidationError("Quantities must be whole numbers from 0 up.")
            quantities[product_id] = quantity
        if data.get("remove"):
            quantities[data["remove"]] = 0
        data["quantities"] = quantities
        data["notes"] = (data.get("notes") or "").strip()
        return data
