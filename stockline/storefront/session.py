"""Customer sign-in, kept apart from staff sign-in.

A customer is remembered in the Django session under a key scoped by the store's slug
("storefront:<slug>"), never as request.user: a staff user signed in to the dashboard in the
same browser stays a staff user, is not a customer of any store, and signing in or out of a
store leaves their dashboard session alone. A customer of one store is nobody at another.

The entry holds the customer id, an HMAC of the password hash (a password change ends every
session) and an expiry 7 days after sign-in. Signing in rotates the session key
(session fixation).
"""

import time

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.crypto import constant_time_compare, salted_hmac

from stockline.customers.models import Customer
from stockline.customers.services import LOGIN_SUSPENDED
from stockline.storefront.models import CartItem

SESSION_DAYS = 7
_SESSION_SECONDS = SESSION_DAYS * 24 * 3600


def _key(slug: str) -> str:
    return f"storefront:{slug}"


def _password_hmac(customer: Customer) -> str:
    return salted_hmac("stockline.storefront.session", customer.password).hexdigest()


def customer_sign_in(request, *, slug: str, customer: Customer) -> None:
    request.session.cycle_key()
    request.session[_key(slug)] = {
        "id": str(customer.id),
        "auth": _password_hmac(customer),
        "until": int(time.time()) + _SESSION_SECONDS,
    }


def customer_sign_out(request, *, slug: str) -> None:
    if request.session.pop(_key(slug), None) is not None:
        request.session.cycle_key()


def is_signed_in(request, *, slug: str) -> bool:
    """Whether the session claims a customer of this store (not verified: no query)."""
    return _key(slug) in request.session


def signed_in_customer(request, *, slug: str) -> Customer | None:
    """The signed-in customer of the store at `slug`, with its company and cart size, in one
    query; None (and the entry dropped) if absent, expired, blocked or the password changed."""
    entry = request.session.get(_key(slug))
    if not isinstance(entry, dict):
        return None
    if entry.get("until", 0) < time.time():
        customer_sign_out(request, slug=slug)
        return None
    cart_lines = (
        CartItem.objects.filter(cart__customer=OuterRef("pk"))
        .order_by()
        .values("cart__customer")
        .annotate(n=Count("id"))
        .values("n")
    )
    customer = (
        Customer.objects.select_related("company")
        .annotate(cart_lines=Coalesce(Subquery(cart_lines, output_field=IntegerField()), 0))
        .filter(id=entry.get("id"), company__slug=slug)
        .first()
    )
    if customer is None or not constant_time_compare(entry.get("auth", ""), _password_hmac(customer)):
        customer_sign_out(request, slug=slug)
        return None
    if customer.is_blocked:  # blocked since signing in: out now, and told why
        customer_sign_out(request, slug=slug)
        messages.error(request, LOGIN_SUSPENDED)
        return None
    return customer
