"""Invitations and team changes (accounts.services), with the role rules of SPEC §4."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from stockline.accounts.models import Invitation, Membership, Role, User
from stockline.accounts.permissions import PermissionDenied
from stockline.accounts.services import (
    invitation_accept,
    invitation_accept_new_user,
    invitation_create,
    invitation_find,
    invitation_revoke,
    membership_change_role,
    membership_controls,
    membership_remove,
)
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from tests.factories import PASSWORD, make_company, make_member


def staff(membership: Membership) -> Actor:
    return Actor.staff(membership)


def test_invitation_link_adds_the_acceptor_with_its_role_and_is_audited(company, actor):
    invitation, token = invitation_create(actor=actor, role=Role.ADMIN)
    assert invitation.token_hash != token  # only the hash is stored
    user = User.objects.create_user("new@example.com", PASSWORD)

    membership = invitation_accept(token=token, user=user)

    assert membership.company_id == company.id and membership.role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by_id == user.id and invitation.accepted_at is not None
    actions = list(AuditEntry.objects.filter(company=company).values_list("action", flat=True))
    assert AuditAction.MEMBER_INVITED in actions and AuditAction.MEMBER_JOINED in actions


def test_invitation_expires_after_seven_days(actor):
    invitation, token = invitation_create(actor=actor, role=Role.MEMBER)
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    Invitation.objects.filter(id=invitation.id).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert invitation_find(token=token) is None
    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=User.objects.create_user("late@example.com", PASSWORD))


def test_invitation_link_works_once(actor):
    _, token = invitation_create(actor=actor, role=Role.MEMBER)
    invitation_accept(token=token, user=User.objects.create_user("a@example.com", PASSWORD))
    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=User.objects.create_user("b@example.com", PASSWORD))


def test_revoked_invitation_cannot_be_accepted(actor):
    invitation, token = invitation_create(actor=actor, role=Role.MEMBER)
    invitation_revoke(actor=actor, invitation_id=invitation.id)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=User.objects.create_user("c@example.com", PASSWORD))


def test_invitation_cannot_make_an_owner_and_members_cannot_invite(company, actor):
    with pytest.raises(ValidationError):
        invitation_create(actor=actor, role=Role.OWNER)
    member = make_member(company, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=staff(member), role=Role.MEMBER)


def test_accepting_as_a_new_user_creates_both_or_neither(actor):
    _, token = invitation_create(actor=actor, role=Role.MEMBER)
    invitation_accept_new_user(token=token, email="Fresh@Example.com", password=PASSWORD, name="Fresh")
    assert User.objects.filter(email="fresh@example.com").exists()

    with pytest.raises(ValidationError):
        invitation_accept_new_user(token=token, email="second@example.com", password=PASSWORD)
    assert not User.objects.filter(email="second@example.com").exists()


def test_a_team_member_accepting_again_is_refused(company, actor):
    member = make_member(company, Role.MEMBER)
    _, token = invitation_create(actor=actor, role=Role.ADMIN)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=member.user)
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_owner_changes_roles_but_nobody_becomes_owner(company, owner, actor):
    member = make_member(company, Role.MEMBER)
    membership_change_role(actor=actor, membership_id=member.id, role=Role.ADMIN)
    member.refresh_from_db()
    assert member.role == Role.ADMIN
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_ROLE_CHANGED)
    assert entry.metadata["changes"] == {"role": ["MEMBER", "ADMIN"]}

    with pytest.raises(ValidationError):
        membership_change_role(actor=actor, membership_id=member.id, role=Role.OWNER)
    with pytest.raises(ValidationError):
        membership_change_role(actor=actor, membership_id=owner.id, role=Role.ADMIN)


def test_admin_cannot_change_roles(company):
    admin = make_member(company, Role.ADMIN)
    member = make_member(company, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        membership_change_role(actor=staff(admin), membership_id=member.id, role=Role.ADMIN)


def test_owner_removes_anyone_but_themself(company, owner, actor):
    admin = make_member(company, Role.ADMIN)
    membership_remove(actor=actor, membership_id=admin.id)
    assert not Membership.objects.filter(id=admin.id).exists()
    assert AuditEntry.objects.filter(action=AuditAction.MEMBER_REMOVED, entity_id=str(admin.id)).exists()
    with pytest.raises(ValidationError):
        membership_remove(actor=actor, membership_id=owner.id)


def test_admin_removes_members_only(company, owner):
    admin = make_member(company, Role.ADMIN)
    other_admin = make_member(company, Role.ADMIN)
    member = make_member(company, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        membership_remove(actor=staff(admin), membership_id=other_admin.id)
    with pytest.raises(PermissionDenied):
        membership_remove(actor=staff(admin), membership_id=owner.id)
    membership_remove(actor=staff(admin), membership_id=member.id)
    assert not Membership.objects.filter(id=member.id).exists()


def test_member_cannot_remove_anyone(company):
    member = make_member(company, Role.MEMBER)
    other = make_member(company, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        membership_remove(actor=staff(member), membership_id=other.id)


def test_team_changes_do_not_reach_another_company(actor):
    other_company, other_owner = make_company()
    other_member = make_member(other_company, Role.MEMBER)
    with pytest.raises(Membership.DoesNotExist):
        membership_remove(actor=actor, membership_id=other_member.id)
    with pytest.raises(Membership.DoesNotExist):
        membership_change_role(actor=actor, membership_id=other_member.id, role=Role.ADMIN)
    invitation, _ = invitation_create(actor=staff(other_owner), role=Role.MEMBER)
    with pytest.raises(Invitation.DoesNotExist):
        invitation_revoke(actor=actor, invitation_id=invitation.id)


def _service_allows(action) -> bool:
    """Whether the service does it (then rolled back, so every case starts from the same team)."""
    try:
        with transaction.atomic():
            action()
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError):
        return False
    return True


@pytest.mark.parametrize("viewer_role", [Role.OWNER, Role.ADMIN, Role.MEMBER])
def test_team_controls_offer_exactly_what_the_services_allow(company, viewer_role):
    owner = Membership.objects.select_related("user").get(company=company, role=Role.OWNER)
    viewer = owner if viewer_role == Role.OWNER else make_member(company, viewer_role)
    team = [owner, viewer, make_member(company, Role.ADMIN), make_member(company, Role.MEMBER)]
    for member in team:
        controls = membership_controls(viewer=viewer, member=member)
        actor = staff(viewer)
        assert controls.can_remove is _service_allows(
            lambda m=member: membership_remove(actor=actor, membership_id=m.id)
        ), (viewer.role, member.role)
        assert controls.can_change_role is _service_allows(
            lambda m=member: membership_change_role(actor=actor, membership_id=m.id, role=Role.MEMBER)
        ), (viewer.role, member.role)
