"""Sign-up, login, logout, company switching and accepting a team invitation."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stockline.accounts.services import (
    company_create,
    invitation_accept,
    invitation_accept_new_user,
    invitation_find,
)
from stockline.dashboard.access import SESSION_COMPANY_KEY, choose_company, staff_memberships, staff_view
from stockline.dashboard.forms.auth import EmailLoginForm, InvitationSignupForm, SignupForm


def signup(request):
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, membership = company_create(
                name=data["company_name"],
                owner_email=data["email"],
                owner_password=data["password"],
                owner_name=data["name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # authenticate() rather than login(membership.user): a concurrent sign-up with the
            # same email must not sign this visitor in as someone else.
            user = authenticate(request, username=data["email"], password=data["password"])
            if user is None:
                form.add_error("email", "An account with this email already exists. Log in instead.")
            else:
                login(request, user)
                choose_company(request, membership)
                messages.success(request, f"Welcome to Stockline, {membership.company.name}.")
                return redirect("dashboard:home")
    return render(request, "dashboard/auth/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "dashboard/auth/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True
    next_page = "dashboard:home"

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 429 if form.throttled else 200
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        # A fresh session starts in the user's first company.
        self.request.session.pop(SESSION_COMPANY_KEY, None)
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "dashboard:login"


@require_POST
@staff_view()
def switch_company(request):
    for membership in staff_memberships(request):
        if str(membership.company_id) == request.POST.get("company"):
            choose_company(request, membership)
            return redirect("dashboard:home")
    raise Http404("Company not found.")


def invitation_accept_page(request, token: str):
    invitation = invitation_find(token=token)
    if invitation is None:
        return render(request, "dashboard/auth/invitation_invalid.html", status=404)
    form = (
        InvitationSignupForm(request.POST if request.method == "POST" else None)
        if not request.user.is_authenticated
        else None
    )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = invitation_accept(token=token, user=request.user)
            elif form.is_valid():
                data = form.cleaned_data
                membership = invitation_accept_new_user(
                    token=token, email=data["email"], password=data["password"], name=data["name"]
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
            else:
                form.add_error(None, exc)
        else:
            if membership is not None:
                choose_company(request, membership)
                messages.success(
                    request, f"You joined {invitation.company.name} as {membership.get_role_display()}."
                )
                return redirect("dashboard:home")
    return render(request, "dashboard/auth/invitation.html", {"invitation": invitation, "form": form})
