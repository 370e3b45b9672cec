"""The catalog and the product page."""

from django.http import Http404
from django.shortcuts import render

from stockline.storefront import selectors
from stockline.storefront.access import customer_page


@customer_page
def catalog(request):
    filters = selectors.CatalogFilters.from_params(request.GET)
    page = selectors.catalog_page(
        company_id=request.company.id, filters=filters, page_number=request.GET.get("page")
    )
    return render(
        request,
        "storefront/catalog/list.html",
        {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            "rows": selectors.catalog_rows(customer=request.customer, products=page),
            "filters": filters,
            "categories": selectors.catalog_categories(company_id=request.company.id),
        },
    )


@customer_page
def product_detail(request, product_id):
    product = selectors.catalog_product(company_id=request.company.id, product_id=product_id)
    if product is None:  # inactive, another store's, or none: the same 404
        raise Http404("Product not found.")
    (row,) = selectors.catalog_rows(customer=request.customer, products=[product])
    return render(request, "storefront/catalog/product.html", {"product": product, "row": row})
