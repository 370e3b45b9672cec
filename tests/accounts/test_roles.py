"""SPEC §1 and §4: exactly one OWNER; all roles manage products and orders; settings are OWNER/ADMIN."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stockline.accounts.models import Company, Membership, Role, User
from stockline.accounts.permissions import (
    Perm,
    PermissionDenied,
    role_can_change_role,
    role_can_remove,
    role_has_perm,
)
from stockline.accounts.services import company_update_settings, membership_add
from stockline.audit.actors import Actor
from stockline.catalog.models import Product
from stockline.catalog.services import (
    BulkMode,
    product_bulk_set_active,
    product_create,
    product_update,
    stock_adjust,
    stock_bulk_adjust,
)
from stockline.core.channels import Channel
from stockline.orders.lifecycle import OrderStatus
from stockline.orders.services import order_status_change
from tests.factories import PASSWORD, make_customer, make_member, make_product, place

ALL_ROLES = [Role.OWNER, Role.ADMIN, Role.MEMBER]


def staff(company, role) -> Actor:
    if role == Role.OWNER:
        return Actor.staff(Membership.objects.select_related("user").get(company=company, role=Role.OWNER))
    return Actor.staff(make_member(company, role))


def test_second_owner_in_a_company_is_refused_by_the_database(company):
    user = User.objects.create_user("second-owner@example.com", PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, company=company, role=Role.OWNER)
    assert Membership.objects.filter(company=company, role=Role.OWNER).count() == 1


def test_promoting_a_member_to_a_second_owner_is_refused_by_the_database(company):
    member = make_member(company, Role.ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(id=member.id).update(role=Role.OWNER)


def test_one_user_has_one_membership_per_company(company, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=owner.user, company=company, role=Role.MEMBER)


def test_unknown_role_is_refused_by_the_database(company):
    user = User.objects.create_user("viewer@example.com", PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, company=company, role="VIEWER")


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("perm", [Perm.VIEW, Perm.MANAGE_PRODUCTS, Perm.MANAGE_ORDERS])
def test_every_role_may_view_and_manage_products_and_orders(role, perm):
    assert role_has_perm(role, perm)


@pytest.mark.parametrize(
    "perm", [Perm.MANAGE_SETTINGS, Perm.MANAGE_API_KEYS, Perm.VIEW_AUDIT_LOG, Perm.INVITE_MEMBERS]
)
def test_settings_api_keys_audit_log_and_invites_are_owner_and_admin_only(perm):
    assert (
        role_has_perm(Role.OWNER, perm),
        role_has_perm(Role.ADMIN, perm),
        role_has_perm(Role.MEMBER, perm),
    ) == (
        True,
        True,
        False,
    )


def test_only_the_owner_changes_roles():
    assert [role_has_perm(r, Perm.CHANGE_ROLES) for r in ALL_ROLES] == [True, False, False]


def test_unknown_role_has_no_permissions():
    assert not any(role_has_perm("VIEWER", p) for p in Perm)


@pytest.mark.parametrize(
    ("remover", "target", "allowed"),
    [
        (Role.OWNER, Role.ADMIN, True),
        (Role.OWNER, Role.MEMBER, True),
        (Role.OWNER, Role.OWNER, False),
        (Role.ADMIN, Role.MEMBER, True),
        (Role.ADMIN, Role.ADMIN, False),
        (Role.ADMIN, Role.OWNER, False),
        (Role.MEMBER, Role.MEMBER, False),
    ],
)
def test_who_may_remove_whom(remover, target, allowed):
    assert role_can_remove(remover_role=remover, target_role=target) is allowed


@pytest.mark.parametrize("changer", ALL_ROLES)
@pytest.mark.parametrize("target", ALL_ROLES)
def test_only_the_owner_changes_roles_and_never_the_owners_own(changer, target):
    allowed = changer == Role.OWNER and target != Role.OWNER
    assert role_can_change_role(changer_role=changer, target_role=target) is allowed


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_may_run_every_stock_service(company, role):
    actor = staff(company, role)
    created = product_create(
        actor=actor, channel=Channel.DASHBOARD, name="By staff", price=Decimal("1"), stock=5
    )
    product_update(actor=actor, channel=Channel.DASHBOARD, product_id=created.id, changes={"stock": 8})
    stock_adjust(actor=actor, channel=Channel.DASHBOARD, product_id=created.id, delta=-1)
    stock_bulk_adjust(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[created.id], mode=BulkMode.DELTA, value=3
    )
    product_bulk_set_active(actor=actor, channel=Channel.DASHBOARD, product_ids=[created.id], is_active=False)
    product_bulk_set_active(actor=actor, channel=Channel.DASHBOARD, product_ids=[created.id], is_active=True)
    order = place(company, [(created, 4)], actor=actor)
    order_status_change(
        actor=actor, channel=Channel.DASHBOARD, order_id=order.id, status=OrderStatus.CONFIRMED
    )
    assert Product.objects.get(id=created.id).stock == 6


def test_member_cannot_change_company_settings(company):
    member = staff(company, Role.MEMBER)
    with pytest.raises(PermissionDenied) as info:
        company_update_settings(actor=member, low_stock_threshold=1)
    assert info.value.perm == Perm.MANAGE_SETTINGS
    assert Company.objects.get(id=company.id).low_stock_threshold == 5


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owner_and_admin_may_change_company_settings(company, role):
    company_update_settings(actor=staff(company, role), low_stock_threshold=7)
    assert Company.objects.get(id=company.id).low_stock_threshold == 7


def test_member_cannot_add_team_members(company):
    user = User.objects.create_user("newbie@example.com", PASSWORD)
    with pytest.raises(PermissionDenied):
        membership_add(actor=staff(company, Role.MEMBER), user=user, role=Role.MEMBER)
    assert not Membership.objects.filter(user=user).exists()


def test_nobody_can_be_added_as_a_second_owner(company, actor):
    user = User.objects.create_user("usurper@example.com", PASSWORD)
    with pytest.raises(ValidationError):
        membership_add(actor=actor, user=user, role=Role.OWNER)
    assert not Membership.objects.filter(user=user).exists()


def test_customers_hold_no_staff_permissions(company):
    customer = Actor.customer(make_customer(company))
    for perm in Perm:
        with pytest.raises(PermissionDenied):
            customer.require(perm)
    with pytest.raises(PermissionDenied):
        stock_adjust(actor=customer, channel=Channel.STOREFRONT, product_id=make_product(company).id, delta=1)


def test_system_actor_passes_role_checks(company):
    Actor.system(company.id).require(Perm.MANAGE_SETTINGS)
    company_update_settings(actor=Actor.system(company.id), low_stock_threshold=9)
    assert Company.objects.get(id=company.id).low_stock_threshold == 9
