"""Who is acting. Every service takes one; the audit log and the stock ledger record it."""

from dataclasses import dataclass
from uuid import UUID

from django.db import models

from stockline.accounts.permissions import Perm, PermissionDenied, role_has_perm


class ActorType(models.TextChoices):
    USER = "USER", "User"
    CUSTOMER = "CUSTOMER", "Customer"
    SYSTEM = "SYSTEM", "System"


@dataclass(frozen=True, slots=True)
class Actor:
    type: str
    company_id: UUID
    label: str
    user_id: UUID | None = None
    customer_id: UUID | None = None
    api_key_id: UUID | None = None
    role: str | None = None  # staff role, for USER actors

    @classmethod
    def staff(cls, membership) -> "Actor":
        return cls(
            type=ActorType.USER,
            company_id=membership.company_id,
            label=membership.user.name or membership.user.email,
            user_id=membership.user_id,
            role=membership.role,
        )

    @classmethod
    def customer(cls, customer) -> "Actor":
        return cls(
            type=ActorType.CUSTOMER,
            company_id=customer.company_id,
            label=customer.name or customer.email,
            customer_id=customer.id,
        )

    @classmethod
    def system(cls, company_id: UUID, label: str = "System") -> "Actor":
        return cls(type=ActorType.SYSTEM, company_id=company_id, label=label)

    def stamp(self) -> dict:
        """The ActorStamp columns (audit entries, stock movements) for this actor."""
        return {
            "actor_type": self.type,
            "actor_user_id": self.user_id,
            "actor_customer_id": self.customer_id,
            "actor_api_key_id": self.api_key_id,
            "actor_label": self.label[:200],
        }

    def require(self, perm: Perm) -> None:
        """Refuse a staff actor whose role lacks `perm`; customers never hold staff perms."""
        if self.type == ActorType.SYSTEM or self.api_key_id is not None:
            return  # API keys are held to their scopes at the API boundary
        if self.type != ActorType.USER or self.role is None or not role_has_perm(self.role, perm):
            raise PermissionDenied(perm)
