"""SPEC §3: the email job is written in the order's transaction, so a rolled-back order sends nothing."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from stockline.catalog.errors import InsufficientStock
from stockline.catalog.models import Product
from stockline.notifications.models import LowStockAlert
from tests.factories import make_product


class CallerFailed(Exception):
    pass


def test_order_rolled_back_by_the_callers_transaction_sends_nothing(company, storefront_order, run_worker):
    product = make_product(company, stock=6)
    with pytest.raises(CallerFailed), transaction.atomic():
        storefront_order([(product, 5)])
        assert LowStockAlert.objects.count() == 1  # owed inside the transaction...
        raise CallerFailed

    assert not LowStockAlert.objects.exists()  # ...and gone with it
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []
    assert Product.objects.get(id=product.id).stock == 6


def test_order_refused_for_insufficient_stock_sends_nothing(company, storefront_order, run_worker):
    would_run_low = make_product(company, stock=6)
    short = make_product(company, stock=1)
    with pytest.raises(InsufficientStock):
        storefront_order([(would_run_low, 5), (short, 2)])

    assert not LowStockAlert.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []
