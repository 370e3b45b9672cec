"""The cart: add from the catalog, change or remove lines, and check out."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from stockline.catalog.errors import InsufficientStock, ProductUnavailable, StockError
from stockline.orders.errors import OrderError
from stockline.storefront import selectors
from stockline.storefront.access import customer_page, store_path, store_url
from stockline.storefront.cart import CartChange, CartRefused, cart_add, cart_checkout, cart_update
from stockline.storefront.forms import AddToCartForm, CartForm


def _capped_message(change: CartChange) -> str:
    return f"Only {change.stock} {change.product_name} left: your cart holds {change.quantity}."


@require_POST
@customer_page
def add(request):
    form = AddToCartForm(request.POST)
    # Back to the page the form was on: the catalog keeps its search and page.
    back = store_path(request, request.POST.get("back", ""), store_url(request.company.slug, "catalog"))
    if not form.is_valid():
        messages.error(request, "Choose a quantity of at least 1.")
        return redirect(back)
    try:
        change = cart_add(
            customer=request.customer,
            product_id=form.cleaned_data["product"],
            quantity=form.cleaned_data["quantity"],
        )
    except ProductUnavailable as exc:
        raise Http404("Product not found.") from exc
    except CartRefused as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if change.capped:
        messages.warning(request, _capped_message(change))
    else:
        messages.success(
            request, f"Added {form.cleaned_data['quantity']} × {change.product_name} to your cart."
        )
    return redirect(back)


def _form_errors(form) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]


def _render_cart(request, *, errors=(), status=200):
    cart = selectors.cart_view(customer=request.customer)
    return render(request, "storefront/cart/cart.html", {"cart": cart, "errors": list(errors)}, status=status)


def _posted_cart(request):
    """(the cart page as posted, None), or (None, the cart drawn again with what was wrong)."""
    form = CartForm(request.POST)
    if not form.is_valid():
        return None, _render_cart(request, errors=_form_errors(form), status=422)
    data = form.cleaned_data
    return {key: data[key] for key in ("quantities", "po_number", "notes")}, None


@customer_page
def cart(request):
    if request.method != "POST":
        return _render_cart(request)
    posted, refusal = _posted_cart(request)
    if refusal:
        return refusal
    capped = cart_update(customer=request.customer, **posted)
    for change in capped:
        messages.warning(request, _capped_message(change))
    if not capped:
        messages.success(request, "Item removed." if request.POST.get("remove") else "Cart updated.")
    return redirect(store_url(request.company.slug, "cart"))


@require_POST
@customer_page
def checkout(request):
    posted, refusal = _posted_cart(request)
    if refusal:
        return refusal
    try:
        order = cart_checkout(customer=request.customer, **posted)
    except InsufficientStock as exc:
        return _render_cart(request, errors=exc.messages, status=409)
    except (StockError, OrderError) as exc:
        return _render_cart(request, errors=[exc.message], status=409)
    messages.success(request, f"Thank you! Your order {order.display_number} has been placed.")
    return redirect(store_url(request.company.slug, "order", order_id=order.id))
