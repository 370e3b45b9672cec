"""SPEC §2, §3 and §5: checkout places a STOREFRONT order through the shared service; a stock
error is shown on the cart with the exact message and nothing is ordered."""

from decimal import Decimal

from stockline.audit.actors import ActorType
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import Product
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from stockline.customers.models import Customer, CustomerStatus
from stockline.notifications.models import LowStockAlert
from stockline.orders.models import Order
from stockline.storefront.models import Cart, CartItem
from tests.factories import make_customer, make_product, owner_actor, place
from tests.storefront.conftest import store_path


def fill_cart(client, company, items):
    for product, quantity in items:
        response = client.post(
            store_path(company, "cart/add"), {"product": str(product.id), "quantity": quantity}
        )
        assert response.status_code == 302


def checkout(client, company, items=(), **fields):
    """Post the cart page to checkout with these (product, quantity) inputs, like the browser does."""
    data = {f"qty-{product.id}": str(quantity) for product, quantity in items}
    return client.post(store_path(company, "checkout"), data | fields)


def stock_of(product) -> int:
    return Product.objects.get(id=product.id).stock


def test_checkout_places_a_storefront_order_for_the_customer_and_empties_the_cart(
    buyer_client, company, buyer
):
    gloves = make_product(company, name="Gloves", sku="GLV-1", price=Decimal("12.50"), stock=40)
    masks = make_product(company, name="Masks", price=Decimal("3.00"), stock=40)
    fill_cart(buyer_client, company, [(gloves, 2), (masks, 5)])

    response = checkout(
        buyer_client, company, [(gloves, 4), (masks, 5)], po_number="PO-2031", notes="Deliver to dock 4"
    )

    order = Order.objects.get(company=company)
    assert response.status_code == 302
    assert response["Location"] == store_path(company, f"orders/{order.id}")
    assert (order.channel, order.customer_id, order.po_number, order.notes, order.total) == (
        Channel.STOREFRONT,
        buyer.id,
        "PO-2031",
        "Deliver to dock 4",
        Decimal("65.00"),
    )
    assert sorted((line.product_name, line.quantity) for line in order.lines.all()) == [
        ("Gloves", 4),
        ("Masks", 5),
    ]
    assert (stock_of(gloves), stock_of(masks)) == (36, 35)
    assert not CartItem.objects.filter(cart__customer=buyer).exists()
    cart = Cart.objects.get(customer=buyer)
    assert (cart.po_number, cart.notes) == ("", "")
    entry = AuditEntry.objects.get(action=AuditAction.ORDER_PLACED)
    assert (entry.actor_type, entry.actor_customer_id) == (ActorType.CUSTOMER, buyer.id)


def test_the_order_page_confirms_the_order_after_checkout(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=40)
    fill_cart(buyer_client, company, [(gloves, 2)])
    response = buyer_client.post(store_path(company, "checkout"), {f"qty-{gloves.id}": "2"}, follow=True)
    order = Order.objects.get()
    assert f"Thank you! Your order {order.display_number} has been placed." in response.content.decode()


def test_stock_that_moved_since_adding_refuses_the_order_with_the_exact_message(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=5)
    masks = make_product(company, name="Masks", stock=50)
    fill_cart(buyer_client, company, [(gloves, 4), (masks, 3)])
    other = make_customer(company)
    place(company, [(gloves, 3)], channel=Channel.STOREFRONT, customer=other)  # 2 left

    response = checkout(buyer_client, company, [(gloves, 4), (masks, 3)], po_number="PO-1")

    assert response.status_code == 409
    assert response.context["errors"] == ["Not enough stock for Gloves. Only 2 available."]
    assert "Not enough stock for Gloves. Only 2 available." in response.content.decode()
    assert "Your order was not placed." in response.content.decode()
    assert Order.objects.filter(customer=buyer).count() == 0
    assert (stock_of(gloves), stock_of(masks)) == (2, 50)
    assert {i.product_id: i.quantity for i in CartItem.objects.filter(cart__customer=buyer)} == {
        gloves.id: 4,
        masks.id: 3,
    }
    assert Cart.objects.get(customer=buyer).po_number == "PO-1"


