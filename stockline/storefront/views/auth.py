"""The store's front door: landing, registration, sign-in and sign-out."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stockline.accounts.login_throttle import (
    LoginAttempt,
    customer_accounts,
    store_scope,
    throttle_failure_record,
    throttle_success_record,
    throttle_wait,
    wait_message,
)
from stockline.customers.services import (
    LOGIN_INVALID,
    CustomerLoginRefused,
    customer_authenticate,
    customer_register,
)
from stockline.storefront.access import store_page, store_path, store_url
from stockline.storefront.forms import LoginForm, RegisterForm
from stockline.storefront.session import customer_sign_in, customer_sign_out, is_signed_in


def _next_url(request, slug: str) -> str:
    """Where to go after signing in: a page of this store only, else the catalog."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return store_path(request, target, store_url(slug, "catalog"))


@store_page
def landing(request):
    slug = request.company.slug
    return redirect(
        store_url(slug, "catalog") if is_signed_in(request, slug=slug) else store_url(slug, "login")
    )


@store_page
def register(request):
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = customer_register(company_id=request.company.id, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            customer_sign_in(request, slug=request.company.slug, customer=customer)
            messages.success(request, f"Welcome to {request.company.name}, {customer.name}.")
            return redirect(store_url(request.company.slug, "catalog"))
    return render(
        request, "storefront/auth/register.html", {"form": form}, status=422 if form.errors else 200
    )


@store_page
def login(request):
    slug = request.company.slug
    if request.method == "GET" and is_signed_in(request, slug=slug):
        return redirect(_next_url(request, slug))
    form = LoginForm(request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST" and not form.is_valid():
        error, status = LOGIN_INVALID, 401
    elif request.method == "POST":
        attempt = LoginAttempt.of(
            request, scope=store_scope(request.company.id), email=form.cleaned_data["email"]
        )
        wait = throttle_wait(attempt)
        if wait is not None:
            error, status = wait_message(wait), 429
        else:
            try:
                customer = customer_authenticate(company_id=request.company.id, **form.cleaned_data)
            except CustomerLoginRefused as exc:
                throttle_failure_record(
                    attempt, accounts=customer_accounts(request.company.id, attempt.email)
                )
                error, status = exc.message, 401
            else:
                throttle_success_record(attempt)
                customer_sign_in(request, slug=slug, customer=customer)
                return redirect(_next_url(request, slug))
    return render(
        request,
        "storefront/auth/login.html",
        {"form": form, "error": error, "next": _next_url(request, slug)},
        status=status,
    )


@require_POST
@store_page
def logout(request):
    customer_sign_out(request, slug=request.company.slug)
    messages.info(request, "You have signed out.")
    return redirect(store_url(request.company.slug, "login"))
