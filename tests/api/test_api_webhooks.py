"""/api/v1/webhooks: endpoints with their secret shown once, changed, rotated and deleted,
every change audited, each company seeing only its own."""

from stockline.audit.models import AuditAction, AuditEntry
from stockline.webhooks.models import WebhookEndpoint
from stockline.webhooks.signing import SECRET_PREFIX
from tests.api.conftest import error_of

HOOK = {"url": "https://erp.example.com/stockline", "events": ["stock.changed"]}


def test_creating_an_endpoint_answers_201_with_its_secret_once(api):
    response = api.post("/webhooks", HOOK)
    assert response.status_code == 201
    body = response.json()["data"]
    assert body["secret"].startswith(SECRET_PREFIX) and len(body["secret"]) == len(SECRET_PREFIX) + 44
    assert (body["url"], body["events"], body["isActive"]) == (HOOK["url"], ["stock.changed"], True)
    again = api.get(f"/webhooks/{body['id']}").json()["data"]
    assert "secret" not in again and again["id"] == body["id"]
    assert [w["id"] for w in api.get("/webhooks").json()["data"]] == [body["id"]]
    assert AuditEntry.objects.filter(action=AuditAction.WEBHOOK_CREATED, entity_id=body["id"]).exists()


def test_an_unknown_event_type_is_a_400_and_writes_nothing(api):
    message = error_of(api.post("/webhooks", {**HOOK, "events": ["stock.changed", "order.teleported"]}), 400)
    assert "Unknown event type: order.teleported." in message
    assert error_of(api.post("/webhooks", {**HOOK, "events": []}), 400)
    assert error_of(api.post("/webhooks", {**HOOK, "url": "not a url"}), 400)
    assert not WebhookEndpoint.objects.exists()


def test_patch_pauses_and_changes_an_endpoint_and_is_audited(api):
    hook = api.post("/webhooks", HOOK).json()["data"]
    response = api.patch(f"/webhooks/{hook['id']}", {"isActive": False, "url": "https://erp.example.com/v2"})
    assert response.status_code == 200
    assert (response.json()["data"]["isActive"], response.json()["data"]["url"]) == (
        False,
        "https://erp.example.com/v2",
    )
    entry = AuditEntry.objects.get(action=AuditAction.WEBHOOK_UPDATED, entity_id=hook["id"])
    assert entry.metadata["changes"]["is_active"] == [True, False]
    assert error_of(api.patch(f"/webhooks/{hook['id']}", {"events": None}), 400)


def test_rotating_the_secret_gives_a_new_one_and_keeps_the_old_for_a_day(api):
    hook = api.post("/webhooks", HOOK).json()["data"]
    rotated = api.post(f"/webhooks/{hook['id']}/rotate-secret").json()["data"]
    assert rotated["secret"] != hook["secret"]
    endpoint = WebhookEndpoint.objects.get(id=hook["id"])
    assert (endpoint.secret, endpoint.previous_secret) == (rotated["secret"], hook["secret"])
    assert AuditEntry.objects.filter(action=AuditAction.WEBHOOK_SECRET_ROTATED, entity_id=hook["id"]).exists()


def test_delete_removes_the_endpoint_and_is_audited(api):
    hook = api.post("/webhooks", HOOK).json()["data"]
    assert (
        api.client.delete(
            f"/api/v1/webhooks/{hook['id']}", HTTP_AUTHORIZATION=f"Bearer {api.key}"
        ).status_code
        == 204
    )
    assert error_of(api.get(f"/webhooks/{hook['id']}"), 404) == "Webhook not found."
    assert AuditEntry.objects.filter(action=AuditAction.WEBHOOK_DELETED, entity_id=hook["id"]).exists()


def test_another_companys_endpoints_are_not_found(api, other_api):
    hook = other_api.post("/webhooks", HOOK).json()["data"]
    assert api.get("/webhooks").json()["data"] == []
    assert error_of(api.get(f"/webhooks/{hook['id']}"), 404) == "Webhook not found."
    assert error_of(api.patch(f"/webhooks/{hook['id']}", {"isActive": False}), 404) == "Webhook not found."
    assert error_of(api.post(f"/webhooks/{hook['id']}/rotate-secret"), 404) == "Webhook not found."
    assert WebhookEndpoint.objects.get(id=hook["id"]).is_active
