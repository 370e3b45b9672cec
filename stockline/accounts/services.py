"""Companies and their staff: sign-up, settings, invitations and team changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from stockline.accounts.models import Company, Invitation, Membership, Role, User
from stockline.accounts.permissions import (
    Perm,
    PermissionDenied,
    role_can_change_role,
    role_can_remove,
    role_is_permanent,
)
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction
from stockline.audit.services import audit_record
from stockline.core.channels import Channel
from stockline.orders.numbers import order_numbers_init

RESERVED_SLUGS = frozenset({"admin", "api", "static", "login", "signup", "dashboard", "new"})


def company_slug_for(name: str) -> str:
    """A free, URL-safe slug from the name ("Acme Distributors" → acme-distributors)."""
    base = slugify(name)[:100].strip("-") or "company"
    if base in RESERVED_SLUGS:
        base = f"{base}-co"
    slug = base
    while Company.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def company_create(
    *, name: str, owner_email: str, owner_password: str, owner_name: str = ""
) -> tuple[Company, Membership]:
    """Create a company and its OWNER (a new user, or an existing one by email)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise ValidationError({"name": ["Company name must be 1 to 100 characters."]})
    email = (owner_email or "").strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, name=owner_name.strip())
            user.set_password(owner_password)
            user.full_clean(exclude=["password"])
            user.save()
        for _ in range(5):
            try:
                with transaction.atomic():
                    company = Company.objects.create(name=name, slug=company_slug_for(name))
                break
            except IntegrityError:  # a concurrent signup took the slug
                continue
        else:
            raise ValidationError({"name": ["Could not find a free URL for this name."]})
        membership = Membership.objects.create(user=user, company=company, role=Role.OWNER)
        order_numbers_init(company.id)
        audit_record(
            actor=Actor.staff(membership),
            action=AuditAction.COMPANY_CREATED,
            entity_type="company",
            entity_id=company.id,
            channel=Channel.DASHBOARD,
            metadata={"name": company.name, "slug": company.slug, "owner": user.email},
        )
    return company, membership


def company_update_settings(
    *, actor: Actor, name: str | None = None, low_stock_threshold: int | None = None
) -> Company:
    """Rename the company or change its default low-stock threshold (OWNER/ADMIN)."""
    actor.require(Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(id=actor.company_id)
        before = {"name": company.name, "low_stock_threshold": company.low_stock_threshold}
        if name is not None:
            company.name = name.strip()
        if low_stock_threshold is not None:
            company.low_stock_threshold = low_stock_threshold
        if not 1 <= len(company.name) <= 100:
            raise ValidationError({"name": ["Company name must be 1 to 100 characters."]})
        threshold = company.low_stock_threshold
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
            raise ValidationError({"low_stock_threshold": ["Must be a whole number ≥ 0."]})
        after = {"name": company.name, "low_stock_threshold": company.low_stock_threshold}
        diff = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if diff:
            company.save(update_fields=["name", "low_stock_threshold", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.COMPANY_UPDATED,
                entity_type="company",
                entity_id=company.id,
                channel=Channel.DASHBOARD,
                metadata={"changes": diff},
            )
    return company


def membership_add(*, actor: Actor, user: User, role: str) -> Membership:
    """Add a staff member with role ADMIN or MEMBER (invitations end here)."""
    actor.require(Perm.INVITE_MEMBERS)
    if role not in (Role.ADMIN, Role.MEMBER):
        raise ValidationError({"role": ["Role must be ADMIN or MEMBER."]})
    try:
        with transaction.atomic():
            return Membership.objects.create(user=user, company_id=actor.company_id, role=role)
    except IntegrityError as exc:
        raise ValidationError({"email": ["This person is already on the team."]}) from exc


INVITABLE_ROLES = (Role.ADMIN, Role.MEMBER)
INVITATION_UNUSABLE = "This invitation link is invalid, expired, revoked or already used."


def _team_audit(*, actor: Actor, action: str, entity_type: str, entity_id, metadata: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        channel=Channel.DASHBOARD,
        metadata=metadata,
    )


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, actor: Actor, role: str) -> tuple[Invitation, str]:
    """An invitation link for role ADMIN or MEMBER (OWNER/ADMIN). Returns (invitation, token);
    only the token's hash is stored, so the link can be shown this once."""
    actor.require(Perm.INVITE_MEMBERS)
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": ["Role must be ADMIN or MEMBER."]})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            company_id=actor.company_id,
            token_hash=invitation_token_hash(token),
            role=role,
            created_by_id=actor.user_id,
            expires_at=timezone.now() + timedelta(days=Invitation.VALID_FOR_DAYS),
        )
        _team_audit(
            actor=actor,
            action=AuditAction.MEMBER_INVITED,
            entity_type="invitation",
            entity_id=invitation.id,
            metadata={"role": role, "expires_at": invitation.expires_at.isoformat()},
        )
    return invitation, token


