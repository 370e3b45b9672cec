"""Settings → Webhooks (OWNER/ADMIN): endpoints added (the secret is shown once), edited,
paused and resumed, deleted, their secrets rotated (the new one shown once), sent a test
event, and each endpoint's delivery log with "Redeliver". stockline.webhooks.services holds every rule and
writes every audit entry; these views parse a form, call it and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from stockline.accounts.permissions import Perm
from stockline.core.channels import Channel
from stockline.dashboard.access import staff_view
from stockline.dashboard.forms.webhooks import WebhookActiveForm, WebhookEndpointForm
from stockline.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from stockline.webhooks.services import (
    WebhookNotFound,
    WebhookPaused,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_redeliver,
    webhook_secret_rotate,
    webhook_test_send,
)

DELIVERIES_PER_PAGE = 50


def _endpoint_or_404(request, endpoint_id) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(company_id=request.company.id, id=endpoint_id).first()
    if endpoint is None:
        raise Http404(WebhookNotFound.message)
    return endpoint


def _endpoints(company_id):
    return WebhookEndpoint.objects.filter(company_id=company_id).annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    )


@staff_view(Perm.MANAGE_SETTINGS)
def webhooks(request):
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_endpoint_create(
                actor=request.actor,
                channel=Channel.DASHBOARD,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = WebhookEndpointForm()
    return render(
        request,
        "dashboard/settings/webhooks.html",
        {
            "form": form,
            "endpoints": _endpoints(request.company.id),
            "created": created,  # EndpointWithSecret: the secret is rendered in this response only
        },
        status=201 if created else 200,
    )


def _detail_page(request, endpoint, *, form=None, rotated=None, status=200):
    deliveries = (
        WebhookDelivery.objects.filter(company_id=request.company.id, endpoint_id=endpoint.id)
        .select_related("event")
        .order_by("-created_at", "-id")
    )
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    overlap = endpoint.previous_secret and endpoint.previous_secret_until
    previous_signs_until = overlap if overlap and overlap > timezone.now() else None
    return render(
        request,
        "dashboard/settings/webhook_detail.html",
        {
            "endpoint": endpoint,
            "form": form or WebhookEndpointForm.for_endpoint(endpoint),
            "rotated": rotated,  # EndpointWithSecret after a rotation: shown in this response only
            "page_obj": page,
            "deliveries": page.object_list,
            "previous_signs_until": previous_signs_until,
        },
        status=status,
    )


@staff_view(Perm.MANAGE_SETTINGS)
def webhook_detail(request, endpoint_id):
    """The endpoint's delivery log and its edit form; POST saves the URL and events."""
    endpoint = _endpoint_or_404(request, endpoint_id)
    if request.method != "POST":
        return _detail_page(request, endpoint)
    form = WebhookEndpointForm.for_endpoint(endpoint, request.POST)
    if form.is_valid():
        try:
            webhook_endpoint_update(
                actor=request.actor,
                channel=Channel.DASHBOARD,
                endpoint_id=endpoint.id,
                changes={"url": form.cleaned_data["url"], "events": form.cleaned_data["events"]},
            )
        except WebhookNotFound as exc:
            raise Http404(exc.message) from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Webhook saved.")
            return redirect("dashboard:settings_webhook", endpoint.id)
    return _detail_page(request, endpoint, form=form)


@require_POST
@staff_view(Perm.MANAGE_SETTINGS)
def webhook_active(request, endpoint_id):
    form = WebhookActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Pause or Resume.")
        return redirect("dashboard:settings_webhook", endpoint_id)
    is_active = form.cleaned_data["is_active"]
    try:
        endpoint = webhook_endpoint_update(
            actor=request.actor,
            channel=Channel.DASHBOARD,
            endpoint_id=endpoint_id,
            changes={"is_active": is_active},
        )
    except WebhookNotFound as exc:
        raise Http404(exc.message) from exc
    if is_active:
        messages.success(request, f"Webhook {endpoint.url} resumed: new events are sent to it again.")
    else:
        messages.success(request, f"Webhook {endpoint.url} paused: no events are sent to it until resumed.")
    if request.POST.get("next") == "list":
        return redirect("dashboard:settings_webhooks")
    return redirect("dashboard:settings_webhook", endpoint.id)


@require_POST
@staff_view(Perm.MANAGE_SETTINGS)
def webhook_rotate(request, endpoint_id):
    try:
        rotated = webhook_secret_rotate(
            actor=request.actor, channel=Channel.DASHBOARD, endpoint_id=endpoint_id
        )
    except WebhookNotFound as exc:
        raise Http404(exc.message) from exc
    # Rendered, not redirected: the new secret exists in this response only.
    return _detail_page(request, rotated.endpoint, rotated=rotated)


@require_POST
@staff_view(Perm.MANAGE_SETTINGS)
def webhook_delete(request, endpoint_id):
    endpoint = _endpoint_or_404(request, endpoint_id)
    try:
        webhook_endpoint_delete(actor=request.actor, channel=Channel.DASHBOARD, endpoint_id=endpoint.id)
    except WebhookNotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, f"Webhook {endpoint.url} deleted, with its delivery log.")
    return redirect("dashboard:settings_webhooks")


@require_POST
@staff_view(Perm.MANAGE_SETTINGS)
def webhook_redeliver_view(request, delivery_id):
    try:
        delivery = webhook_redeliver(actor=request.actor, channel=Channel.DASHBOARD, delivery_id=delivery_id)
    except WebhookNotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, f"Event {delivery.event_id} queued to be sent again now.")
    return redirect("dashboard:settings_webhook", delivery.endpoint_id)


@require_POST
@staff_view(Perm.MANAGE_SETTINGS)
def webhook_test(request, endpoint_id):
    try:
        delivery = webhook_test_send(actor=request.actor, channel=Channel.DASHBOARD, endpoint_id=endpoint_id)
    except WebhookNotFound as exc:
        raise Http404(exc.message) from exc
    except WebhookPaused as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:settings_webhook", endpoint_id)
    messages.success(
        request, f"Test event {delivery.event_id} queued: it appears in the delivery log once sent."
    )
    return redirect("dashboard:settings_webhook", endpoint_id)
