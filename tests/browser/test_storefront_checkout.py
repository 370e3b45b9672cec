"""The storefront cart and checkout in a real browser: "Only N left", placing an order, an
order refused because someone else bought the last units meanwhile, and order history."""

import re

import pytest
from playwright.sync_api import expect

from stockline.catalog.models import Product
from stockline.core.channels import Channel
from stockline.orders.models import Order
from tests.factories import PASSWORD, make_company, make_customer, make_product, place

pytestmark = pytest.mark.django_db(transaction=True)

AMBER = "rgb(254, 243, 199)"  # the yellow of the "Only N left" badge


def sign_in(page, company, customer):
    page.goto(f"/store/{company.slug}/login")
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/store/{company.slug}/catalog$"))


def add_to_cart(page, name: str, quantity: int):
    row = page.locator(".product-row").filter(has=page.get_by_role("link", name=name, exact=True))
    row.get_by_role("spinbutton").fill(str(quantity))
    row.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"{name} to your cart.")).to_be_visible()


def cart_line(page, name: str):
    return page.locator("[data-cart-line]").filter(has_text=name)


def test_cart_shows_only_n_left_in_yellow_next_to_the_quantity_of_each_low_stock_item(page):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Nitrile Gloves", stock=4)
    make_product(company, name="Safety Masks", stock=9, low_stock_threshold=10)
    make_product(company, name="Paper Towels", stock=80)
    sign_in(page, company, make_customer(company))
    for name in ("Nitrile Gloves", "Safety Masks", "Paper Towels"):
        add_to_cart(page, name, 2)

    page.get_by_role("link", name=re.compile("Cart")).click()

    for name, left in (("Nitrile Gloves", 4), ("Safety Masks", 9)):
        warning = cart_line(page, name).locator(".cart-qty .only-left")
        expect(warning).to_have_text(f"Only {left} left")
        expect(warning).to_have_css("background-color", AMBER)
        expect(cart_line(page, name).get_by_role("spinbutton")).to_have_attribute("max", str(left))
    expect(cart_line(page, "Paper Towels").locator(".only-left")).to_have_count(0)

    # The quantity cannot be stepped past the stock.
    gloves = cart_line(page, "Nitrile Gloves")
    gloves.get_by_role("button", name="More").click()
    gloves.get_by_role("button", name="More").click()
    expect(gloves.get_by_role("spinbutton")).to_have_value("4")
    expect(gloves.get_by_role("button", name="More")).to_be_disabled()


def test_checkout_places_the_order_which_then_shows_in_the_order_history(page):
    company = make_company("Harbor Supply")[0]
    gloves = make_product(company, name="Nitrile Gloves", stock=30)
    make_product(company, name="Paper Towels", stock=80)
    buyer = make_customer(company)
    sign_in(page, company, buyer)
    add_to_cart(page, "Nitrile Gloves", 3)
    add_to_cart(page, "Paper Towels", 1)

    page.get_by_role("link", name=re.compile("Cart")).click()
    cart_line(page, "Paper Towels").get_by_role("button", name="Remove Paper Towels").click()
    expect(cart_line(page, "Paper Towels")).to_have_count(0)
    page.get_by_label("PO number").fill("PO-2031")
    page.get_by_label("Notes").fill("Deliver to dock 4")
    page.get_by_role("button", name="Place order").click()

    order = Order.objects.get(customer=buyer)
    expect(page.get_by_text(f"Thank you! Your order {order.display_number} has been placed.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Order {order.display_number}")).to_be_visible()
    expect(page.locator(".order-facts")).to_contain_text("PO-2031")
    assert (order.channel, Product.objects.get(id=gloves.id).stock) == (Channel.STOREFRONT, 27)
    expect(page.locator(".cart-count")).to_have_text("0")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="My orders").click()
    row = page.locator("a.order-row").filter(has_text=order.display_number)
    expect(row).to_contain_text("PO-2031")
    expect(row).to_contain_text("1 item")
    expect(row).to_contain_text("Submitted")
    row.click()
    expect(page.locator(".order-lines")).to_contain_text("Nitrile Gloves")


def test_an_order_is_refused_when_another_customer_bought_the_last_units_meanwhile(page):
    company = make_company("Harbor Supply")[0]
    gloves = make_product(company, name="Nitrile Gloves", stock=2)
    buyer = make_customer(company)
    sign_in(page, company, buyer)
    add_to_cart(page, "Nitrile Gloves", 2)
    page.get_by_role("link", name=re.compile("Cart")).click()
    expect(cart_line(page, "Nitrile Gloves").get_by_role("spinbutton")).to_have_value("2")

    place(company, [(gloves, 2)], channel=Channel.STOREFRONT, customer=make_customer(company))
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Not enough stock for Nitrile Gloves. Only 0 available."
    )
    expect(cart_line(page, "Nitrile Gloves").locator(".stock-out")).to_have_text("Out of stock")
    assert not Order.objects.filter(customer=buyer).exists()
    assert Product.objects.get(id=gloves.id).stock == 0


def test_the_core_flow_works_without_javascript(browser, live_server):
    company = make_company("Harbor Supply")[0]
    make_product(company, name="Nitrile Gloves", stock=4)
    buyer = make_customer(company)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, company, buyer)
        add_to_cart(page, "Nitrile Gloves", 3)
        page.get_by_role("link", name=re.compile("Cart")).click()
        expect(cart_line(page, "Nitrile Gloves").locator(".only-left")).to_have_text("Only 4 left")
        expect(cart_line(page, "Nitrile Gloves").get_by_role("button", name="More")).to_have_count(0)  # no JS
        cart_line(page, "Nitrile Gloves").get_by_role("spinbutton").fill("2")
        page.get_by_role("button", name="Place order").click()
        expect(page.get_by_text(re.compile(r"Thank you! Your order #\d+ has been placed\."))).to_be_visible()
        assert Order.objects.get(customer=buyer).lines.get().quantity == 2
    finally:
        context.close()
