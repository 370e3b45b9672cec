"""Orders: the list, an order's page with its status changes, and New order."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stockline.accounts.permissions import Perm
from stockline.catalog.errors import InsufficientStock, ProductUnavailable
from stockline.catalog.models import Product
from stockline.catalog.stock_rules import StockStatus, stock_status_expression
from stockline.core.channels import Channel
from stockline.dashboard import selectors
from stockline.dashboard.access import staff_view
from stockline.dashboard.audit_display import audit_lines
from stockline.dashboard.forms.orders import OrderDetailsForm, StatusChangeForm, parse_cart
from stockline.orders.errors import OrderError, OrderNotFound
from stockline.orders.lifecycle import RESTOCKABLE_STATUSES, OrderStatus, next_statuses
from stockline.orders.models import Order
from stockline.orders.services import order_place, order_status_change


@staff_view()
def order_list(request):
    filters = selectors.OrderFilters.from_params(request.GET)
    return render(
        request,
        "dashboard/orders/list.html",
        {
            "page_obj": selectors.orders_page(
                company_id=request.company.id, filters=filters, page_number=request.GET.get("page")
            ),
            "filters": filters,
            "status_counts": selectors.order_status_counts(company_id=request.company.id),
            "statuses": OrderStatus.choices,
        },
    )


@staff_view()
def order_detail(request, order_id):
    order = get_object_or_404(
        Order.objects.select_related("customer", "placed_by_user"), company=request.company, id=order_id
    )
    history = selectors.entity_history(company_id=request.company.id, entity_type="order", entity_id=order.id)
    return render(
        request,
        "dashboard/orders/detail.html",
        {
            "order": order,
            "lines": order.lines.all(),
            "next_statuses": [(s, OrderStatus(s).label) for s in next_statuses(order.status)],
            "restockable": RESTOCKABLE_STATUSES,
            "history": audit_lines(history),
        },
    )


@require_POST
@staff_view(Perm.MANAGE_ORDERS)
def order_status(request, order_id):
    get_object_or_404(Order, company=request.company, id=order_id)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Invalid order status.")
        return redirect("dashboard:order_detail", order_id=order_id)
    try:
        order = order_status_change(
            actor=request.actor,
            channel=Channel.DASHBOARD,
            order_id=order_id,
            status=form.cleaned_data["status"],
            restock=form.cleaned_data["restock"],
        )
    except OrderNotFound as exc:
        raise Http404(exc.message) from exc
    except OrderError as exc:
        messages.error(request, exc.message)
    else:
        text = f"Order {order.display_number} is now {order.get_status_display().lower()}"
        if form.cleaned_data["restock"] and order.restocked_at:
            text += "; its items are back in stock"
        messages.success(request, text + ".")
    return redirect("dashboard:order_detail", order_id=order_id)


def _cart_rows(company_id, lines) -> list[tuple[Product, int]]:
    """Posted cart lines with their products' current stock, for re-rendering after an error."""
    products = selectors.products_by_id(
        company_id=company_id, product_ids=[line.product_id for line in lines]
    )
    return [(products[line.product_id], line.quantity) for line in lines if line.product_id in products]


@staff_view(Perm.MANAGE_ORDERS)
def order_new(request):
    details = OrderDetailsForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []
    cart = []
    if request.method == "POST":
        posted = parse_cart(request.POST)
        cart = _cart_rows(request.company.id, posted.lines)
        if posted.error:
            errors = [posted.error]
        elif details.is_valid():
            try:
                order = order_place(
                    actor=request.actor,
                    channel=Channel.DASHBOARD,
                    lines=posted.lines,
                    po_number=details.cleaned_data["po_number"],
                    notes=details.cleaned_data["notes"],
                ).order
            except InsufficientStock as exc:
                errors = exc.messages
            except (ProductUnavailable, OrderError) as exc:
                errors = [exc.message]
            else:
                messages.success(request, f"Order {order.display_number} placed.")
                return redirect("dashboard:order_detail", order_id=order.id)
    q = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "dashboard/orders/new.html",
        {
            "details": details,
            "errors": errors,
            "cart": cart,
            "q": q,
            "picker": _picker_context(request.company.id, q),
        },
        status=422 if errors or details.errors else 200,
    )


def _picker_context(company_id, q: str) -> dict:
    products = selectors.picker_products(company_id=company_id, q=q)
    return {
        "products": products[: selectors.PICKER_LIMIT],
        "more": len(products) > selectors.PICKER_LIMIT,
        "q": q,
        "out": StockStatus.OUT_OF_STOCK,
        "low": StockStatus.LOW_STOCK,
    }


@staff_view(Perm.MANAGE_ORDERS)
def order_picker(request):
    q = request.GET.get("q", "").strip()[:200]
    return render(
        request, "dashboard/orders/_picker.html", {"picker": _picker_context(request.company.id, q)}
    )


@staff_view(Perm.MANAGE_ORDERS)
def order_cart_line(request, product_id):
    product = get_object_or_404(
        Product.objects.annotate(status=stock_status_expression()),
        company=request.company,
        id=product_id,
        is_active=True,
    )
    if product.status == StockStatus.OUT_OF_STOCK:
        return HttpResponse(f"{product.name} is out of stock.", status=409)
    return render(request, "dashboard/orders/_cart_line.html", {"product": product, "quantity": 1})
