"""Tenant scoping for every storefront view, in two decorators.

@store_page: the store's public pages (sign-in, registration). Sets request.company from the
slug in the URL; an unknown slug is a 404.
@customer_page: everything else. Sets request.company, request.customer and request.actor
(one query), or redirects to the store's sign-in page. Views filter every query by them.
"""

from functools import wraps

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from stockline.accounts.models import Company
from stockline.audit.actors import Actor
from stockline.storefront.session import signed_in_customer


def store_url(slug: str, name: str, **kwargs) -> str:
    """The path of a storefront page of the store at `slug`."""
    return reverse(f"storefront:{name}", kwargs={"slug": slug, **kwargs})


def store_path(request, target: str, fallback: str) -> str:
    """`target` if it is a page of the current store (for ?next= and back links), else `fallback`."""
    store = store_url(request.company.slug, "landing")
    if target.startswith(store) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def store_page(view):
    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        request.company = get_object_or_404(Company, slug=slug)
        return view(request, *args, **kwargs)

    return wrapper


def customer_page(view):
    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        customer = signed_in_customer(request, slug=slug)
        if customer is None:
            login_url = store_url(slug, "login")
            if request.method == "GET":
                login_url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(login_url)
        request.customer = customer
        request.company = customer.company
        request.actor = Actor.customer(customer)
        return view(request, *args, **kwargs)

    return wrapper
