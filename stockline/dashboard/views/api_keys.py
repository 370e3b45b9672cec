"""Settings → API keys: create (the key is shown once) and revoke (OWNER/ADMIN)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stockline.accounts.permissions import Perm
from stockline.api.keys import SCOPES, api_key_create, api_key_revoke, api_keys_for_company
from stockline.api.models import ApiKey
from stockline.dashboard.access import staff_view
from stockline.dashboard.forms.settings import ApiKeyForm


@staff_view(Perm.MANAGE_API_KEYS)
def api_keys(request):
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = api_key_create(
                actor=request.actor, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiKeyForm()
    return render(
        request,
        "dashboard/settings/api_keys.html",
        {
            "form": form,
            "keys": api_keys_for_company(request.company.id),
            "created": created,  # (key, plaintext): rendered in this response only
            "scope_labels": dict(SCOPES),
        },
        status=201 if created else 200,
    )


@require_POST
@staff_view(Perm.MANAGE_API_KEYS)
def api_key_revoke_view(request, key_id):
    try:
        key = api_key_revoke(actor=request.actor, key_id=key_id)
    except ApiKey.DoesNotExist as exc:
        raise Http404("API key not found.") from exc
    messages.success(request, f"API key “{key.name}” revoked. Requests using it are refused from now on.")
    return redirect("dashboard:api_keys")
