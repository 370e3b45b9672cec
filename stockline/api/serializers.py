"""Model → wire dicts. Stock status comes from catalog.stock_rules, never re-derived here."""

from stockline.catalog.models import Product
from stockline.catalog.stock_rules import effective_threshold, stock_status
from stockline.customers.models import Customer
from stockline.orders.models import Order


def product_json(product: Product, *, company_threshold: int) -> dict:
    threshold = effective_threshold(override=product.low_stock_threshold, company_default=company_threshold)
    return {
        "id": product.id,
        "name": product.name,
        "sku": product.sku,
        "description": product.description or None,
        "category": product.category or None,
        "unit": product.unit,
        "price": float(product.price),
        "stock": product.stock,
        "lowStockThreshold": threshold,
        "lowStockThresholdOverride": product.low_stock_threshold,
        "stockStatus": stock_status(stock=product.stock, threshold=threshold),
        "isActive": product.is_active,
        "createdAt": product.created_at,
        "updatedAt": product.updated_at,
    }


def order_json(order: Order, lines=None) -> dict:
    lines = order.lines.all() if lines is None else lines
    return {
        "id": order.id,
        "number": order.display_number,
        "status": order.status,
        "channel": order.channel,
        "customerId": order.customer_id,
        "poNumber": order.po_number or None,
        "notes": order.notes or None,
        "total": float(order.total),
        "createdAt": order.created_at,
        "updatedAt": order.updated_at,
        "items": [
            {
                "id": line.id,
                "productId": line.product_id,
                "productName": line.product_name,
                "productSku": line.product_sku,
                "quantity": line.quantity,
                "unitPrice": float(line.unit_price),
            }
            for line in lines
        ],
    }


def customer_json(customer: Customer) -> dict:
    return {
        "id": customer.id,
        "email": customer.email,
        "name": customer.name,
        "status": customer.status,
        "createdAt": customer.created_at,
        "updatedAt": customer.updated_at,
    }
