from stockline.catalog.models import Product, StockMovement
from tests.factories import make_product, place


def test_order_decrements_stock(company):
    p = make_product(company, stock=10)
    order = place(company, [(p, 3)])
    p.refresh_from_db()
    assert p.stock == 7
    assert order.lines.get().quantity == 3
    assert StockMovement.objects.filter(product=p).count() == 2
    assert Product.objects.get(id=p.id).stock == 7
