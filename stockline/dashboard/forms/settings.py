"""Settings forms: company, team invitations and roles, API keys, audit-log filters."""

from django import forms

from stockline.accounts.models import Role
from stockline.api.keys import SCOPES
from stockline.dashboard.forms.inventory import MAX_UNITS

TEAM_ROLES = [(Role.ADMIN, "Admin"), (Role.MEMBER, "Member")]


class CompanySettingsForm(forms.Form):
    name = forms.CharField(label="Company name", max_length=100)
    low_stock_threshold = forms.IntegerField(
        label="Default low-stock threshold",
        min_value=0,
        max_value=MAX_UNITS,
        error_messages={"invalid": "Enter a whole number.", "min_value": "Must be 0 or more."},
        help_text="A product is low on stock when 0 < stock ≤ this number, unless it has its own threshold.",
    )


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=TEAM_ROLES, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=TEAM_ROLES)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses this key, e.g. “ERP sync”.")
    scopes = forms.MultipleChoiceField(
        choices=SCOPES, widget=forms.CheckboxSelectMultiple, initial=["products:read"]
    )
