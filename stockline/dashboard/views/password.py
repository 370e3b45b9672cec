"""Staff password reset: Django's token-based views, with links built from SITE_URL.

The emailed link never follows the request's Host header (settings.SITE_URL), the token
expires after PASSWORD_RESET_TIMEOUT and dies with the password it was made for, and the
request page says the same whether or not the email has an account (Django's behaviour).
Setting the new password changes the session auth hash, so every other session of the
account ends at its next request.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from stockline.dashboard.access import staff_view

TEMPLATES = "dashboard/auth/password_reset"


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        path = reverse(
            "dashboard:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context = {**context, "reset_url": f"{settings.SITE_URL}{path}", "site_url": settings.SITE_URL}
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = f"{TEMPLATES}/request.html"
    email_template_name = f"{TEMPLATES}/email.txt"
    subject_template_name = f"{TEMPLATES}/subject.txt"
    success_url = reverse_lazy("dashboard:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = f"{TEMPLATES}/done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = f"{TEMPLATES}/confirm.html"
    success_url = reverse_lazy("dashboard:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = f"{TEMPLATES}/complete.html"


# ---------------------------------------------------------------- changing one's own password


class _PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: checks the current password, validates the new one, and keeps this
    session (update_session_auth_hash) while every other session of the account ends."""

    template_name = "dashboard/account/password_change.html"
    success_url = reverse_lazy("dashboard:password_change")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


# staff_view first: anonymous visitors go to the login page, and dashboard/base.html gets
# request.membership.
password_change = staff_view()(_PasswordChangeView.as_view())