def invitation_find(*, token: str) -> Invitation | None:
    """The still-usable invitation for this token (with its company), or None."""
    invitation = (
        Invitation.objects.select_related("company").filter(token_hash=invitation_token_hash(token)).first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


def invitation_revoke(*, actor: Actor, invitation_id: UUID) -> Invitation:
    """Make an unused invitation link unusable (OWNER/ADMIN)."""
    actor.require(Perm.INVITE_MEMBERS)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(company_id=actor.company_id, id=invitation_id)
            .first()
        )
        if invitation is None:
            raise Invitation.DoesNotExist("Invitation not found.")
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            _team_audit(
                actor=actor,
                action=AuditAction.INVITATION_REVOKED,
                entity_type="invitation",
                entity_id=invitation.id,
                metadata={"role": invitation.role},
            )
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the invitation's company with its role. Single use: the row lock makes two
    concurrent acceptances of one link add one member."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=invitation_token_hash(token)).first()
        )
        now = timezone.now()
        if invitation is None or not invitation.is_open(now):
            raise ValidationError(INVITATION_UNUSABLE)
        # The link is the authority here: whoever holds it may join with its role.
        membership = membership_add(
            actor=Actor.system(invitation.company_id, label="Invitation"), user=user, role=invitation.role
        )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        membership.user = user
        _team_audit(
            actor=Actor.staff(membership),
            action=AuditAction.MEMBER_JOINED,
            entity_type="membership",
            entity_id=membership.id,
            metadata={"email": user.email, "role": membership.role, "invitation": str(invitation.id)},
        )
    return membership


def invitation_accept_new_user(*, token: str, email: str, password: str, name: str = "") -> Membership:
    """Create the user and accept the invitation, both or neither."""
    email = (email or "").strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise ValidationError({"email": ["An account with this email exists. Log in to accept."]})
        user = User(email=email, name=(name or "").strip())
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return invitation_accept(token=token, user=user)


@dataclass(frozen=True, slots=True)
class TeamControls:
    can_remove: bool
    can_change_role: bool


def membership_controls(*, viewer: Membership, member: Membership) -> TeamControls:
    """What `viewer` may do to `member`: what membership_remove and membership_change_role allow."""
    if member.user_id == viewer.user_id:  # nobody removes themself; the owner's own role is permanent
        return TeamControls(can_remove=False, can_change_role=False)
    return TeamControls(
        can_remove=role_can_remove(remover_role=viewer.role, target_role=member.role),
        can_change_role=role_can_change_role(changer_role=viewer.role, target_role=member.role),
    )


def _team_membership_lock(*, actor: Actor, membership_id: UUID) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(company_id=actor.company_id, id=membership_id)
        .first()
    )
    if membership is None:
        raise Membership.DoesNotExist("Team member not found.")
    return membership


def membership_change_role(*, actor: Actor, membership_id: UUID, role: str) -> Membership:
    """Make a team member ADMIN or MEMBER (OWNER only). Nobody can be made OWNER."""
    actor.require(Perm.CHANGE_ROLES)
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": ["Role must be ADMIN or MEMBER."]})
    with transaction.atomic():
        membership = _team_membership_lock(actor=actor, membership_id=membership_id)
        if role_is_permanent(membership.role):
            raise ValidationError({"role": ["The owner's role cannot be changed."]})
        previous = membership.role
        if previous != role:
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
            _team_audit(
                actor=actor,
                action=AuditAction.MEMBER_ROLE_CHANGED,
                entity_type="membership",
                entity_id=membership.id,
                metadata={"email": membership.user.email, "changes": {"role": [previous, role]}},
            )
    return membership


def membership_remove(*, actor: Actor, membership_id: UUID) -> None:
    """Take someone off the team: OWNER removes anyone but themself; ADMIN removes MEMBERs."""
    actor.require(Perm.REMOVE_MEMBERS)
    with transaction.atomic():
        membership = _team_membership_lock(actor=actor, membership_id=membership_id)
        if membership.user_id == actor.user_id:
            raise ValidationError("You cannot remove yourself from the team.")
        if not role_can_remove(remover_role=actor.role or "", target_role=membership.role):
            raise PermissionDenied(Perm.REMOVE_MEMBERS)
        _team_audit(
            actor=actor,
            action=AuditAction.MEMBER_REMOVED,
            entity_type="membership",
            entity_id=membership.id,
            metadata={"email": membership.user.email, "role": membership.role},
        )
        membership.delete()
