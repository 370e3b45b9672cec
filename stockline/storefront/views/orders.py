"""The customer's own orders: history and one order (also the confirmation after checkout)."""

from django.http import Http404
from django.shortcuts import render

from stockline.storefront import selectors
from stockline.storefront.access import customer_page


@customer_page
def order_list(request):
    page = selectors.customer_orders_page(customer=request.customer, page_number=request.GET.get("page"))
    return render(request, "storefront/orders/list.html", {"page_obj": page})


@customer_page
def order_detail(request, order_id):
    order = selectors.customer_order(customer=request.customer, order_id=order_id)
    if order is None:  # another customer's, another store's, or none: the same 404
        raise Http404("Order not found.")
    return render(request, "storefront/orders/detail.html", {"order": order, "lines": order.lines.all()})
