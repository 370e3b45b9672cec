"""Sign-up, login and invitation-acceptance forms: parse and validate input, nothing more."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password

from stockline.accounts.models import User


class EmailLoginForm(AuthenticationForm):
    """Django's login form, with the email matched the way it is stored (lower-case)."""

    def clean(self):
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = self.cleaned_data["username"].strip().lower()
        return super().clean()


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
