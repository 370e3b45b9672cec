"""The customer's cart: add, change, remove, and check out through the shared order service.

Every function takes the signed-in customer and touches only that customer's cart of their
own company. The cart holds no stock: quantities are capped at the stock of the moment when
they are added or changed, and checkout leaves the final word to order_place, which refuses
the whole order (and the cart stays as it was) if stock moved meanwhile.

Locks: the customer's cart row (select_for_update), so two tabs or a double-clicked "Place
order" cannot both order the same cart; checkout then locks products through order_place.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import transaction

from stockline.audit.actors import Actor
from stockline.catalog.errors import ProductUnavailable, StockError
from stockline.catalog.models import Product
from stockline.catalog.stock_rules import is_out_of_stock
from stockline.core.channels import Channel
from stockline.customers.models import Customer
from stockline.orders.errors import OrderError
from stockline.orders.models import Order
from stockline.orders.services import OrderInvalid, OrderLineInput, order_place
from stockline.storefront.models import Cart, CartItem


class CartRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class CartChange:
    """What one add or change did to a line: `quantity` now in the cart; `capped` when the
    customer asked for more than the stock, which is what they got instead."""

    product_name: str
    quantity: int
    stock: int
    capped: bool


def _cart_locked(customer: Customer) -> Cart:
    cart = Cart.objects.select_for_update().filter(customer=customer).first()
    if cart is None:
        cart, _ = Cart.objects.get_or_create(customer=customer, defaults={"company_id": customer.company_id})
    return cart


def cart_add(*, customer: Customer, product_id: UUID, quantity: int) -> CartChange:
    """Put `quantity` more of an active product in the cart, at most its stock in all.

    Raises ProductUnavailable (not in this store, or inactive), CartRefused (out of stock).
    """
    if quantity < 1:
        raise CartRefused("Quantity must be at least 1.")
    with transaction.atomic():
        product = Product.objects.filter(
            company_id=customer.company_id, id=product_id, is_active=True
        ).first()
        if product is None:
            raise ProductUnavailable([product_id])
        if is_out_of_stock(product.stock):
            raise CartRefused(f"{product.name} is out of stock.")
        cart = _cart_locked(customer)
        item = CartItem.objects.filter(cart=cart, product=product).first()
        held = item.quantity if item else 0
        wanted = held + quantity
        final = min(wanted, product.stock)
        if item is None:
            CartItem.objects.create(cart=cart, product=product, quantity=final)
        elif final != held:
            item.quantity = final
            item.save(update_fields=["quantity"])
    return CartChange(product_name=product.name, quantity=final, stock=product.stock, capped=final < wanted)


def _cart_apply(
    cart: Cart, *, quantities: dict[UUID, int], po_number: str, notes: str, cap: bool
) -> tuple[list[CartItem], list[CartItem]]:
    """Write posted quantities (0 removes a line), PO number and notes onto the locked cart;
    returns its lines as they now stand, oldest first, and those of them that were capped.

    With `cap`, a quantity above the product's stock becomes the stock (an out-of-stock
    line keeps its quantity: it stays visible, flagged, until removed). Lines not posted
    keep their quantity.
    """
    kept: list[CartItem] = []
    capped: list[CartItem] = []
    changed: list[CartItem] = []
    removed: list[UUID] = []
    for item in cart.items.select_related("product").order_by("added_at", "id"):
        wanted = quantities.get(item.product_id, item.quantity)
        if cap and not is_out_of_stock(item.product.stock) and item.product.stock < wanted:
            wanted = item.product.stock
            capped.append(item)
        if wanted <= 0:
            removed.append(item.id)
            continue
        if wanted != item.quantity:
            item.quantity = wanted
            changed.append(item)
        kept.append(item)
    if removed:
        CartItem.objects.filter(id__in=removed).delete()
    if changed:
        CartItem.objects.bulk_update(changed, ["quantity"])
    if (cart.po_number, cart.notes) != (po_number, notes):
        cart.po_number, cart.notes = po_number, notes
        cart.save(update_fields=["po_number", "notes", "updated_at"])
    return kept, capped


def cart_update(
    *, customer: Customer, quantities: dict[UUID, int], po_number: str, notes: str
) -> list[CartChange]:
    """Save the cart page as posted; returns the lines whose quantity was capped at stock."""
    with transaction.atomic():
        cart = _cart_locked(customer)
        _, capped = _cart_apply(cart, quantities=quantities, po_number=po_number, notes=notes, cap=True)
    return [
        CartChange(product_name=i.product.name, quantity=i.quantity, stock=i.product.stock, capped=True)
        for i in capped
    ]


def cart_checkout(*, customer: Customer, quantities: dict[UUID, int], po_number: str, notes: str) -> Order:
    """Save the cart as posted, then place it as one STOREFRONT order and empty it.

    Quantities are not capped here: what the customer saw is what is ordered or refused. On
    a refusal (InsufficientStock listing every short line, ProductUnavailable, OrderError)
    nothing is ordered and the cart keeps what was posted, so the customer can fix it.
    """
    refusal: Exception | None = None
    with transaction.atomic():
        cart = _cart_locked(customer)
        items, _ = _cart_apply(cart, quantities=quantities, po_number=po_number, notes=notes, cap=False)
        if not items:
            raise OrderInvalid("Your cart is empty.")
        try:
            order = order_place(
                actor=Actor.customer(customer),
                channel=Channel.STOREFRONT,
                customer=customer,
                lines=[OrderLineInput(product_id=i.product_id, quantity=i.quantity) for i in items],
                po_number=cart.po_number,
                notes=cart.notes,
            ).order
        except (StockError, OrderError) as exc:
            refusal = exc  # order_place rolled back to its savepoint; the posted cart is kept
        else:
            cart.items.all().delete()
            cart.po_number = cart.notes = ""
            cart.save(update_fields=["po_number", "notes", "updated_at"])
    if refusal is not None:
        raise refusal
    return order
