"""Settings → Team: members, invitation links, role changes (OWNER) and removals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stockline.accounts.models import Invitation, Membership
from stockline.accounts.permissions import Perm, PermissionDenied, role_has_perm
from stockline.accounts.services import (
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_controls,
    membership_remove,
)
from stockline.dashboard import selectors
from stockline.dashboard.access import staff_view
from stockline.dashboard.forms.settings import InvitationForm, RoleForm


def _member_row(me: Membership, member: Membership) -> dict:
    """A team row with the controls the viewer may use on it (accounts.services decides)."""
    controls = membership_controls(viewer=me, member=member)
    return {
        "membership": member,
        "is_me": member.id == me.id,
        "can_remove": controls.can_remove,
        "can_change_role": controls.can_change_role,
    }


def _team_page(request, *, invite_url: str | None = None, status: int = 200):
    me = request.membership
    rows = [_member_row(me, m) for m in selectors.team_members(company_id=request.company.id)]
    invitations = []
    if role_has_perm(me.role, Perm.INVITE_MEMBERS):
        invitations = selectors.open_invitations(company_id=request.company.id)
    return render(
        request,
        "dashboard/settings/team.html",
        {
            "rows": rows,
            "invitations": invitations,
            "invite_form": InvitationForm(),
            "invite_url": invite_url,
            "role_choices": RoleForm.base_fields["role"].choices,
        },
        status=status,
    )


@staff_view()
def team(request):
    return _team_page(request)


@require_POST
@staff_view(Perm.INVITE_MEMBERS)
def team_invite(request):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the role Admin or Member.")
        return redirect("dashboard:team")
    _, token = invitation_create(actor=request.actor, role=form.cleaned_data["role"])
    # Rendered, not redirected: the link exists only in this response (the token is stored hashed).
    url = request.build_absolute_uri(reverse("dashboard:invitation", args=[token]))
    return _team_page(request, invite_url=url, status=201)


@require_POST
@staff_view(Perm.INVITE_MEMBERS)
def team_invitation_revoke(request, invitation_id):
    try:
        invitation_revoke(actor=request.actor, invitation_id=invitation_id)
    except Invitation.DoesNotExist as exc:
        raise Http404("Invitation not found.") from exc
    messages.success(request, "Invitation link revoked.")
    return redirect("dashboard:team")


@require_POST
@staff_view(Perm.CHANGE_ROLES)
def team_change_role(request, membership_id):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Role must be Admin or Member.")
        return redirect("dashboard:team")
    try:
        membership = membership_change_role(
            actor=request.actor, membership_id=membership_id, role=form.cleaned_data["role"]
        )
    except Membership.DoesNotExist as exc:
        raise Http404("Team member not found.") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.email} is now {membership.get_role_display()}.")
    return redirect("dashboard:team")


@require_POST
@staff_view(Perm.REMOVE_MEMBERS)
def team_remove(request, membership_id):
    try:
        membership_remove(actor=request.actor, membership_id=membership_id)
    except Membership.DoesNotExist as exc:
        raise Http404("Team member not found.") from exc
    except PermissionDenied:
        return render(request, "dashboard/forbidden.html", {"perm": Perm.REMOVE_MEMBERS}, status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Team member removed.")
    return redirect("dashboard:team")
