"""SPEC §3 and §5: the server-side cart — adding caps at stock, "Only N left" next to every
low-stock quantity, remove, PO number and notes."""

import re

from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from stockline.storefront.models import Cart, CartItem
from tests.factories import make_company, make_customer, make_product, owner_actor
from tests.storefront.conftest import sign_in, store_path


def add(client, company, product, quantity=1, *, follow=False, **extra):
    return client.post(
        store_path(company, "cart/add"),
        {"product": str(product.id), "quantity": quantity, **extra},
        follow=follow,
    )


def held(customer) -> dict:
    return {i.product.name: i.quantity for i in CartItem.objects.filter(cart__customer=customer)}


def set_stock(company, product, stock):
    product_update(
        actor=owner_actor(company), channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": stock}
    )


def quantity_input(page: str, product) -> str:
    return re.search(rf'<input id="qty-{product.id}"[^>]*>', page).group(0)


def test_adding_puts_the_quantity_in_the_customers_cart_and_goes_back(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=50)
    back = store_path(company, "catalog") + "?q=glo&page=1"
    response = add(buyer_client, company, gloves, 3, back=back)
    assert response["Location"] == back
    add(buyer_client, company, gloves, 2)
    assert held(buyer) == {"Gloves": 5}


def test_adding_more_than_the_stock_caps_the_cart_at_the_stock_and_says_so(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=4)
    add(buyer_client, company, gloves, 3)
    response = add(buyer_client, company, gloves, 3, follow=True)
    assert held(buyer) == {"Gloves": 4}
    assert "Only 4 Gloves left: your cart holds 4." in response.content.decode()


def test_an_out_of_stock_product_cannot_be_added(buyer_client, company, buyer):
    liners = make_product(company, name="Bin Liners", stock=0)
    response = buyer_client.post(
        store_path(company, "cart/add"), {"product": str(liners.id), "quantity": 1}, follow=True
    )
    assert held(buyer) == {}
    assert "Bin Liners is out of stock." in response.content.decode()


def test_an_inactive_product_cannot_be_added(buyer_client, company, buyer):
    retired = make_product(company, is_active=False)
    assert add(buyer_client, company, retired).status_code == 404
    assert held(buyer) == {}


def test_a_quantity_below_one_is_refused(buyer_client, company, buyer):
    gloves = make_product(company, stock=10)
    add(buyer_client, company, gloves, 0)
    add(buyer_client, company, gloves, -2)
    assert held(buyer) == {}


def test_adding_needs_a_signed_in_customer(client, company):
    gloves = make_product(company)
    assert add(client, company, gloves).status_code == 302
    assert not CartItem.objects.exists()


def test_the_cart_is_kept_on_the_server_across_sessions(client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=10)
    add(sign_in(client, company, buyer), company, gloves, 2)
    client.post(store_path(company, "logout"))
    sign_in(client, company, buyer)
    assert client.get(store_path(company, "cart")).context["cart"].units == 2


def test_cart_shows_only_n_left_next_to_the_quantity_of_every_low_stock_item(buyer_client, company):
    company.low_stock_threshold = 5
    company.save()
    low = make_product(company, name="Gloves", stock=5)
    override_low = make_product(company, name="Masks", stock=9, low_stock_threshold=10)
    plenty = make_product(company, name="Aprons", stock=6)
    for product in (low, override_low, plenty):
        add(buyer_client, company, product, 1)

    page = buyer_client.get(store_path(company, "cart")).content.decode()

    assert page.count('class="only-left"') == 2
    for product, text in ((low, "Only 5 left"), (override_low, "Only 9 left")):
        line = page[page.index(f'id="qty-{product.id}"') :]
        assert line[: line.index("</div>", line.index("</div>") + 1)].count(text) == 1
    aprons = page[page.index(f'id="qty-{plenty.id}"') :]
    assert "only-left" not in aprons[: aprons.index("Remove")]


def test_cart_quantity_inputs_are_capped_at_stock(buyer_client, company):
    gloves = make_product(company, stock=7)
    add(buyer_client, company, gloves, 2)
    field = quantity_input(buyer_client.get(store_path(company, "cart")).content.decode(), gloves)
    assert 'max="7"' in field
    assert 'min="1"' in field
    assert 'value="2"' in field


