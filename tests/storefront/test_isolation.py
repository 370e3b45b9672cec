"""A customer never sees another customer's orders, another company's store or products, or an
inactive product: each is indistinguishable from one that does not exist."""

import pytest

from stockline.core.channels import Channel
from stockline.storefront.models import CartItem
from tests.factories import make_company, make_customer, make_product, place
from tests.storefront.conftest import sign_in, store_path


@pytest.fixture
def other_store():
    return make_company("Other Wholesale")[0]


def test_another_customers_order_is_not_listed_and_its_page_is_a_404(buyer_client, company):
    neighbour = make_customer(company)
    theirs = place(company, [(make_product(company), 1)], channel=Channel.STOREFRONT, customer=neighbour)

    listed = buyer_client.get(store_path(company, "orders"))

    assert list(listed.context["page_obj"]) == []
    assert theirs.display_number not in listed.content.decode()
    assert buyer_client.get(store_path(company, f"orders/{theirs.id}")).status_code == 404


def test_an_order_without_a_customer_is_nobodys_on_the_storefront(buyer_client, company):
    walk_in = place(company, [(make_product(company), 1)])
    assert buyer_client.get(store_path(company, f"orders/{walk_in.id}")).status_code == 404


def test_another_stores_order_is_a_404_even_for_a_customer_with_the_same_email(
    buyer_client, company, buyer, other_store
):
    twin = make_customer(other_store, email=buyer.email)
    theirs = place(other_store, [(make_product(other_store), 1)], channel=Channel.STOREFRONT, customer=twin)
    assert buyer_client.get(store_path(company, f"orders/{theirs.id}")).status_code == 404
    assert (
        buyer_client.get(store_path(other_store, f"orders/{theirs.id}")).status_code == 302
    )  # not signed in


def test_another_stores_products_are_not_listed_not_viewable_and_not_addable(
    buyer_client, company, buyer, other_store
):
    foreign = make_product(other_store, name="Foreign Widget", sku="FW-1", stock=10)

    listed = buyer_client.get(store_path(company, "catalog"), {"q": "widget"})

    assert list(listed.context["rows"]) == []
    assert buyer_client.get(store_path(company, f"products/{foreign.id}")).status_code == 404
    response = buyer_client.post(store_path(company, "cart/add"), {"product": str(foreign.id), "quantity": 1})
    assert response.status_code == 404
    assert not CartItem.objects.filter(cart__customer=buyer).exists()


def test_another_stores_categories_are_not_offered(buyer_client, company, other_store):
    make_product(other_store, category="Secret Range")
    make_product(company, category="Beverages")
    assert buyer_client.get(store_path(company, "catalog")).context["categories"] == ["Beverages"]


def test_a_signed_in_customer_is_not_signed_in_at_another_store(buyer_client, other_store):
    for page in ("catalog", "cart", "orders"):
        assert buyer_client.get(store_path(other_store, page)).status_code == 302


def test_signing_in_at_one_store_with_another_stores_credentials_fails(client, company, other_store):
    elsewhere = make_customer(other_store, email="only-there@example.com")
    response = client.post(
        store_path(company, "login"), {"email": elsewhere.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 401


def test_an_inactive_product_is_invisible_everywhere_on_the_store(buyer_client, company, buyer):
    retired = make_product(
        company, name="Retired Widget", sku="RW-1", category="Widgets", stock=10, is_active=False
    )
    assert list(buyer_client.get(store_path(company, "catalog")).context["rows"]) == []
    assert list(buyer_client.get(store_path(company, "catalog"), {"q": "RW-1"}).context["rows"]) == []
    assert buyer_client.get(store_path(company, "catalog")).context["categories"] == []
    assert buyer_client.get(store_path(company, f"products/{retired.id}")).status_code == 404
    response = buyer_client.post(store_path(company, "cart/add"), {"product": str(retired.id), "quantity": 1})
    assert response.status_code == 404


def test_two_customers_in_one_browser_session_see_only_their_own_store(client, company, buyer, other_store):
    twin = make_customer(other_store, email="twin@example.com")
    mine = place(company, [(make_product(company), 1)], channel=Channel.STOREFRONT, customer=buyer)
    theirs = place(other_store, [(make_product(other_store), 1)], channel=Channel.STOREFRONT, customer=twin)
    sign_in(client, company, buyer)
    sign_in(client, other_store, twin)
    assert [o.id for o in client.get(store_path(company, "orders")).context["page_obj"]] == [mine.id]
    assert [o.id for o in client.get(store_path(other_store, "orders")).context["page_obj"]] == [theirs.id]
    assert client.get(store_path(company, f"orders/{theirs.id}")).status_code == 404
