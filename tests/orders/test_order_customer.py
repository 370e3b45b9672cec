"""The customer an order is placed for: one of the company's, decided by the order service
(the API renders CustomerNotFound as 404, as it does every object of another company)."""

from uuid import uuid4

import pytest

from stockline.core.channels import Channel
from stockline.orders.errors import CustomerNotFound, OrderError
from stockline.orders.services import OrderLineInput, order_customer, order_place
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_customer, make_product


def test_order_customer_is_the_companys_customer_with_that_id(actor, company):
    customer = make_customer(company)
    assert order_customer(actor=actor, customer_id=customer.id) == customer


@pytest.mark.parametrize("whose", ["another company's", "nobody's"])
def test_order_customer_of_another_company_or_none_is_not_found(actor, whose):
    other, _ = make_company()
    customer_id = make_customer(other).id if whose == "another company's" else uuid4()
    with pytest.raises(CustomerNotFound) as refused:
        order_customer(actor=actor, customer_id=customer_id)
    assert refused.value.message == "Customer not found."


def test_order_place_refuses_another_companys_customer_as_not_found_writing_nothing(actor, company):
    other, _ = make_company()
    stranger = make_customer(other)
    product = make_product(company, stock=5)
    before = rows_written()
    with pytest.raises(CustomerNotFound) as refused:
        order_place(
            actor=actor,
            channel=Channel.DASHBOARD,
            customer=stranger,
            lines=[OrderLineInput(product_id=product.id, quantity=1)],
        )
    assert isinstance(refused.value, OrderError)  # every adapter that renders order refusals shows it
    assert rows_written() == before
