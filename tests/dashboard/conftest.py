import pytest

from stockline.accounts.models import Role
from tests.factories import make_member


@pytest.fixture
def admin(company):
    return make_member(company, Role.ADMIN)


@pytest.fixture
def member(company):
    return make_member(company, Role.MEMBER)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


@pytest.fixture
def staff_client(client, company):
    """staff_client(role) → a client signed in as a new staff member of `company` with that role."""

    def sign_in(role: str):
        membership = (
            make_member(company, role)
            if role != Role.OWNER
            else company.memberships.select_related("user").get(role=Role.OWNER)
        )
        client.force_login(membership.user)
        return client

    return sign_in
