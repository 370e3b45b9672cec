"""Low-stock email tests run the real worker, which works outside any transaction (db_worker
closes connections between jobs), so every test here runs in autocommit, as in production."""

from io import StringIO

import pytest
from django.core.management import call_command

from stockline.core.channels import Channel
from tests.factories import make_customer, place


@pytest.fixture(autouse=True)
def _autocommit(transactional_db):
    pass


@pytest.fixture
def buyer(company):
    return make_customer(company, name="Harbor Hardware")


@pytest.fixture
def storefront_order(company, buyer):
    """Place a storefront order for `buyer`: storefront_order([(product, qty), ...])."""

    def _place(items, **kwargs):
        return place(company, items, channel=Channel.STOREFRONT, customer=buyer, **kwargs)

    return _place


@pytest.fixture
def run_worker():
    """Run `manage.py run_worker --batch` (every due job, then exit); returns its output."""

    def _run() -> str:
        out = StringIO()
        call_command("run_worker", "--batch", stdout=out)
        return out.getvalue()

    return _run
