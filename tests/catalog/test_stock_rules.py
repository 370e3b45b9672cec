"""SPEC §2–§3: effective threshold, stock status (Python and SQL agree), inventory health."""

import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockline.accounts.models import Company
from stockline.catalog.models import Product
from stockline.catalog.stock_rules import (
    StockStatus,
    effective_threshold,
    inventory_health,
    is_out_of_stock,
    stock_status,
    stock_status_expression,
    stock_status_q,
)
from tests.factories import make_company, make_product

OUT, LOW, IN = StockStatus.OUT_OF_STOCK, StockStatus.LOW_STOCK, StockStatus.IN_STOCK
INT_MAX = 2**31 - 1


def spec_status(stock: int, override: int | None, company_default: int) -> str:
    """SPEC §2 written out literally, independent of the code under test."""
    threshold = company_default if override is None else override
    if stock == 0:
        return OUT
    if stock <= threshold:
        return LOW
    return IN


@pytest.mark.parametrize("stock", [0, 1, 5, 6, INT_MAX])
@pytest.mark.parametrize("threshold", [0, 1, 5, 10])
def test_out_of_stock_is_the_out_of_stock_status_whatever_the_threshold(stock, threshold):
    assert is_out_of_stock(stock) is (stock_status(stock=stock, threshold=threshold) == OUT)


def test_company_default_threshold_is_five(company):
    assert company.low_stock_threshold == 5


def test_effective_threshold_is_the_override_when_set():
    assert effective_threshold(override=12, company_default=5) == 12


def test_effective_threshold_falls_back_to_company_default_when_override_empty():
    assert effective_threshold(override=None, company_default=5) == 5
    assert effective_threshold(override=None, company_default=9) == 9


def test_effective_threshold_override_zero_is_kept_not_treated_as_empty():
    assert effective_threshold(override=0, company_default=5) == 0


def test_product_effective_threshold_reads_company_default(company):
    product = make_product(company, stock=3)
    assert product.effective_threshold == 5
    product.low_stock_threshold = 0
    assert product.effective_threshold == 0


@pytest.mark.parametrize(
    ("stock", "threshold", "expected"),
    [
        (0, 5, OUT),
        (1, 5, LOW),
        (4, 5, LOW),
        (5, 5, LOW),
        (6, 5, IN),
        (0, 0, OUT),
        (1, 0, IN),
        (1, 1, LOW),
        (2, 1, IN),
        (100, 99, IN),
        (99, 99, LOW),
    ],
)
def test_stock_status_boundaries(stock, threshold, expected):
    assert stock_status(stock=stock, threshold=threshold) == expected


GRID_STOCKS = [0, 1, 2, 4, 5, 6, 7, 100]
GRID_OVERRIDES = [None, 0, 1, 5, 6, 99]
GRID_DEFAULTS = [0, 1, 5, 6]


@pytest.fixture
def grid(db):
    """One product for every (stock, override, company default) in the grid."""
    expected = {}
    products = []
    for default in GRID_DEFAULTS:
        company = Company.objects.create(
            name=f"Grid {default}", slug=f"grid-{default}", low_stock_threshold=default
        )
        for stock, override in itertools.product(GRID_STOCKS, GRID_OVERRIDES):
            product = Product(
                company=company,
                name=f"s{stock} o{override} d{default}",
                price=1,
                stock=stock,
                low_stock_threshold=override,
            )
            products.append(product)
            expected[product.id] = spec_status(stock, override, default)
    Product.objects.bulk_create(products)
    return expected


def test_python_stock_status_matches_spec_on_grid(grid):
    products = Product.objects.filter(id__in=grid).select_related("company")
    assert {p.id: p.stock_status for p in products} == grid


def test_sql_stock_status_expression_matches_spec_on_grid(grid):
    rows = Product.objects.filter(id__in=grid).annotate(status=stock_status_expression())
    assert dict(rows.values_list("id", "status")) == grid


