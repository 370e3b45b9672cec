"""SPEC §1 Company: creation with its one OWNER, slug, default threshold 5, settings."""

import pytest
from django.core.exceptions import ValidationError

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.services import company_create, company_update_settings
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import Product
from stockline.catalog.stock_rules import StockStatus, inventory_health
from tests.factories import PASSWORD, make_company, make_product


def create(name, email="founder@example.com", **kwargs):
    return company_create(name=name, owner_email=email, owner_password=PASSWORD, **kwargs)


def test_company_create_makes_the_company_and_its_owner(db):
    company, membership = create("Acme Distributors", email="  Founder@Example.COM ", owner_name="Fran")
    assert (company.name, company.slug, company.low_stock_threshold) == (
        "Acme Distributors",
        "acme-distributors",
        5,
    )
    assert membership.role == Role.OWNER
    assert (membership.user.email, membership.user.name) == ("founder@example.com", "Fran")
    assert membership.user.check_password(PASSWORD)


def test_company_create_is_audited(db):
    company, membership = create("Audited Co")
    entry = AuditEntry.objects.get(action=AuditAction.COMPANY_CREATED)
    assert (entry.company_id, entry.entity_id, entry.actor_user_id) == (
        company.id,
        str(company.id),
        membership.user_id,
    )
    assert entry.metadata == {"name": "Audited Co", "slug": "audited-co", "owner": "founder@example.com"}


def test_company_create_reuses_an_existing_user_by_email(db):
    _, first = create("First Co", email="same@example.com")
    _, second = create("Second Co", email="SAME@example.com")
    assert first.user_id == second.user_id
    assert User.objects.filter(email="same@example.com").count() == 1


def test_same_name_gets_a_different_slug(db):
    a, _ = create("Twin Supply", email="a@example.com")
    b, _ = create("Twin Supply", email="b@example.com")
    assert a.slug == "twin-supply"
    assert b.slug.startswith("twin-supply-") and b.slug != a.slug


@pytest.mark.parametrize(
    ("name", "slug"), [("Admin", "admin-co"), ("Dashboard", "dashboard-co"), ("!!!", "company")]
)
def test_slug_avoids_reserved_words_and_empty_results(db, name, slug):
    assert create(name)[0].slug == slug


@pytest.mark.parametrize("name", ["", "   ", "n" * 101])
def test_company_name_must_be_1_to_100_characters(db, name):
    with pytest.raises(ValidationError) as info:
        create(name)
    assert info.value.message_dict == {"name": ["Company name must be 1 to 100 characters."]}
    assert not Company.objects.exists()
    assert not User.objects.exists()


def test_owner_may_rename_and_change_the_default_threshold(company, actor):
    company_update_settings(actor=actor, name="  Acme Wholesale ", low_stock_threshold=12)
    stored = Company.objects.get(id=company.id)
    assert (stored.name, stored.low_stock_threshold) == ("Acme Wholesale", 12)
    entry = AuditEntry.objects.get(action=AuditAction.COMPANY_UPDATED)
    assert entry.metadata == {
        "changes": {"name": ["Acme Distributors", "Acme Wholesale"], "low_stock_threshold": [5, 12]}
    }


def test_settings_without_a_change_write_no_audit_entry(company, actor):
    company_update_settings(actor=actor, name=company.name, low_stock_threshold=5)
    assert not AuditEntry.objects.filter(action=AuditAction.COMPANY_UPDATED).exists()


def test_default_threshold_zero_is_allowed(company, actor):
    company_update_settings(actor=actor, low_stock_threshold=0)
    assert Company.objects.get(id=company.id).low_stock_threshold == 0


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"name": ""}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
        ({"low_stock_threshold": 2.5}, "low_stock_threshold"),
    ],
)
def test_invalid_settings_are_refused_and_nothing_changes(company, actor, changes, field_name):
    with pytest.raises(ValidationError) as info:
        company_update_settings(actor=actor, **changes)
    assert field_name in info.value.message_dict
    stored = Company.objects.get(id=company.id)
    assert (stored.name, stored.low_stock_threshold) == ("Acme Distributors", 5)
    assert not AuditEntry.objects.filter(action=AuditAction.COMPANY_UPDATED).exists()


def test_changing_the_default_threshold_changes_every_products_status(company, actor):
    follows_default = make_product(company, stock=8)
    has_override = make_product(company, stock=8, low_stock_threshold=3)
    company_update_settings(actor=actor, low_stock_threshold=10)
    products = Product.objects.select_related("company").filter(id__in=[follows_default.id, has_override.id])
    statuses = {p.id: p.stock_status for p in products}
    assert statuses == {follows_default.id: StockStatus.LOW_STOCK, has_override.id: StockStatus.IN_STOCK}
    company.refresh_from_db()
    assert inventory_health(company)[StockStatus.LOW_STOCK] == 1


def test_settings_change_only_the_actors_company(company, actor):
    other, _ = make_company("Other Co")
    company_update_settings(actor=actor, low_stock_threshold=1)
    assert Company.objects.get(id=other.id).low_stock_threshold == 5


def test_each_company_has_its_own_owner(company):
    other, _ = make_company()
    assert Membership.objects.filter(role=Role.OWNER, company__in=[company, other]).count() == 2
