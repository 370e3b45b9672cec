"""Tenant scoping and role checks for every dashboard view, in one decorator.

A view decorated with @staff_view(Perm.X) gets request.membership, request.company,
request.actor and request.memberships (all of the user's, for the company switcher), and
never runs for an anonymous visitor (redirect to login), a user with no company (403) or a
role without Perm.X (403). Views filter every query by request.company.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from stockline.accounts.models import Membership
from stockline.accounts.permissions import Perm, role_has_perm
from stockline.audit.actors import Actor

SESSION_COMPANY_KEY = "dashboard_company_id"


def staff_memberships(request) -> list[Membership]:
    """All of the signed-in user's memberships, oldest first, in one query (cached per request)."""
    if not request.user.is_authenticated:
        return []
    if not hasattr(request, "_staff_memberships"):
        request._staff_memberships = list(
            Membership.objects.select_related("company", "user")
            .filter(user=request.user)
            .order_by("created_at", "id")
        )
    return request._staff_memberships


def current_membership(request) -> Membership | None:
    """The signed-in user's membership in the company chosen for this session (or their first)."""
    memberships = staff_memberships(request)
    chosen = request.session.get(SESSION_COMPANY_KEY)
    for membership in memberships:
        if str(membership.company_id) == chosen:
            return membership
    return memberships[0] if memberships else None


def choose_company(request, membership: Membership) -> None:
    request.session[SESSION_COMPANY_KEY] = str(membership.company_id)


def staff_view(perm: Perm = Perm.VIEW):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = current_membership(request)
            if membership is None:
                return render(request, "dashboard/no_company.html", status=403)
            if not role_has_perm(membership.role, perm):
                request.memberships = staff_memberships(request)
                request.membership = membership
                request.company = membership.company
                return render(request, "dashboard/forbidden.html", {"perm": perm}, status=403)
            request.memberships = staff_memberships(request)
            request.membership = membership
            request.company = membership.company
            request.actor = Actor.staff(membership)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
