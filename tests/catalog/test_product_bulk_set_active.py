"""Bulk activate/deactivate: one ProductBulkUpdated entry, this company's products only."""

import pytest

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.errors import ProductUnavailable
from stockline.catalog.models import Product
from stockline.catalog.services import product_bulk_set_active
from stockline.core.channels import Channel
from tests.catalog.writes import rows_written
from tests.factories import make_company, make_product, place


def set_active(actor, products, is_active):
    return product_bulk_set_active(
        actor=actor, channel=Channel.DASHBOARD, product_ids=[p.id for p in products], is_active=is_active
    )


def active_flags(products):
    by_id = dict(Product.objects.filter(id__in=[p.id for p in products]).values_list("id", "is_active"))
    return [by_id[p.id] for p in products]


def test_deactivate_changes_the_selected_products_with_one_audit_entry(actor, company):
    products = [make_product(company), make_product(company), make_product(company, is_active=False)]
    assert set_active(actor, products, False) == 2
    assert active_flags(products) == [False, False, False]
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_BULK_UPDATED)
    assert (entry.metadata["field"], entry.metadata["value"]) == ("is_active", False)
    assert (entry.metadata["selected"], entry.metadata["changed"]) == (3, 2)
    assert set(entry.metadata["products"]) == {str(products[0].id), str(products[1].id)}


def test_deactivation_writes_no_stock_movement_and_keeps_stock(actor, company):
    product = make_product(company, stock=12)
    movements = rows_written()["movements"]
    set_active(actor, [product], False)
    assert rows_written()["movements"] == movements
    assert Product.objects.get(id=product.id).stock == 12


def test_nothing_to_change_writes_nothing(actor, company):
    products = [make_product(company)]
    before = rows_written()
    assert set_active(actor, products, True) == 0
    assert rows_written() == before


def test_products_of_another_company_are_never_changed(actor, company):
    other, _ = make_company()
    theirs = make_product(other)
    mine = make_product(company)
    with pytest.raises(ProductUnavailable):  # the whole batch is refused, as a bulk stock change is
        set_active(actor, [mine, theirs], False)
    assert active_flags([theirs, mine]) == [True, True]


def test_deactivated_product_can_no_longer_be_ordered(actor, company):
    product = make_product(company, stock=5)
    set_active(actor, [product], False)
    with pytest.raises(ProductUnavailable):
        place(company, [(product, 1)])
    set_active(actor, [product], True)
    place(company, [(product, 1)])
    assert Product.objects.get(id=product.id).stock == 4
