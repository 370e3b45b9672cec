"""The busiest pages run a fixed number of queries, however many rows they show."""

import pytest

from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from tests.factories import make_customer, make_product, owner_actor, place

# Every page: session, user, memberships (with their companies). Then the page's own:
HOME_QUERIES = 3 + 5  # health counts, recent orders, recent activity, its product names, its order numbers
INVENTORY_QUERIES = 3 + 2  # count, one page of products with their stock status
ORDERS_QUERIES = 3 + 3  # count, one page of orders (customer, staff, line count), counts per status


def fill(company, n: int):
    """n products in every stock state, two orders each, and activity about both."""
    buyer = make_customer(company)
    products = [make_product(company, stock=[0, 3, 100][i % 3] + 2, is_active=i % 4 != 3) for i in range(n)]
    for product in products:
        if product.is_active:
            place(company, [(product, 1)])
            place(company, [(product, 1)], channel=Channel.STOREFRONT, customer=buyer)
    for product in products[:3]:
        product_update(
            actor=owner_actor(company), channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": 1}
        )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/dashboard", HOME_QUERIES),
        ("/dashboard/inventory", INVENTORY_QUERIES),
        ("/dashboard/orders", ORDERS_QUERIES),
    ],
)
@pytest.mark.parametrize("rows", [4, 40])
def test_query_count_is_fixed_whatever_the_number_of_rows(
    url, expected, rows, owner_client, company, django_assert_num_queries
):
    fill(company, rows)
    with django_assert_num_queries(expected):
        assert owner_client.get(url).status_code == 200
