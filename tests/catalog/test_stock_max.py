import pytest
from django.core.exceptions import ValidationError

from stockline.catalog.models import STOCK_MAX, Product
from stockline.catalog.services import BulkMode, stock_adjust, stock_bulk_adjust
from stockline.core.channels import Channel
from tests.factories import make_product, owner_actor

pytestmark = pytest.mark.django_db


def test_adjustment_past_the_largest_stock_level_is_refused_and_writes_nothing(company):
    product = make_product(company, stock=STOCK_MAX - 1)
    with pytest.raises(ValidationError):
        stock_adjust(actor=owner_actor(company), channel=Channel.API, product_id=product.id, delta=2)
    assert Product.objects.get(id=product.id).stock == STOCK_MAX - 1
    assert product.movements.count() == 1


def test_bulk_delta_past_the_largest_stock_level_is_refused_for_the_whole_batch(company):
    small = make_product(company, stock=1)
    huge = make_product(company, stock=STOCK_MAX)
    with pytest.raises(ValidationError):
        stock_bulk_adjust(
            actor=owner_actor(company),
            channel=Channel.DASHBOARD,
            product_ids=[small.id, huge.id],
            mode=BulkMode.DELTA,
            value=5,
        )
    assert Product.objects.get(id=small.id).stock == 1


def test_product_stock_above_the_column_limit_is_a_validation_error(company):
    with pytest.raises(ValidationError) as error:
        make_product(company, stock=STOCK_MAX + 1)
    assert "stock" in error.value.message_dict
