"""Settings: company, team, API keys and the audit log (SPEC §4, docs §14)."""

from datetime import timedelta

from django.utils import timezone

from stockline.accounts.models import Invitation, Membership, Role
from stockline.api.keys import api_key_hash
from stockline.api.models import ApiKey
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.audit.services import audit_record
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from tests.factories import make_customer, make_member, make_product, owner_actor


def test_company_settings_rename_and_threshold_are_saved_and_audited(owner_client, company):
    response = owner_client.post(
        "/dashboard/settings", {"name": "Acme Wholesale", "low_stock_threshold": "9"}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.low_stock_threshold) == ("Acme Wholesale", 9)
    entry = AuditEntry.objects.get(action=AuditAction.COMPANY_UPDATED)
    assert entry.metadata["changes"]["low_stock_threshold"] == [5, 9]


def test_company_settings_validation(owner_client, company):
    for data in [
        {"name": "", "low_stock_threshold": "5"},
        {"name": "A", "low_stock_threshold": "-1"},
        {"name": "A", "low_stock_threshold": "x"},
    ]:
        assert owner_client.post("/dashboard/settings", data).status_code == 200
    company.refresh_from_db()
    assert company.name == "Acme Distributors"


def test_default_threshold_change_moves_products_between_health_counts(owner_client, company):
    make_product(company, stock=7)
    assert owner_client.get("/dashboard").context["health"][1].count == 0
    owner_client.post("/dashboard/settings", {"name": company.name, "low_stock_threshold": "10"})
    assert owner_client.get("/dashboard").context["health"][1].count == 1


def test_invitation_link_is_shown_once_and_listed_as_open(owner_client, company):
    response = owner_client.post("/dashboard/settings/team/invite", {"role": "ADMIN"})
    assert response.status_code == 201
    link = response.context["invite_url"]
    assert "/invite/" in link
    token = link.rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    page = owner_client.get("/dashboard/settings/team")
    assert token not in page.content.decode()
    assert [i.role for i in page.context["invitations"]] == ["ADMIN"]


def test_open_invitation_can_be_revoked(owner_client, company):
    owner_client.post("/dashboard/settings/team/invite", {"role": "MEMBER"})
    invitation = Invitation.objects.get(company=company)
    owner_client.post(f"/dashboard/settings/team/invitations/{invitation.id}/revoke")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert owner_client.get("/dashboard/settings/team").context["invitations"] == []


def test_owner_changes_a_role_from_the_team_page(owner_client, company):
    member = make_member(company, Role.MEMBER)
    response = owner_client.post(f"/dashboard/settings/team/{member.id}/role", {"role": "ADMIN"}, follow=True)
    assert f"{member.user.email} is now Admin." in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    response = owner_client.post(f"/dashboard/settings/team/{member.id}/role", {"role": "OWNER"}, follow=True)
    assert "Role must be Admin or Member." in response.content.decode()


def test_team_page_offers_only_the_actions_the_role_allows(staff_client, company, owner):
    member = make_member(company, Role.MEMBER)
    other_admin = make_member(company, Role.ADMIN)
    client = staff_client(Role.ADMIN)
    rows = {r["membership"].id: r for r in client.get("/dashboard/settings/team").context["rows"]}
    assert rows[member.id]["can_remove"] and not rows[member.id]["can_change_role"]
    assert not rows[other_admin.id]["can_remove"] and not rows[owner.id]["can_remove"]


def test_admin_removes_a_member(staff_client, company):
    member = make_member(company, Role.MEMBER)
    client = staff_client(Role.ADMIN)
    client.post(f"/dashboard/settings/team/{member.id}/remove")
    assert not Membership.objects.filter(id=member.id).exists()


def test_members_see_the_team_but_no_management_controls(staff_client, company):
    html = staff_client(Role.MEMBER).get("/dashboard/settings/team").content.decode()
    assert "Invite someone" not in html and "Remove" not in html


def test_api_key_is_shown_once_and_stored_hashed(owner_client, company):
    response = owner_client.post(
        "/dashboard/settings/api-keys", {"name": "ERP sync", "scopes": ["products:read", "orders:write"]}
    )
    assert response.status_code == 201
    key, plaintext = response.context["created"]
    assert plaintext.startswith("dk_") and plaintext in response.content.decode()
    stored = ApiKey.objects.get(id=key.id)
    assert stored.key_hash == api_key_hash(plaintext) and stored.scopes == ["orders:write", "products:read"]
    assert plaintext not in owner_client.get("/dashboard/settings/api-keys").content.decode()


def test_api_key_needs_a_name_and_a_scope(owner_client, company):
    response = owner_client.post("/dashboard/settings/api-keys", {"name": "", "scopes": []})
    assert response.status_code == 200 and {"name", "scopes"} <= set(response.context["form"].errors)
    assert not ApiKey.objects.exists()


def test_api_key_revoke(owner_client, company):
    owner_client.post("/dashboard/settings/api-keys", {"name": "Temp", "scopes": ["products:read"]})
    key = ApiKey.objects.get(company=company)
    response = owner_client.post(f"/dashboard/settings/api-keys/{key.id}/revoke", follow=True)
    assert "revoked" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.API_KEY_REVOKED, entity_id=str(key.id)).exists()


def actions(response) -> list[str]:
    return [line.entry.action for line in response.context["lines"]]


def test_audit_log_filters_by_action_actor_type_entity_and_dates(owner_client, company):
    product = make_product(company, stock=5)
    product_update(
        actor=owner_actor(company), channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": 9}
    )
    make_customer(company)
    audit_record(
        actor=Actor.system(company.id),
        action=AuditAction.COMPANY_UPDATED,
        entity_type="company",
        entity_id=company.id,
    )

    assert actions(owner_client.get("/dashboard/settings/audit?action=ProductUpdated")) == ["ProductUpdated"]
    assert actions(owner_client.get("/dashboard/settings/audit?actor_type=SYSTEM")) == ["CompanyUpdated"]
    assert actions(owner_client.get("/dashboard/settings/audit?entity_type=customer")) == ["CustomerCreated"]
    today = timezone.now().date()
    assert len(actions(owner_client.get(f"/dashboard/settings/audit?from={today}&to={today}"))) == 5
    assert actions(owner_client.get(f"/dashboard/settings/audit?to={today - timedelta(days=1)}")) == []
    assert actions(owner_client.get(f"/dashboard/settings/audit?from={today + timedelta(days=1)}")) == []
    entity_types = owner_client.get("/dashboard/settings/audit").context["entity_types"]
    assert entity_types == ["company", "customer", "product"]


def test_audit_log_shows_before_and_after_readably(owner_client, company):
    product = make_product(company, name="Tape", stock=5)
    product_update(
        actor=owner_actor(company),
        channel=Channel.DASHBOARD,
        product_id=product.id,
        changes={"stock": 9, "is_active": False},
    )
    response = owner_client.get("/dashboard/settings/audit?action=ProductUpdated")
    line = response.context["lines"][0]
    assert line.summary == "Updated product Tape"
    assert {(c.label, c.before, c.after) for c in line.changes} == {
        ("Stock qty", "5", "9"),
        ("Active", "Yes", "No"),
    }
    html = response.content.decode()
    assert "Stock qty: 5" in html and f'href="/dashboard/inventory/{product.id}"' in html
