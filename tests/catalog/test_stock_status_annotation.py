import pytest

from stockline.catalog.models import Product
from stockline.catalog.stock_rules import StockStatus
from tests.factories import make_product


@pytest.mark.django_db
def test_annotated_products_carry_the_sql_stock_status_without_a_query_per_row(
    company, django_assert_num_queries
):
    make_product(company, stock=0)
    make_product(company, stock=3)
    make_product(company, stock=50)
    make_product(company, stock=50, low_stock_threshold=60)
    with django_assert_num_queries(1):
        statuses = sorted(
            (p.stock, p.stock_status) for p in Product.objects.filter(company=company).with_stock_status()
        )
    assert statuses == [
        (0, StockStatus.OUT_OF_STOCK),
        (3, StockStatus.LOW_STOCK),
        (50, StockStatus.IN_STOCK),
        (50, StockStatus.LOW_STOCK),
    ]


@pytest.mark.django_db
def test_unannotated_product_computes_the_same_status_in_python(company):
    product = make_product(company, stock=50, low_stock_threshold=60)
    assert Product.objects.get(id=product.id).stock_status == StockStatus.LOW_STOCK
