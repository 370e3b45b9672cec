"""SPEC §1 Audit entry: who (actor type + actor), what, on which entity; append-only."""

import uuid

import pytest
from django.db import transaction

from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.audit.services import audit_entry_build, audit_record
from stockline.core.channels import Channel
from tests.factories import make_customer


def record(actor, **kwargs):
    data = {
        "action": AuditAction.PRODUCT_UPDATED,
        "entity_type": "product",
        "entity_id": uuid.uuid4(),
    } | kwargs
    return audit_record(actor=actor, channel=Channel.DASHBOARD, **data)


def test_staff_actor_is_recorded_as_user(actor, owner):
    entry = AuditEntry.objects.get(id=record(actor).id)
    assert (entry.actor_type, entry.actor_user_id, entry.actor_customer_id, entry.actor_label) == (
        "USER",
        owner.user_id,
        None,
        owner.user.name,
    )
    assert entry.company_id == owner.company_id


def test_staff_without_a_name_is_labelled_by_email(owner):
    owner.user.name = ""
    assert Actor.staff(owner).label == owner.user.email


def test_customer_actor_is_recorded_as_customer(company):
    customer = make_customer(company)
    entry = AuditEntry.objects.get(id=record(Actor.customer(customer)).id)
    assert (entry.actor_type, entry.actor_customer_id, entry.actor_user_id, entry.actor_label) == (
        "CUSTOMER",
        customer.id,
        None,
        customer.name,
    )


def test_system_actor_is_recorded_as_system(company):
    entry = AuditEntry.objects.get(id=record(Actor.system(company.id, label="Importer")).id)
    assert (entry.actor_type, entry.actor_user_id, entry.actor_customer_id, entry.actor_label) == (
        "SYSTEM",
        None,
        None,
        "Importer",
    )


def test_api_key_actor_is_recorded_with_its_key(company):
    key_id = uuid.uuid4()
    actor = Actor(type="USER", company_id=company.id, label="CI key", api_key_id=key_id)
    assert AuditEntry.objects.get(id=record(actor).id).actor_api_key_id == key_id


def test_entity_and_metadata_are_stored_as_structured_data(actor):
    entity_id = uuid.uuid4()
    entry = record(actor, entity_id=entity_id, metadata={"changes": {"stock": [3, 9]}})
    stored = AuditEntry.objects.get(id=entry.id)
    assert (stored.action, stored.entity_type, stored.entity_id, stored.channel) == (
        "ProductUpdated",
        "product",
        str(entity_id),
        "DASHBOARD",
    )
    assert stored.metadata == {"changes": {"stock": [3, 9]}}
    assert stored.created_at is not None


def test_long_actor_labels_are_cut_to_200_characters(company):
    entry = record(Actor.system(company.id, label="x" * 300))
    assert len(AuditEntry.objects.get(id=entry.id).actor_label) == 200


def test_build_does_not_write(actor):
    entry = audit_entry_build(actor=actor, action=AuditAction.ORDER_PLACED, entity_type="order", entity_id=1)
    assert entry._state.adding
    assert not AuditEntry.objects.filter(action=AuditAction.ORDER_PLACED).exists()


def test_entry_cannot_be_saved_again(actor):
    entry = record(actor, metadata={"v": 1})
    entry.metadata = {"v": 2}
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    assert AuditEntry.objects.get(id=entry.id).metadata == {"v": 1}


def test_entry_cannot_be_deleted(actor):
    entry = record(actor)
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(id=entry.id).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk(actor):
    entry = record(actor)
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(id=entry.id).update(action=AuditAction.ORDER_PLACED)
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["metadata"])
    assert AuditEntry.objects.get(id=entry.id).action == AuditAction.PRODUCT_UPDATED
