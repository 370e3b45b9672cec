"""Customer password reset, per store: /store/<slug>/password-reset.

Scoped to the store in the URL: an email of another store's customer is nobody here, and a
link made at one store does not open at another. The request page answers the same whether
or not the email has an account. The link is absolute from settings.SITE_URL, works once
(the token hashes the password) and expires; the email is sent in the store's name. A new
password ends the customer's other sessions (storefront/session.py keeps an HMAC of it).
As Django's view does, the token leaves the URL (into the session) before the form shows.
"""

from email.utils import formataddr, parseaddr

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from stockline.customers.models import Customer
from stockline.customers.services import customer_password_reset_find, customer_password_set
from stockline.customers.tokens import customer_password_reset_token
from stockline.storefront.access import store_page, store_url

TEMPLATES = "storefront/auth/password_reset"
SET_PASSWORD_TOKEN = "set-password"


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(max_length=254)


def _session_key(slug: str) -> str:
    return f"storefront:{slug}:password_reset_token"


def _send_reset_email(company, customer: Customer) -> None:
    path = store_url(
        company.slug,
        "password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(customer.pk)),
        token=customer_password_reset_token.make_token(customer),
    )
    context = {"company": company, "customer": customer, "reset_url": f"{settings.SITE_URL}{path}"}
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    send_mail(
        subject=f"Reset your {company.name} password",
        message=render_to_string(f"{TEMPLATES}/email.txt", context),
        from_email=formataddr((company.name, address)),
        recipient_list=[customer.email],
    )


@store_page
def password_reset(request):
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        customer = customer_password_reset_find(
            company_id=request.company.id, email=form.cleaned_data["email"]
        )
        if customer is not None:
            _send_reset_email(request.company, customer)
        return redirect(store_url(request.company.slug, "password_reset_done"))
    return render(request, f"{TEMPLATES}/request.html", {"form": form})


@store_page
def password_reset_done(request):
    return render(request, f"{TEMPLATES}/done.html")


def _customer_of(company, uidb64: str) -> Customer | None:
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return Customer.objects.filter(company=company, pk=pk).first()
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None


@store_page
def password_reset_confirm(request, uidb64: str, token: str):
    slug = request.company.slug
    customer = _customer_of(request.company, uidb64)
    if customer is not None and token != SET_PASSWORD_TOKEN:
        if customer_password_reset_token.check_token(customer, token):
            request.session[_session_key(slug)] = token
            return redirect(
                store_url(slug, "password_reset_confirm", uidb64=uidb64, token=SET_PASSWORD_TOKEN)
            )
        customer = None
    elif customer is not None:
        session_token = request.session.get(_session_key(slug), "")
        if not customer_password_reset_token.check_token(customer, session_token):
            customer = None
    if customer is None or customer.is_blocked:
        return render(request, f"{TEMPLATES}/confirm.html", {"validlink": False})
    form = SetPasswordForm(customer, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        customer_password_set(customer=customer, new_password=form.cleaned_data["new_password1"])
        request.session.pop(_session_key(slug), None)
        return redirect(store_url(slug, "password_reset_complete"))
    return render(request, f"{TEMPLATES}/confirm.html", {"validlink": True, "form": form})


@store_page
def password_reset_complete(request):
    return render(request, f"{TEMPLATES}/complete.html")
