"""SPEC §1 Customer: email unique per company (lower-case), name 2–100, hashed password, status."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.core.channels import Channel
from stockline.customers.models import Customer, CustomerStatus
from stockline.customers.services import customer_create
from tests.factories import PASSWORD, make_company


def create(actor, **fields):
    data = {"email": "buyer@example.com", "name": "Bea Buyer", "password": PASSWORD} | fields
    return customer_create(actor=actor, channel=Channel.DASHBOARD, **data)


def assert_refused(actor, field_name, **fields):
    customers, entries = Customer.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        create(actor, **fields)
    assert field_name in info.value.message_dict
    assert (Customer.objects.count(), AuditEntry.objects.count()) == (customers, entries)
    return info.value


def test_customer_is_created_active_in_the_actors_company(actor, company):
    customer = create(actor)
    stored = Customer.objects.get(id=customer.id)
    assert (stored.company_id, stored.email, stored.name, stored.status) == (
        company.id,
        "buyer@example.com",
        "Bea Buyer",
        CustomerStatus.ACTIVE,
    )


def test_email_is_stored_lower_case_and_trimmed(actor):
    assert create(actor, email="  Bea.Buyer@Example.COM ").email == "bea.buyer@example.com"


def test_password_is_stored_hashed(actor):
    customer = Customer.objects.get(id=create(actor).id)
    assert customer.password != PASSWORD
    assert customer.check_password(PASSWORD)
    assert not customer.check_password("wrong-password")


def test_customer_without_a_password_cannot_log_in(actor):
    customer = create(actor, password=None)
    assert not customer.check_password("")
    assert not customer.check_password(PASSWORD)


def test_creation_is_audited(actor, owner):
    customer = create(actor)
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMER_CREATED)
    assert (entry.entity_type, entry.entity_id, entry.actor_user_id) == (
        "customer",
        str(customer.id),
        owner.user_id,
    )
    assert entry.metadata == {"email": "buyer@example.com", "name": "Bea Buyer"}
    assert PASSWORD not in str(entry.metadata)


def test_email_is_unique_within_a_company_ignoring_case(actor):
    create(actor, email="dup@example.com")
    error = assert_refused(actor, "email", email="DUP@example.com")
    assert error.message_dict == {"email": ["A customer with this email already exists."]}


def test_same_email_at_two_companies_is_two_customers(actor):
    _, other_owner = make_company()
    mine = create(actor, email="shared@example.com")
    theirs = customer_create(
        actor=Actor.staff(other_owner), channel=Channel.DASHBOARD, email="shared@example.com", name="Other"
    )
    assert mine.id != theirs.id
    assert Customer.objects.filter(email="shared@example.com").count() == 2


def test_database_refuses_a_duplicate_email_in_one_company(actor, company):
    create(actor, email="raw@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(company=company, email="raw@example.com", name="Raw")


@pytest.mark.parametrize("name", ["", "B", " B ", "n" * 101])
def test_name_must_be_2_to_100_characters(actor, name):
    assert_refused(actor, "name", name=name)


@pytest.mark.parametrize("name", ["Bo", "n" * 100])
def test_name_of_2_or_100_characters_is_accepted(actor, name):
    assert create(actor, name=name).name == name


@pytest.mark.parametrize("email", ["", "not-an-email", "a@"])
def test_email_must_be_an_email_address(actor, email):
    assert_refused(actor, "email", email=email)


def test_blocked_status_is_stored(actor):
    customer = create(actor, status=CustomerStatus.BLOCKED)
    assert Customer.objects.get(id=customer.id).is_blocked


def test_unknown_status_is_refused(actor):
    assert_refused(actor, "status", status="SUSPENDED")