def test_sql_stock_status_filter_matches_spec_on_grid(grid):
    for status in StockStatus:
        matched = set(
            Product.objects.filter(stock_status_q(status), id__in=grid).values_list("id", flat=True)
        )
        assert matched == {pid for pid, s in grid.items() if s == status}, status


def test_every_grid_status_occurs(grid):
    """Guards the grid itself: it must exercise all three statuses."""
    assert set(grid.values()) == set(StockStatus)


def test_with_stock_status_queryset_annotates_the_spec_status(grid):
    rows = Product.objects.filter(id__in=grid).with_stock_status()
    assert dict(rows.values_list("id", "stock_status")) == grid


def test_with_stock_status_in_filters_by_the_spec_status(grid):
    low = Product.objects.filter(id__in=grid).with_stock_status_in(LOW)
    assert set(low.values_list("id", flat=True)) == {pid for pid, s in grid.items() if s == LOW}


def test_stock_status_with_prefix_follows_a_relation(company):
    """The SQL twin works through a relation (e.g. ledger rows → their product)."""
    from stockline.catalog.models import StockMovement

    low = make_product(company, stock=5)
    healthy = make_product(company, stock=6)
    rows = StockMovement.objects.filter(product__in=[low, healthy]).annotate(
        status=stock_status_expression("product__")
    )
    assert dict(rows.values_list("product_id", "status")) == {low.id: LOW, healthy.id: IN}
    assert list(
        StockMovement.objects.filter(stock_status_q(LOW, "product__"), product__company=company).values_list(
            "product_id", flat=True
        )
    ) == [low.id]


def test_unknown_stock_status_filter_is_refused():
    with pytest.raises(ValueError, match="Unknown stock status"):
        stock_status_q("ALMOST_OUT")


_limits = st.one_of(st.integers(0, 12), st.integers(0, INT_MAX))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stock=_limits, override=st.none() | _limits, company_default=_limits)
def test_python_and_sql_stock_status_always_agree(company, stock, override, company_default):
    with transaction.atomic():
        Company.objects.filter(id=company.id).update(low_stock_threshold=company_default)
        product = Product.objects.create(
            company_id=company.id, name="p", price=1, stock=stock, low_stock_threshold=override
        )
        product = Product.objects.select_related("company").get(id=product.id)
        sql = Product.objects.filter(id=product.id).annotate(s=stock_status_expression()).get().s
        by_filter = [
            s for s in StockStatus if Product.objects.filter(stock_status_q(s), id=product.id).exists()
        ]
        transaction.set_rollback(True)
    expected = spec_status(stock, override, company_default)
    assert product.stock_status == expected
    assert sql == expected
    assert by_filter == [expected]


def test_inventory_health_counts_each_status_in_one_query(company, django_assert_num_queries):
    for stock in (0, 0, 1, 5, 6, 50, 50, 50):
        make_product(company, stock=stock)
    make_product(company, stock=3, low_stock_threshold=2)  # override: 3 > 2 is healthy
    make_product(company, stock=8, low_stock_threshold=10)  # override: 8 ≤ 10 is low
    with django_assert_num_queries(1):
        health = inventory_health(company)
    assert health == {IN: 5, LOW: 3, OUT: 2}


def test_inventory_health_ignores_inactive_products(company):
    make_product(company, stock=0, is_active=False)
    make_product(company, stock=2, is_active=False)
    make_product(company, stock=80, is_active=False)
    make_product(company, stock=2)
    assert inventory_health(company) == {IN: 0, LOW: 1, OUT: 0}


def test_inventory_health_counts_only_the_given_company(company):
    other, _ = make_company()
    make_product(other, stock=0)
    make_product(other, stock=9)
    make_product(company, stock=9)
    assert inventory_health(company) == {IN: 1, LOW: 0, OUT: 0}


def test_inventory_health_follows_the_company_default_threshold(company):
    make_product(company, stock=8)
    Company.objects.filter(id=company.id).update(low_stock_threshold=10)
    company.refresh_from_db()
    assert inventory_health(company) == {IN: 0, LOW: 1, OUT: 0}