def test_every_short_line_is_listed_the_first_one_first(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=10)
    masks = make_product(company, name="Masks", stock=10)
    fill_cart(buyer_client, company, [(gloves, 1), (masks, 1)])
    response = checkout(buyer_client, company, [(gloves, 11), (masks, 12)])
    assert response.context["errors"] == [
        "Not enough stock for Gloves. Only 10 available.",
        "Not enough stock for Masks. Only 10 available.",
    ]
    assert not Order.objects.exists()


def test_quantities_typed_above_stock_are_not_capped_at_checkout_but_refused(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=3)
    fill_cart(buyer_client, company, [(gloves, 1)])
    response = checkout(buyer_client, company, [(gloves, 5)])
    assert response.context["errors"] == ["Not enough stock for Gloves. Only 3 available."]
    assert not Order.objects.exists()
    assert CartItem.objects.get(cart__customer=buyer).quantity == 5


def test_a_line_that_ran_out_is_refused_at_checkout(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=3)
    fill_cart(buyer_client, company, [(gloves, 2)])
    product_update(
        actor=owner_actor(company), channel=Channel.DASHBOARD, product_id=gloves.id, changes={"stock": 0}
    )
    response = checkout(buyer_client, company)  # its quantity input is no longer drawn
    assert response.context["errors"] == ["Not enough stock for Gloves. Only 0 available."]
    assert not Order.objects.exists()


def test_a_deactivated_product_in_the_cart_refuses_the_order(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=3)
    fill_cart(buyer_client, company, [(gloves, 2)])
    product_update(
        actor=owner_actor(company),
        channel=Channel.DASHBOARD,
        product_id=gloves.id,
        changes={"is_active": False},
    )
    response = checkout(buyer_client, company, [(gloves, 2)])
    assert response.status_code == 409
    assert response.context["errors"] == ["Gloves is no longer available."]
    assert not Order.objects.exists()


def test_an_empty_cart_cannot_be_checked_out(buyer_client, company):
    response = checkout(buyer_client, company)
    assert response.status_code == 409
    assert response.context["errors"] == ["Your cart is empty."]


def test_a_second_submit_of_the_same_cart_orders_nothing_more(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=10)
    fill_cart(buyer_client, company, [(gloves, 2)])
    assert checkout(buyer_client, company, [(gloves, 2)]).status_code == 302
    again = checkout(buyer_client, company, [(gloves, 2)])
    assert again.context["errors"] == ["Your cart is empty."]
    assert Order.objects.count() == 1
    assert stock_of(gloves) == 8


def test_a_po_number_over_100_characters_is_refused(buyer_client, company):
    gloves = make_product(company, stock=10)
    fill_cart(buyer_client, company, [(gloves, 1)])
    response = checkout(buyer_client, company, [(gloves, 1)], po_number="P" * 101)
    assert response.status_code == 422
    assert not Order.objects.exists()


def test_checkout_is_post_only_and_needs_a_signed_in_customer(buyer_client, company):
    assert buyer_client.get(store_path(company, "checkout")).status_code == 405
    buyer_client.post(store_path(company, "logout"))
    assert checkout(buyer_client, company).status_code == 302
    assert not Order.objects.exists()


def test_a_customer_blocked_after_filling_the_cart_cannot_check_out(buyer_client, company, buyer):
    gloves = make_product(company, stock=10)
    fill_cart(buyer_client, company, [(gloves, 1)])
    Customer.objects.filter(id=buyer.id).update(status=CustomerStatus.BLOCKED)
    assert checkout(buyer_client, company, [(gloves, 1)]).status_code == 302
    assert not Order.objects.exists()


def test_a_storefront_order_that_leaves_products_low_owes_one_low_stock_email(buyer_client, company):
    gloves = make_product(company, name="Gloves", sku="GLV-1", stock=6)
    masks = make_product(company, name="Masks", sku="MSK-1", stock=2)
    aprons = make_product(company, name="Aprons", sku="APR-1", stock=50)
    fill_cart(buyer_client, company, [(gloves, 2), (masks, 2), (aprons, 1)])
    checkout(buyer_client, company, [(gloves, 2), (masks, 2), (aprons, 1)])
    alert = LowStockAlert.objects.get()
    assert sorted((i["name"], i["stock"]) for i in alert.items) == [("Gloves", 4), ("Masks", 0)]
