"""The one table of what each staff role may do. Views, the API and services all ask it."""

from enum import StrEnum

from stockline.accounts.models import Role


class Perm(StrEnum):
    VIEW = "view"  # inventory, customers, orders
    MANAGE_PRODUCTS = "manage_products"
    MANAGE_ORDERS = "manage_orders"
    INVITE_MEMBERS = "invite_members"
    REMOVE_MEMBERS = "remove_members"
    CHANGE_ROLES = "change_roles"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT_LOG = "view_audit_log"


_EVERYONE = {Perm.VIEW, Perm.MANAGE_PRODUCTS, Perm.MANAGE_ORDERS}
_ADMIN = _EVERYONE | {
    Perm.INVITE_MEMBERS,
    Perm.REMOVE_MEMBERS,
    Perm.MANAGE_API_KEYS,
    Perm.MANAGE_SETTINGS,
    Perm.VIEW_AUDIT_LOG,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(_ADMIN | {Perm.CHANGE_ROLES}),
    Role.ADMIN: frozenset(_ADMIN),
    Role.MEMBER: frozenset(_EVERYONE),
}


class PermissionDenied(Exception):
    def __init__(self, perm: Perm):
        self.perm = perm
        super().__init__(f"Your role does not allow this ({perm}).")


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())


def role_is_permanent(role: str) -> bool:
    """The OWNER's membership never changes role and is never removed: one OWNER per company."""
    return role == Role.OWNER


def role_can_remove(*, remover_role: str, target_role: str) -> bool:
    """OWNER removes anyone but the owner; ADMIN removes MEMBERs only."""
    if role_is_permanent(target_role):
        return False
    if remover_role == Role.OWNER:
        return True
    return remover_role == Role.ADMIN and target_role == Role.MEMBER


def role_can_change_role(*, changer_role: str, target_role: str) -> bool:
    """OWNER changes the role of anyone but the owner; nobody else changes roles."""
    return role_has_perm(changer_role, Perm.CHANGE_ROLES) and not role_is_permanent(target_role)
