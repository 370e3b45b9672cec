"""What the stock core has written, to prove a refused operation wrote nothing."""

from django_tasks_db.models import DBTaskResult

from stockline.audit.models import AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.notifications.models import LowStockAlert
from stockline.orders.models import Order, OrderLine


def rows_written() -> dict:
    """Row counts of every table a stock operation writes, and every product's stock and fields."""
    return {
        "orders": Order.objects.count(),
        "order_lines": OrderLine.objects.count(),
        "movements": StockMovement.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "low_stock_alerts": LowStockAlert.objects.count(),
        "jobs": DBTaskResult.objects.count(),
        "products": {
            p["id"]: p
            for p in Product.objects.values(
                "id", "name", "sku", "price", "stock", "low_stock_threshold", "is_active", "updated_at"
            )
        },
    }
