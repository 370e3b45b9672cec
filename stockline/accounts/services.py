"""Companies and their staff."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.permissions import Perm
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
        if company.low_stock_threshold < 0:
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
