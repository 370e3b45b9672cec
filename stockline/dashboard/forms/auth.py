"""Sign-up, login and invitation-acceptance forms: parse and validate input, nothing more."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password

from stockline.accounts.login_throttle import (
    STAFF,
    LoginAttempt,
    staff_accounts,
    throttle_failure_record,
    throttle_success_record,
    throttle_wait,
    wait_message,
)
from stockline.accounts.models import User


class EmailLoginForm(AuthenticationForm):
    """Django's login form, with the email matched the way it is stored (lower-case), held to
    the sign-in throttle (accounts/login_throttle.py) that every login shares."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "Invalid email or password."}
    throttled = False

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if not email or not self.cleaned_data.get("password"):
            return super().clean()
        self.cleaned_data["username"] = email
        attempt = LoginAttempt.of(self.request, scope=STAFF, email=email)
        wait = throttle_wait(attempt)
        if wait is not None:
            self.throttled = True
            raise forms.ValidationError(wait_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle_failure_record(attempt, accounts=staff_accounts(email))
            raise
        throttle_success_record(attempt)
        return cleaned


class _NewUserFields(forms.Form):
    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(label="Work email")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        help_text="At least 8 characters, not a common password.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account with this email already exists. Log in instead.")
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class SignupForm(_NewUserFields):
    company_name = forms.CharField(label="Company name", max_length=100)

    field_order = ["company_name", "name", "email", "password"]


class InvitationSignupForm(_NewUserFields):
    pass