def test_updating_the_cart_caps_quantities_at_stock_and_keeps_po_and_notes(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=7)
    masks = make_product(company, name="Masks", stock=50)
    add(buyer_client, company, gloves, 1)
    add(buyer_client, company, masks, 1)
    response = buyer_client.post(
        store_path(company, "cart"),
        {f"qty-{gloves.id}": "9", f"qty-{masks.id}": "12", "po_number": "PO-77", "notes": "Back door"},
        follow=True,
    )
    assert held(buyer) == {"Gloves": 7, "Masks": 12}
    assert "Only 7 Gloves left: your cart holds 7." in response.content.decode()
    cart = Cart.objects.get(customer=buyer)
    assert (cart.po_number, cart.notes) == ("PO-77", "Back door")
    page = response.content.decode()
    assert 'value="PO-77"' in page
    assert ">Back door</textarea>" in page


def test_remove_drops_one_line_and_zero_drops_it_too(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves")
    masks = make_product(company, name="Masks")
    aprons = make_product(company, name="Aprons")
    for product in (gloves, masks, aprons):
        add(buyer_client, company, product, 2)
    buyer_client.post(
        store_path(company, "cart"),
        {f"qty-{gloves.id}": "2", f"qty-{masks.id}": "2", f"qty-{aprons.id}": "2", "remove": str(gloves.id)},
    )
    buyer_client.post(store_path(company, "cart"), {f"qty-{masks.id}": "0", f"qty-{aprons.id}": "2"})
    assert held(buyer) == {"Aprons": 2}


def test_non_numeric_quantities_are_refused_and_change_nothing(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves")
    add(buyer_client, company, gloves, 2)
    response = buyer_client.post(store_path(company, "cart"), {f"qty-{gloves.id}": "two"})
    assert response.status_code == 422
    assert "Quantities must be whole numbers." in response.content.decode()
    assert held(buyer) == {"Gloves": 2}


def test_a_line_whose_stock_ran_out_stays_flagged_until_removed(buyer_client, company, buyer):
    gloves = make_product(company, name="Gloves", stock=5)
    add(buyer_client, company, gloves, 2)
    set_stock(company, gloves, 0)
    page = buyer_client.get(store_path(company, "cart")).content.decode()
    assert '<span class="stock stock-out">Out of stock</span>' in page
    assert f'name="qty-{gloves.id}"' not in page
    assert held(buyer) == {"Gloves": 2}


def test_a_line_whose_product_was_deactivated_says_it_is_no_longer_available(buyer_client, company):
    gloves = make_product(company, name="Gloves", stock=5)
    add(buyer_client, company, gloves, 2)
    product_update(
        actor=owner_actor(company),
        channel=Channel.DASHBOARD,
        product_id=gloves.id,
        changes={"is_active": False},
    )
    page = buyer_client.get(store_path(company, "cart")).content.decode()
    assert "No longer available" in page
    assert f'href="{store_path(company, f"products/{gloves.id}")}"' not in page


def test_header_counts_the_lines_in_the_cart(buyer_client, company):
    for _ in range(3):
        add(buyer_client, company, make_product(company), 2)
    page = buyer_client.get(store_path(company, "orders")).content.decode()
    assert '<span class="cart-count" data-cart-count>3</span>' in page


def test_quantities_posted_for_products_outside_the_cart_are_ignored(buyer_client, company, buyer):
    stranger = make_product(make_company("Other Wholesale")[0])
    mine = make_product(company, name="Gloves")
    add(buyer_client, company, mine, 1)
    buyer_client.post(store_path(company, "cart"), {f"qty-{mine.id}": "1", f"qty-{stranger.id}": "5"})
    assert held(buyer) == {"Gloves": 1}


def test_each_customer_has_their_own_cart(client, company, buyer):
    other = make_customer(company)
    gloves = make_product(company, name="Gloves")
    add(sign_in(client, company, buyer), company, gloves, 3)
    client.post(store_path(company, "logout"))
    sign_in(client, company, other)
    assert client.get(store_path(company, "cart")).context["cart"].lines == []
