"""Inventory list, bulk Stock / activate actions, product forms and the product page (SPEC §2–§4)."""

from decimal import Decimal

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from stockline.dashboard.selectors import INVENTORY_PAGE_SIZE
from stockline.dashboard.views.inventory import BULK_LIMIT
from tests.factories import make_product, owner_actor


def rows(response) -> list[str]:
    return [p.name for p in response.context["page_obj"]]


def test_list_searches_name_sku_and_category(owner_client, company):
    make_product(company, name="Blue Widget", sku="BW-1")
    make_product(company, name="Red Gadget", sku="RG-1", category="Widgets")
    make_product(company, name="Green Thing", sku="XYZ-9")
    assert rows(owner_client.get("/dashboard/inventory?q=widget")) == ["Blue Widget", "Red Gadget"]
    assert rows(owner_client.get("/dashboard/inventory?q=xyz")) == ["Green Thing"]


def test_list_filters_by_stock_status_and_active_flag(owner_client, company):
    make_product(company, name="Out", stock=0)
    make_product(company, name="Low", stock=5)
    make_product(company, name="Own threshold", stock=8, low_stock_threshold=10)
    make_product(company, name="Healthy", stock=6)
    make_product(company, name="Hidden", stock=0, is_active=False)
    assert rows(owner_client.get("/dashboard/inventory?status=OUT_OF_STOCK")) == ["Hidden", "Out"]
    assert rows(owner_client.get("/dashboard/inventory?status=OUT_OF_STOCK&active=active")) == ["Out"]
    assert rows(owner_client.get("/dashboard/inventory?status=LOW_STOCK")) == ["Low", "Own threshold"]
    assert rows(owner_client.get("/dashboard/inventory?status=IN_STOCK")) == ["Healthy"]
    assert rows(owner_client.get("/dashboard/inventory?active=inactive")) == ["Hidden"]


def test_list_ignores_unknown_filter_values(owner_client, company):
    make_product(company, name="Anything")
    response = owner_client.get("/dashboard/inventory?status=BOGUS&active=maybe&sort=price&page=zzz")
    assert response.status_code == 200 and rows(response) == ["Anything"]


def test_stock_cell_is_red_at_zero_and_yellow_when_low(owner_client, company):
    make_product(company, name="Zero", sku="Z", stock=0)
    make_product(company, name="Few", sku="F", stock=3)
    make_product(company, name="Plenty", sku="P", stock=300)
    html = owner_client.get("/dashboard/inventory").content.decode()
    row = {sku: html.split(f'data-product-row="{sku}"')[1].split("</tr>")[0] for sku in "ZFP"}
    assert "stock-out" in row["Z"] and "stock-low" not in row["Z"]
    assert "stock-low" in row["F"]
    assert "stock-out" not in row["P"] and "stock-low" not in row["P"]


def test_list_paginates(owner_client, company):
    Product.objects.bulk_create(
        Product(company=company, name=f"P{i:03d}", price=Decimal("1.00"), stock=1)
        for i in range(INVENTORY_PAGE_SIZE + 3)
    )
    first = owner_client.get("/dashboard/inventory")
    second = owner_client.get("/dashboard/inventory?page=2")
    assert len(rows(first)) == INVENTORY_PAGE_SIZE
    assert rows(second) == ["P050", "P051", "P052"]
    assert first.context["page_obj"].paginator.count == INVENTORY_PAGE_SIZE + 3


