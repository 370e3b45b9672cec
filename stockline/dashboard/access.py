"""Tenant scoping and role checks for every dashboard view, in one decorator.

A view decorated with @staff_view(Perm.X) gets request.membership, request.company and
request.actor, and never runs for an anonymous visitor (redirect to login) or a role
without Perm.X (403). Views filter every query by request.company.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from stockline.accounts.models import Membership
from stockline.accounts.permissions import Perm, role_has_perm
from stockline.audit.actors import Actor

SESSION_COMPANY_KEY = "dashboard_company_id"


def current_membership(request) -> Membership | None:
    """The signed-in user's membership in the company chosen for this session (or their first)."""
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("company", "user").filter(user=request.user)
    chosen = request.session.get(SESSION_COMPANY_KEY)
    if chosen:
        membership = memberships.filter(company_id=chosen).first()
        if membership:
            return membership
    return memberships.order_by("created_at").first()


def staff_view(perm: Perm = Perm.VIEW):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = current_membership(request)
            if membership is None:
                return redirect_to_login(request.get_full_path())
            if not role_has_perm(membership.role, perm):
                return render(request, "dashboard/forbidden.html", {"perm": perm}, status=403)
            request.membership = membership
            request.company = membership.company
            request.actor = Actor.staff(membership)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
