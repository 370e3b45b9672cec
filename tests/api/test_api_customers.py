"""/api/v1/customers: list with filters, one, create (201), duplicate email (400)."""

import pytest

from stockline.customers.models import Customer, CustomerStatus
from tests.api.conftest import error_of
from tests.factories import make_customer

CUSTOMER_KEYS = {"id", "email", "name", "status", "createdAt", "updatedAt"}


def emails(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {c["email"] for c in response.json()["data"]}


def test_list_returns_customers_without_secrets(api, company):
    make_customer(company, email="ann@example.com", name="Ann Smith")
    (item,) = api.get("/customers").json()["data"]
    assert set(item) == CUSTOMER_KEYS
    assert (item["email"], item["name"], item["status"]) == ("ann@example.com", "Ann Smith", "ACTIVE")


def test_list_filters_by_status_and_search(api, company):
    make_customer(company, email="ann@shop.example", name="Ann")
    make_customer(company, email="bob@other.example", name="Bob Shopkeeper")
    make_customer(company, email="cy@shop.example", name="Cy", status=CustomerStatus.BLOCKED)
    assert emails(api.get("/customers", {"status": "BLOCKED"})) == {"cy@shop.example"}
    assert emails(api.get("/customers", {"search": "SHOP"})) == {
        "ann@shop.example",
        "bob@other.example",
        "cy@shop.example",
    }
    assert emails(api.get("/customers", {"search": "shop", "status": "ACTIVE"})) == {
        "ann@shop.example",
        "bob@other.example",
    }


def test_an_unknown_status_filter_is_a_400(api, company):
    assert error_of(api.get("/customers", {"status": "active"}), 400) == "Invalid customer status."


def test_get_one_customer(api, company):
    customer = make_customer(company, name="Dee Dee")
    data = api.get(f"/customers/{customer.id}").json()["data"]
    assert (data["id"], data["name"]) == (str(customer.id), "Dee Dee")


@pytest.mark.parametrize("customer_id", ["0190e6a4-0000-7000-8000-000000000000", "dee"])
def test_get_an_unknown_customer_is_a_404(api, company, customer_id):
    assert error_of(api.get(f"/customers/{customer_id}"), 404) == "Customer not found."


def test_create_returns_201_and_stores_the_email_lower_case(api, company):
    response = api.post("/customers", {"email": "  New.Buyer@Example.COM ", "name": "New Buyer"})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["email"], data["name"], data["status"]) == ("new.buyer@example.com", "New Buyer", "ACTIVE")
    assert Customer.objects.filter(id=data["id"], company=company).exists()


def test_create_with_a_password_and_status(api, company):
    body = {"email": "c@example.com", "name": "Cee", "password": "long-enough-pw", "status": "BLOCKED"}
    response = api.post("/customers", body)
    assert response.status_code == 201
    customer = Customer.objects.get(id=response.json()["data"]["id"])
    assert customer.status == CustomerStatus.BLOCKED
    assert customer.check_password("long-enough-pw")


def test_a_duplicate_email_is_a_400_whatever_its_case(api, company):
    make_customer(company, email="taken@example.com")
    response = api.post("/customers", {"email": "TAKEN@example.com", "name": "Second"})
    assert error_of(response, 400) == "Validation failed. email: A customer with this email already exists."
    assert Customer.objects.filter(company=company).count() == 1


def test_the_same_email_may_be_a_customer_of_another_company(api, other_company):
    make_customer(other_company, email="shared@example.com")
    assert api.post("/customers", {"email": "shared@example.com", "name": "Shared"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "No Email"}, "email is required"),
        ({"email": "a@example.com"}, "name is required"),
        ({"email": "not-an-email", "name": "Bad"}, "Validation failed. email: Enter a valid email address."),
        (
            {"email": "a@example.com", "name": "A"},
            "Validation failed. name: Ensure this value has at least 2",
        ),
        (
            {"email": "a@example.com", "name": "Ann", "password": "short"},
            "password: String should have at least 8 characters",
        ),
        ({"email": "a@example.com", "name": "Ann", "status": "GONE"}, "status: Input should be 'ACTIVE'"),
        ({"email": "a@example.com", "name": "A\x00nn"}, "name must not contain NUL characters"),
        ({"email": "a\x00@example.com", "name": "Ann"}, "email must not contain NUL characters"),
    ],
)
def test_create_refuses_bad_input_with_a_400(api, company, body, message):
    assert error_of(api.post("/customers", body), 400).startswith(message)
    assert not Customer.objects.filter(company=company).exists()
