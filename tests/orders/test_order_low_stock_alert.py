"""SPEC §3 Low-stock email: owed (alert row + job) after storefront orders only."""

from django_tasks_db.models import DBTaskResult

from stockline.core.channels import Channel
from stockline.notifications.models import LowStockAlert
from stockline.notifications.tasks import send_low_stock_alert
from tests.factories import make_customer, make_product, place


def storefront(company, items):
    return place(company, items, channel=Channel.STOREFRONT, customer=make_customer(company))


def test_storefront_order_dropping_products_to_threshold_writes_one_alert_and_one_job(company):
    a = make_product(company, name="A", sku="SKU-A", stock=8)
    b = make_product(company, name="B", sku="SKU-B", stock=8)
    order = storefront(company, [(a, 3), (b, 8)])
    alert = LowStockAlert.objects.get()
    assert alert.order_id == order.id
    assert sorted(alert.items, key=lambda i: i["name"]) == [
        {"product_id": str(a.id), "name": "A", "sku": "SKU-A", "stock": 5, "threshold": 5},
        {"product_id": str(b.id), "name": "B", "sku": "SKU-B", "stock": 0, "threshold": 5},
    ]
    job = DBTaskResult.objects.get()
    assert job.task_path == send_low_stock_alert.module_path
    assert job.args_kwargs["args"] == [str(alert.id)]


def test_storefront_order_leaving_stock_above_threshold_owes_no_email(company):
    product = make_product(company, stock=9)
    storefront(company, [(product, 3)])  # 6 > 5
    assert not LowStockAlert.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_alert_lists_only_the_ordered_products_now_low(company):
    low = make_product(company, name="Low", stock=6)
    healthy = make_product(company, name="Healthy", stock=60)
    make_product(company, name="Not ordered", stock=1)
    storefront(company, [(low, 2), (healthy, 2)])
    assert [i["name"] for i in LowStockAlert.objects.get().items] == ["Low"]


def test_alert_uses_the_product_threshold_override(company):
    zero_override = make_product(company, name="Zero", stock=5, low_stock_threshold=0)
    high_override = make_product(company, name="High", stock=50, low_stock_threshold=40)
    storefront(company, [(zero_override, 1), (high_override, 10)])  # 4 > 0 is fine; 40 ≤ 40 is low
    assert [(i["name"], i["threshold"]) for i in LowStockAlert.objects.get().items] == [("High", 40)]


def test_alert_uses_the_company_default_threshold(company):
    company.low_stock_threshold = 20
    company.save(update_fields=["low_stock_threshold"])
    product = make_product(company, stock=30)
    storefront(company, [(product, 10)])
    assert LowStockAlert.objects.get().items[0]["threshold"] == 20


def test_dashboard_and_api_orders_owe_no_email(company):
    product = make_product(company, stock=10)
    place(company, [(product, 9)], channel=Channel.DASHBOARD)
    place(company, [(product, 1)], channel=Channel.API)
    assert not LowStockAlert.objects.exists()
    assert not DBTaskResult.objects.exists()
