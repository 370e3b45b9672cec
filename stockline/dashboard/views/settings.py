"""Settings → Company: name and default low-stock threshold (OWNER/ADMIN)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from stockline.accounts.permissions import Perm
from stockline.accounts.services import company_update_settings
from stockline.dashboard.access import staff_view
from stockline.dashboard.forms.settings import CompanySettingsForm


@staff_view(Perm.MANAGE_SETTINGS)
def company_settings(request):
    initial = {"name": request.company.name, "low_stock_threshold": request.company.low_stock_threshold}
    form = CompanySettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            company_update_settings(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Company settings saved.")
            return redirect("dashboard:settings")
    return render(request, "dashboard/settings/company.html", {"form": form})
