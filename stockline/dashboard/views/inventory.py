"""Inventory: the product list with bulk actions, product create / edit, and the product page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stockline.accounts.permissions import Perm
from stockline.catalog.errors import BulkSelectionTooLarge, ProductUnavailable, StockConflict
from stockline.catalog.models import Product
from stockline.catalog.services import (
    BULK_LIMIT,
    product_bulk_set_active,
    product_create,
    product_update,
    stock_bulk_adjust,
    stock_bulk_preview,
)
from stockline.catalog.stock_rules import StockStatus, stock_status_expression
from stockline.core.channels import Channel
from stockline.dashboard import selectors
from stockline.dashboard.access import staff_view
from stockline.dashboard.charts import stock_history_chart
from stockline.dashboard.forms.inventory import BulkActionForm, ProductForm, parse_ids

# The confirmation lists this many changed products; the counts cover all of them.
CONFIRM_LIST_LIMIT = 50
_LIST_PARAMS = ("q", "status", "active", "sort", "page")


def _list_url(params) -> str:
    """The inventory list with the filters the user came from (known keys only)."""
    query = urlencode({k: params[k] for k in _LIST_PARAMS if params.get(k)})
    url = reverse("dashboard:inventory")
    return f"{url}?{query}" if query else url


@staff_view()
def inventory_list(request):
    filters = selectors.InventoryFilters.from_params(request.GET)
    page = selectors.inventory_page(
        company=request.company, filters=filters, page_number=request.GET.get("page")
    )
    return render(
        request,
        "dashboard/inventory/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": StockStatus.choices,
            "list_query": request.GET.urlencode(),
            "bulk_limit": BULK_LIMIT,
        },
    )


def _bulk_selection(request, form: BulkActionForm) -> list:
    """The selected product ids: ticked rows, or every product matching the posted filters
    (one more than the services take, so that they refuse a selection over their limit)."""
    if form.cleaned_data["all_matching"]:
        filters = selectors.InventoryFilters.from_params(request.POST)
        products = selectors.inventory_products(company=request.company, filters=filters)
        return list(products.values_list("id", flat=True)[: BULK_LIMIT + 1])
    return parse_ids(request.POST.getlist("ids"))


@require_POST
@staff_view(Perm.MANAGE_PRODUCTS)
def inventory_bulk(request):
    back = QueryDict(request.POST.get("list_query", ""))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_list_url(back))
    ids = _bulk_selection(request, form)
    action, value = form.cleaned_data["action"], form.cleaned_data["value"]
    try:
        if form.stock_mode is None:
            is_active = action == "activate"
            changed = product_bulk_set_active(
                actor=request.actor, channel=Channel.DASHBOARD, product_ids=ids, is_active=is_active
            )
            verb = "activated" if is_active else "deactivated"
            messages.success(request, f"{changed} product{'s' if changed != 1 else ''} {verb}.")
            return redirect(_list_url(back))
        if request.POST.get("confirm") != "1":
            plan = stock_bulk_preview(actor=request.actor, product_ids=ids, mode=form.stock_mode, value=value)
            return render(
                request,
                "dashboard/inventory/bulk_confirm.html",
                {
                    "plan": plan,
                    "selected": len(ids),
                    "shown_changes": plan.changes[:CONFIRM_LIST_LIMIT],
                    "form": form,
                    "ids": [] if form.cleaned_data["all_matching"] else ids,
                    "back_url": _list_url(back),
                    "post": request.POST,
                },
            )
        plan = stock_bulk_adjust(
            actor=request.actor, channel=Channel.DASHBOARD, product_ids=ids, mode=form.stock_mode, value=value
        )
    except BulkSelectionTooLarge as exc:
        messages.error(request, exc.message)
        return redirect(_list_url(back))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_list_url(back))
    except ProductUnavailable as exc:
        raise Http404(exc.message) from exc
    text = f"Stock updated on {len(plan.changes)} product{'s' if len(plan.changes) != 1 else ''}"
    if plan.clamped:
        text += f" ({len(plan.clamped)} clamped at 0)"
    if plan.unchanged:
        text += f"; {plan.unchanged} already at that level"
    messages.success(request, text + ".")
    return redirect(_list_url(back))


@staff_view(Perm.MANAGE_PRODUCTS)
def product_new(request):
    form = ProductForm(request.POST if request.method == "POST" else None, company=request.company)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_create(actor=request.actor, channel=Channel.DASHBOARD, **form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Product “{product.name}” created.")
            return redirect("dashboard:inventory")
    return render(request, "dashboard/inventory/form.html", {"form": form, "product": None})


@staff_view(Perm.MANAGE_PRODUCTS)
def product_edit(request, product_id):
    product = get_object_or_404(
        Product.objects.select_related("company"), company=request.company, id=product_id
    )
    form = ProductForm(
        request.POST if request.method == "POST" else None, company=request.company, product=product
    )
    if request.method == "POST" and form.is_valid():
        changes, expected_stock = form.changes()
        try:
            product = product_update(
                actor=request.actor,
                channel=Channel.DASHBOARD,
                product_id=product.id,
                changes=changes,
                expected_stock=expected_stock,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except StockConflict as exc:
            # Someone sold or adjusted meanwhile: show the new level, never overwrite it blindly.
            data = request.POST.copy()
            data["stock_original"] = exc.actual
            form = ProductForm(data, company=request.company, product=product)
            form.is_valid()
            form.add_error("stock", f"{exc.message} Check the value and save again.")
        except ProductUnavailable as exc:
            raise Http404(exc.message) from exc
        else:
            messages.success(request, f"Changes to “{product.name}” saved.")
            return redirect("dashboard:product_detail", product_id=product.id)
    return render(request, "dashboard/inventory/form.html", {"form": form, "product": product})


@staff_view()
def product_detail(request, product_id):
    product = get_object_or_404(
        Product.objects.select_related("company").annotate(status=stock_status_expression()),
        company=request.company,
        id=product_id,
    )
    return render(
        request,
        "dashboard/inventory/detail.html",
        {
            "product": product,
            "chart": stock_history_chart(
                selectors.product_stock_series(product=product), threshold=product.effective_threshold
            ),
            "movements": selectors.product_movements_page(
                product=product, page_number=request.GET.get("page")
            ),
        },
    )