def test_bulk_delta_preview_lists_changes_and_clamped_products_without_writing(owner_client, company):
    few = make_product(company, name="Few", stock=3)
    many = make_product(company, name="Many", stock=20)
    response = owner_client.post(
        "/dashboard/inventory/bulk",
        {"action": "stock_delta", "value": "-5", "ids": [str(few.id), str(many.id)]},
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert len(plan.changes) == 2
    assert [c.name for c in plan.clamped] == ["Few"]
    assert "1 product would go below zero" in response.content.decode()
    few.refresh_from_db()
    assert few.stock == 3


def test_bulk_delta_apply_clamps_at_zero_and_logs_the_applied_delta(owner_client, company):
    few = make_product(company, name="Few", stock=3)
    many = make_product(company, name="Many", stock=20)
    response = owner_client.post(
        "/dashboard/inventory/bulk",
        {
            "action": "stock_delta",
            "value": "-5",
            "ids": [str(few.id), str(many.id)],
            "confirm": "1",
            "list_query": "q=a",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/dashboard/inventory?q=a"
    assert "Stock updated on 2 products (1 clamped at 0)" in response.content.decode()
    few.refresh_from_db()
    many.refresh_from_db()
    assert (few.stock, many.stock) == (0, 15)
    movement = StockMovement.objects.get(product=few, reason=MovementReason.BULK_DELTA)
    assert movement.delta == -3
    assert AuditEntry.objects.filter(action=AuditAction.PRODUCT_BULK_UPDATED).count() == 1


def test_bulk_set_applies_to_every_product_matching_the_filters(owner_client, company):
    low = [make_product(company, name=f"Low {i}", stock=2) for i in range(3)]
    healthy = make_product(company, name="Healthy", stock=50)
    owner_client.post(
        "/dashboard/inventory/bulk",
        {"action": "stock_set", "value": "40", "all_matching": "1", "status": "LOW_STOCK", "confirm": "1"},
    )
    assert {p.stock for p in Product.objects.filter(id__in=[p.id for p in low])} == {40}
    healthy.refresh_from_db()
    assert healthy.stock == 50


def test_bulk_refuses_negative_set_and_zero_delta(owner_client, company):
    product = make_product(company, stock=4)
    for action, value in [("stock_set", "-1"), ("stock_delta", "0"), ("stock_set", "")]:
        response = owner_client.post(
            "/dashboard/inventory/bulk",
            {"action": action, "value": value, "ids": [str(product.id)], "confirm": "1"},
            follow=True,
        )
        assert response.context["messages"]
    product.refresh_from_db()
    assert product.stock == 4


def test_bulk_needs_a_selection(owner_client, company):
    response = owner_client.post("/dashboard/inventory/bulk", {"action": "activate"}, follow=True)
    assert "Select at least one product." in response.content.decode()


def test_bulk_is_capped(owner_client, company, monkeypatch):
    monkeypatch.setattr("stockline.catalog.services.BULK_LIMIT", 2)
    for _ in range(3):
        make_product(company, stock=1)
    response = owner_client.post(
        "/dashboard/inventory/bulk", {"action": "stock_set", "value": "9", "all_matching": "1"}, follow=True
    )
    assert "at most 2 products" in response.content.decode()
    assert BULK_LIMIT == 10_000


def test_bulk_deactivate_and_activate(owner_client, company):
    a = make_product(company, name="A")
    b = make_product(company, name="B")
    response = owner_client.post(
        "/dashboard/inventory/bulk", {"action": "deactivate", "ids": [str(a.id), str(b.id)]}, follow=True
    )
    assert "2 products deactivated." in response.content.decode()
    assert not Product.objects.filter(id__in=[a.id, b.id], is_active=True).exists()
    owner_client.post("/dashboard/inventory/bulk", {"action": "activate", "ids": [str(a.id)]})
    a.refresh_from_db()
    assert a.is_active


def test_new_product_with_every_field(owner_client, company):
    response = owner_client.post(
        "/dashboard/inventory/new",
        {
            "name": "Pallet Wrap",
            "sku": " PW-1 ",
            "category": "Packaging",
            "unit": "roll",
            "price": "12.50",
            "stock": "40",
            "low_stock_threshold": "8",
            "is_active": "on",
            "description": "500 mm wide",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(company=company, sku="PW-1")
    assert (product.unit, product.price, product.stock, product.low_stock_threshold) == (
        "roll",
        Decimal("12.50"),
        40,
        8,
    )
    assert product.is_active and product.description == "500 mm wide"
    assert AuditEntry.objects.filter(action=AuditAction.PRODUCT_CREATED, entity_id=str(product.id)).exists()


def test_new_product_validation_errors(owner_client, company):
    make_product(company, sku="TAKEN")
    cases = [
        ({"stock": "-1"}, "stock", "Stock cannot be negative."),
        ({"stock": "1.5"}, "stock", "Enter a whole number."),
        ({"price": "-0.01"}, "price", None),
        ({"price": "1.234"}, "price", None),
        ({"name": ""}, "name", None),
        ({"name": "x" * 201}, "name", None),
        ({"sku": "x" * 101}, "sku", None),
        ({"description": "x" * 2001}, "description", None),
        ({"unit": "gallon"}, "unit", None),
        ({"low_stock_threshold": "-2"}, "low_stock_threshold", None),
        ({"sku": "TAKEN"}, "sku", "A product with this SKU already exists."),
    ]
    for change, field, message in cases:
        data = {"name": "Ok", "unit": "each", "price": "1.00", "stock": "1", **change}
        response = owner_client.post("/dashboard/inventory/new", data)
        assert response.status_code == 200, change
        errors = response.context["form"].errors
        assert field in errors, (change, errors)
        if message:
            assert message in errors[field]
    assert Product.objects.filter(company=company).count() == 1


def test_edit_changes_stock_with_an_audit_entry_and_a_ledger_row(owner_client, company):
    product = make_product(company, name="Tape", stock=10, unit="box")
    form = owner_client.get(f"/dashboard/inventory/{product.id}/edit").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"stock": "25", "is_active": "on", "sku": product.sku})
    response = owner_client.post(f"/dashboard/inventory/{product.id}/edit", data)
    assert response.status_code == 302 and response.url == f"/dashboard/inventory/{product.id}"
    product.refresh_from_db()
    assert product.stock == 25
    entry = AuditEntry.objects.get(action=AuditAction.PRODUCT_UPDATED, entity_id=str(product.id))
    assert entry.metadata["changes"] == {"stock": [10, 25]}
    page = owner_client.get(f"/dashboard/inventory/{product.id}").content.decode()
    assert "10 → 25" in page


def test_edit_without_touching_stock_never_overwrites_a_sale_made_meanwhile(owner_client, company):
    product = make_product(company, name="Tape", stock=10)
    product_update(
        actor=owner_actor(company), channel=Channel.API, product_id=product.id, changes={"stock": 7}
    )
    data = {
        "name": "Tape renamed",
        "unit": "each",
        "price": "10.00",
        "stock": "10",
        "stock_original": "10",
        "is_active": "on",
    }
    owner_client.post(f"/dashboard/inventory/{product.id}/edit", data)
    product.refresh_from_db()
    assert (product.name, product.stock) == ("Tape renamed", 7)


def test_edit_of_stock_that_changed_meanwhile_is_refused_with_the_new_level(owner_client, company):
    product = make_product(company, name="Tape", stock=10)
    product_update(
        actor=owner_actor(company), channel=Channel.API, product_id=product.id, changes={"stock": 7}
    )
    data = {
        "name": "Tape",
        "unit": "each",
        "price": "10.00",
        "stock": "30",
        "stock_original": "10",
        "is_active": "on",
    }
    response = owner_client.post(f"/dashboard/inventory/{product.id}/edit", data)
    assert response.status_code == 200
    assert "Stock changed: expected 10, but it is now 7." in response.content.decode()
    assert response.context["form"]["stock_original"].value() == 7
    product.refresh_from_db()
    assert product.stock == 7


def test_edit_keeps_a_unit_set_through_the_api(owner_client, company):
    product = make_product(company, unit="drum")
    form = owner_client.get(f"/dashboard/inventory/{product.id}/edit").context["form"]
    assert ("drum", "drum") in form.fields["unit"].choices


def test_product_page_shows_the_ledger_with_who_why_and_before_after(owner_client, company, owner):
    product = make_product(company, stock=12)
    product_update(
        actor=owner_actor(company), channel=Channel.DASHBOARD, product_id=product.id, changes={"stock": 4}
    )
    response = owner_client.get(f"/dashboard/inventory/{product.id}")
    html = response.content.decode()
    assert response.context["chart"] is not None and len(response.context["chart"].points) == 2
    assert "12 → 4" in html and "0 → 12" in html and owner.user.name in html and "Edited" in html
    assert "Low stock" in html


def test_numbers_beyond_the_database_integer_are_refused_by_the_forms(owner_client, company):
    product = make_product(company, stock=4)
    response = owner_client.post(
        "/dashboard/inventory/new", {"name": "Huge", "unit": "each", "price": "1", "stock": "2147483648"}
    )
    assert "stock" in response.context["form"].errors
    response = owner_client.post(
        "/dashboard/inventory/bulk",
        {"action": "stock_delta", "value": "-9999999999", "ids": [str(product.id)], "confirm": "1"},
        follow=True,
    )
    assert "between -2,147,483,647 and 2,147,483,647" in response.content.decode()
    product.refresh_from_db()
    assert product.stock == 4


def test_inventory_links_to_csv_import_and_export(owner_client, company):
    html = owner_client.get("/dashboard/inventory").content.decode()
    assert 'href="/dashboard/inventory/import"' in html and 'href="/dashboard/inventory/export"' in html


def test_list_sorts_by_name_or_newest(owner_client, company):
    for name in ["Bravo", "Alpha", "Charlie"]:
        make_product(company, name=name)
    assert rows(owner_client.get("/dashboard/inventory")) == ["Alpha", "Bravo", "Charlie"]
    assert rows(owner_client.get("/dashboard/inventory?sort=newest")) == ["Charlie", "Alpha", "Bravo"]
