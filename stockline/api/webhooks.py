"""/api/v1/webhooks: the company's webhook endpoints (scopes webhooks:read, webhooks:write)."""

from ninja import Router, Status

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError, path_id
from stockline.api.schemas import (
    COMMON_ERRORS,
    ErrorOut,
    WebhookCreateIn,
    WebhookEnvelope,
    WebhookListOut,
    WebhookPatchIn,
    WebhookWithSecretEnvelope,
)
from stockline.core.channels import Channel
from stockline.webhooks.models import WebhookEndpoint
from stockline.webhooks.services import (
    WebhookNotFound,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_secret_rotate,
)

router = Router(tags=["webhooks"], auth=ApiKeyAuth("webhooks"))


def webhook_json(endpoint: WebhookEndpoint, secret: str | None = None) -> dict:
    body = {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": endpoint.events,
        "isActive": endpoint.is_active,
        "pausedForFailing": endpoint.paused_for_failing,
        "createdAt": endpoint.created_at,
        "updatedAt": endpoint.updated_at,
    }
    if secret is not None:
        body["secret"] = secret
    return body


def _id(raw: str):
    return path_id(raw, not_found=WebhookNotFound.message)


@router.get("/webhooks", response={200: WebhookListOut, **COMMON_ERRORS})
def webhooks_list(request):
    return {"data": [webhook_json(e) for e in WebhookEndpoint.objects.filter(company_id=request.company_id)]}


@router.post("/webhooks", response={201: WebhookWithSecretEnvelope, **COMMON_ERRORS})
def webhooks_create(request, payload: WebhookCreateIn):
    made = webhook_endpoint_create(
        actor=request.actor,
        channel=Channel.API,
        url=payload.url,
        events=payload.events,
        is_active=payload.isActive,
    )
    return Status(201, {"data": webhook_json(made.endpoint, made.secret)})


@router.get("/webhooks/{webhook_id}", response={200: WebhookEnvelope, 404: ErrorOut, **COMMON_ERRORS})
def webhooks_get(request, webhook_id: str):
    endpoint = WebhookEndpoint.objects.filter(company_id=request.company_id, id=_id(webhook_id)).first()
    if endpoint is None:
        raise ApiError(404, WebhookNotFound.message)
    return {"data": webhook_json(endpoint)}


@router.patch("/webhooks/{webhook_id}", response={200: WebhookEnvelope, 404: ErrorOut, **COMMON_ERRORS})
def webhooks_update(request, webhook_id: str, payload: WebhookPatchIn):
    fields = {"url": "url", "events": "events", "isActive": "is_active"}
    changes = {fields[name]: value for name, value in payload.model_dump(exclude_unset=True).items()}
    if any(value is None for value in changes.values()):
        raise ApiError(400, "url, events and isActive cannot be null.")
    endpoint = webhook_endpoint_update(
        actor=request.actor, channel=Channel.API, endpoint_id=_id(webhook_id), changes=changes
    )
    return {"data": webhook_json(endpoint)}


@router.delete("/webhooks/{webhook_id}", response={204: None, 404: ErrorOut, **COMMON_ERRORS})
def webhooks_delete(request, webhook_id: str):
    webhook_endpoint_delete(actor=request.actor, channel=Channel.API, endpoint_id=_id(webhook_id))
    return Status(204, None)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    response={200: WebhookWithSecretEnvelope, 404: ErrorOut, **COMMON_ERRORS},
)
def webhooks_rotate_secret(request, webhook_id: str):
    """A new secret. For 24 hours deliveries carry two signatures, by the new and the old one."""
    rotated = webhook_secret_rotate(actor=request.actor, channel=Channel.API, endpoint_id=_id(webhook_id))
    return {"data": webhook_json(rotated.endpoint, rotated.secret)}
