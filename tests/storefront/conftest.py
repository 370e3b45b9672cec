import pytest

from tests.factories import PASSWORD, make_customer


def store_path(company, page: str = "") -> str:
    return f"/store/{company.slug}/{page}"


def sign_in(client, company, customer, password: str = PASSWORD):
    """Sign `customer` in through the store's login form, as a browser would."""
    response = client.post(store_path(company, "login"), {"email": customer.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def buyer(company):
    return make_customer(company, name="Harbor Hardware", email="buyer@harbor.test")


@pytest.fixture
def buyer_client(client, company, buyer):
    return sign_in(client, company, buyer)
