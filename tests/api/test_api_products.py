"""/api/v1/products: filters, create, patch (stock included, conditional), stock adjustments."""

from decimal import Decimal

import pytest

from stockline.catalog.models import Product, StockMovement
from tests.api.conftest import error_of
from tests.factories import make_product

PRODUCT_KEYS = {
    "id",
    "name",
    "sku",
    "description",
    "category",
    "unit",
    "price",
    "stock",
    "lowStockThreshold",
    "lowStockThresholdOverride",
    "stockStatus",
    "isActive",
    "createdAt",
    "updatedAt",
}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["name"] for p in response.json()["data"]}


# Listing and filters


def test_list_returns_products_in_wire_shape(api, company):
    make_product(company, name="Bolt", sku="B-1", category="Fasteners", price=Decimal("0.25"), stock=3)
    body = api.get("/products").json()
    assert body["pagination"] == {"hasMore": False, "nextCursor": None}
    (item,) = body["data"]
    assert set(item) == PRODUCT_KEYS
    assert item["name"] == "Bolt"
    assert item["sku"] == "B-1"
    assert item["category"] == "Fasteners"
    assert item["unit"] == "each"
    assert item["price"] == 0.25
    assert item["stock"] == 3
    assert item["lowStockThreshold"] == 5  # the company default
    assert item["lowStockThresholdOverride"] is None
    assert item["stockStatus"] == "LOW_STOCK"
    assert item["isActive"] is True


def test_search_matches_name_sku_category_and_description_case_insensitively(api, company):
    make_product(company, name="Hex Bolt", sku="HB-1")
    make_product(company, name="Washer", sku="WASH-BOLTLESS")
    make_product(company, name="Nut", category="Bolts & nuts")
    make_product(company, name="Rivet", description="Stronger than a BOLT")
    make_product(company, name="Screw")
    assert names(api.get("/products", {"search": "bolt"})) == {"Hex Bolt", "Washer", "Nut", "Rivet"}
    assert names(api.get("/products", {"search": "  screw "})) == {"Screw"}


def test_category_filter_is_an_exact_match(api, company):
    make_product(company, name="A", category="Tools")
    make_product(company, name="B", category="Power tools")
    assert names(api.get("/products", {"category": "Tools"})) == {"A"}
    assert names(api.get("/products", {"category": "tools"})) == set()


def test_active_filter_takes_true_or_false_and_ignores_anything_else(api, company):
    make_product(company, name="On")
    make_product(company, name="Off", is_active=False)
    assert names(api.get("/products", {"active": "true"})) == {"On"}
    assert names(api.get("/products", {"active": "false"})) == {"Off"}
    assert names(api.get("/products", {"active": "maybe"})) == {"On", "Off"}


def test_stock_status_filter_uses_each_products_effective_threshold(api, company):
    make_product(company, name="Empty", stock=0)
    make_product(company, name="Low by default", stock=5)
    make_product(company, name="Healthy by default", stock=6)
    make_product(company, name="Low by override", stock=20, low_stock_threshold=20)
    make_product(company, name="Healthy by override", stock=2, low_stock_threshold=1)
    assert names(api.get("/products", {"stockStatus": "OUT_OF_STOCK"})) == {"Empty"}
    assert names(api.get("/products", {"stockStatus": "LOW_STOCK"})) == {"Low by default", "Low by override"}
    assert names(api.get("/products", {"stockStatus": "IN_STOCK"})) == {
        "Healthy by default",
        "Healthy by override",
    }
    for item in api.get("/products").json()["data"]:
        status = api.get("/products", {"stockStatus": item["stockStatus"]}).json()["data"]
        assert item["id"] in {p["id"] for p in status}


def test_an_unknown_stock_status_is_a_400(api, company):
    message = error_of(api.get("/products", {"stockStatus": "low"}), 400)
    assert message == "Invalid stockStatus. Use IN_STOCK, LOW_STOCK or OUT_OF_STOCK."


def test_filters_combine(api, company):
    make_product(company, name="Red hammer", category="Tools", stock=0)
    make_product(company, name="Red saw", category="Tools", stock=50)
    make_product(company, name="Red paint", category="Paint", stock=0)
    params = {"search": "red", "category": "Tools", "stockStatus": "OUT_OF_STOCK", "active": "true"}
    assert names(api.get("/products", params)) == {"Red hammer"}


# One product


def test_get_one_product(api, company):
    product = make_product(company, name="Anvil", stock=9)
    response = api.get(f"/products/{product.id}")
    assert response.status_code == 200
    assert response.json()["data"]["id"] == str(product.id)
    assert response.json()["data"]["name"] == "Anvil"


@pytest.mark.parametrize("product_id", ["0190e6a4-0000-7000-8000-000000000000", "not-a-uuid", "123"])
def test_get_an_unknown_product_is_a_404(api, company, product_id):
    assert error_of(api.get(f"/products/{product_id}"), 404) == "Product not found."


# Create


def test_create_returns_201_with_the_product(api, company):
    response = api.post(
        "/products",
        {
            "name": "Pallet wrap",
            "sku": "PW-500",
            "description": "500 mm",
            "category": "Packaging",
            "unit": "roll",
            "price": "12.5",
            "stock": 40,
            "lowStockThreshold": 10,
            "isActive": False,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    product = Product.objects.get(id=data["id"], company=company)
    assert (product.name, product.sku, product.unit, product.stock) == ("Pallet wrap", "PW-500", "roll", 40)
    assert product.price == Decimal("12.50")
    assert product.low_stock_threshold == 10
    assert product.is_active is False
    assert data["price"] == 12.5
    assert data["lowStockThreshold"] == 10
    assert data["stockStatus"] == "IN_STOCK"


def test_create_with_only_name_and_price_uses_the_defaults(api, company):
    response = api.post("/products", {"name": "Plain", "price": 3})
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["stock"], data["unit"], data["isActive"], data["sku"]) == (0, "each", True, None)
    assert data["stockStatus"] == "OUT_OF_STOCK"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"price": 1}, "name is required"),
        ({"name": "X"}, "price is required"),
        ({"name": "X", "price": "abc"}, "price must be a number"),
        ({"name": "X", "price": -1}, "price must be at least 0"),
        ({"name": "X", "price": 1, "stock": -1}, "stock must be at least 0"),
        ({"name": "X", "price": 1, "stock": 2.5}, "stock must be a whole number"),
        ({"name": "X", "price": 1, "stock": "many"}, "stock must be a number"),
        ({"name": "X", "price": 1, "stock": True}, "stock must be a whole number"),
        ({"name": "X", "price": 1, "stock": 2**31}, "stock must be at most 2147483647"),
        ({"name": "X", "price": 1, "lowStockThreshold": -1}, "lowStockThreshold must be at least 0"),
        ({"name": "", "price": 1}, "Validation failed. name: This field cannot be blank."),
        ({"name": "X" * 201, "price": 1}, "Validation failed. name: Ensure this value has at most 200"),
        (
            {"name": "X", "price": 1, "unit": "u" * 21},
            "Validation failed. unit: Ensure this value has at most",
        ),
        ({"name": "Nul\x00", "price": 1}, "name must not contain NUL characters"),
        ({"name": "X", "price": 1, "description": "\x00"}, "description must not contain NUL characters"),
    ],
)
def test_create_refuses_bad_input_with_a_400(api, company, body, message):
    assert error_of(api.post("/products", body), 400).startswith(message)
    assert not Product.objects.filter(company=company).exists()


def test_create_refuses_a_duplicate_sku(api, company):
    make_product(company, sku="DUP-1")
    message = error_of(api.post("/products", {"name": "Copy", "price": 1, "sku": "DUP-1"}), 400)
    assert message == "Validation failed. sku: A product with this SKU already exists."


@pytest.mark.parametrize("body", ["{not json", "", "[1, 2]", "null", '"text"'])
def test_create_refuses_a_body_that_is_not_a_json_object(api, company, body):
    message = error_of(api.post("/products", body), 400)
    assert message == "Invalid JSON body."


# Patch


def test_patch_changes_any_field(api, company):
    product = make_product(company, name="Old", sku="OLD", stock=10)
    changes = {
        "name": "New",
        "sku": "NEW-1",
        "description": "Described",
        "category": "Cat",
        "unit": "box",
        "price": "2.75",
        "stock": 3,
        "lowStockThreshold": 2,
        "isActive": False,
    }
    response = api.patch(f"/products/{product.id}", changes)
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    for key, value in changes.items():
        expected = float(value) if key == "price" else value
        assert data[key] == expected, key
    assert data["stockStatus"] == "IN_STOCK"  # 3 > override 2
    product.refresh_from_db()
    assert (product.name, product.stock, product.low_stock_threshold) == ("New", 3, 2)


def test_patch_leaves_fields_not_sent_alone(api, company):
    product = make_product(company, name="Keep", sku="KEEP", category="C", stock=10)
    response = api.patch(f"/products/{product.id}", {"price": "99"})
    assert response.status_code == 200
    product.refresh_from_db()
    assert (product.name, product.sku, product.category, product.stock) == ("Keep", "KEEP", "C", 10)
    assert product.price == Decimal("99.00")


def test_patch_clears_optional_fields_with_null(api, company):
    product = make_product(company, sku="S", category="C", description="D", low_stock_threshold=3)
    body = {"sku": None, "category": None, "description": None, "lowStockThreshold": None}
    data = api.patch(f"/products/{product.id}", body).json()["data"]
    assert (data["sku"], data["category"], data["description"]) == (None, None, None)
    assert data["lowStockThresholdOverride"] is None
    assert data["lowStockThreshold"] == 5


@pytest.mark.parametrize("field", ["name", "price", "stock", "unit", "isActive"])
def test_patch_refuses_null_for_a_required_field(api, company, field):
    product = make_product(company)
    assert error_of(api.patch(f"/products/{product.id}", {field: None}), 400) == f"{field} cannot be null"


def test_patch_refuses_negative_stock_instead_of_clamping(api, company):
    product = make_product(company, stock=4)
    assert error_of(api.patch(f"/products/{product.id}", {"stock": -1}), 400) == "stock must be at least 0"
    product.refresh_from_db()
    assert product.stock == 4


def test_patch_stock_writes_one_ledger_movement(api, company):
    product = make_product(company, stock=10)
    api.patch(f"/products/{product.id}", {"stock": 25})
    movement = StockMovement.objects.filter(product=product).order_by("created_at", "id").last()
    assert (movement.stock_before, movement.stock_after, movement.delta) == (10, 25, 15)


def test_patch_with_matching_expected_stock_sets_the_stock(api, company):
    product = make_product(company, stock=10)
    response = api.patch(f"/products/{product.id}", {"stock": 12, "expectedStock": 10})
    assert response.status_code == 200
    assert response.json()["data"]["stock"] == 12


def test_patch_with_stale_expected_stock_is_a_409_and_changes_nothing(api, company):
    product = make_product(company, name="Widget", stock=10)
    response = api.patch(f"/products/{product.id}", {"stock": 12, "expectedStock": 11, "name": "Changed"})
    assert error_of(response, 409) == "Stock changed: expected 11, but it is now 10."
    assert response.json()["currentStock"] == 10
    product.refresh_from_db()
    assert (product.stock, product.name) == (10, "Widget")


def test_expected_stock_without_stock_is_a_400(api, company):
    product = make_product(company, stock=10)
    message = error_of(api.patch(f"/products/{product.id}", {"expectedStock": 10}), 400)
    assert message == "expectedStock can only be used together with stock."


def test_patch_refuses_a_duplicate_sku(api, company):
    make_product(company, sku="TAKEN")
    product = make_product(company, sku="MINE")
    message = error_of(api.patch(f"/products/{product.id}", {"sku": "TAKEN"}), 400)
    assert message == "Validation failed. sku: A product with this SKU already exists."


def test_patch_an_unknown_product_is_a_404(api, company):
    response = api.patch("/products/0190e6a4-0000-7000-8000-000000000000", {"stock": 1})
    assert error_of(response, 404) == "Product not found."


# Stock adjustments


def test_stock_adjustment_returns_201_with_the_movement_and_the_product(api, company):
    product = make_product(company, stock=10)
    response = api.post(f"/products/{product.id}/stock-adjustments", {"delta": -4, "reason": "Damaged"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["data"]["productId"] == str(product.id)
    assert (body["data"]["delta"], body["data"]["stockBefore"], body["data"]["stockAfter"]) == (-4, 10, 6)
    assert body["data"]["reason"] == "Damaged"
    assert body["product"]["stock"] == 6
    product.refresh_from_db()
    assert product.stock == 6
    movement = StockMovement.objects.filter(product=product).order_by("created_at", "id").last()
    assert (movement.delta, movement.note) == (-4, "Damaged")


def test_stock_adjustment_may_take_stock_to_exactly_zero(api, company):
    product = make_product(company, stock=3)
    response = api.post(f"/products/{product.id}/stock-adjustments", {"delta": -3})
    assert response.status_code == 201
    assert response.json()["product"]["stockStatus"] == "OUT_OF_STOCK"


def test_stock_adjustment_below_zero_is_a_422_and_changes_nothing(api, company):
    product = make_product(company, name="Crate", stock=3)
    response = api.post(f"/products/{product.id}/stock-adjustments", {"delta": -4})
    assert error_of(response, 422) == "Cannot adjust stock of Crate by -4: only 3 in stock."
    assert response.json()["currentStock"] == 3
    product.refresh_from_db()
    assert product.stock == 3
    assert not StockMovement.objects.filter(product=product, delta=-4).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "delta is required"),
        ({"delta": 0}, "Validation failed. delta: delta must not be zero."),
        ({"delta": 1.5}, "delta must be a whole number"),
        ({"delta": "x"}, "delta must be a number"),
        ({"delta": True}, "delta must be a whole number"),
        ({"delta": 10**12}, "delta must be at most 2147483647"),
        ({"delta": -(10**30)}, "delta must be at least -2147483647"),
        ({"delta": 1, "reason": "r" * 201}, "reason: String should have at most 200 characters"),
        ({"delta": 1, "reason": "a\x00b"}, "reason must not contain NUL characters"),
    ],
)
def test_stock_adjustment_refuses_bad_input_with_a_400(api, company, body, message):
    product = make_product(company, stock=3)
    assert error_of(api.post(f"/products/{product.id}/stock-adjustments", body), 400) == message
    product.refresh_from_db()
    assert product.stock == 3


def test_stock_adjustment_of_an_unknown_product_is_a_404(api, company):
    response = api.post("/products/0190e6a4-0000-7000-8000-000000000000/stock-adjustments", {"delta": 1})
    assert error_of(response, 404) == "Product not found."


def test_an_adjustment_past_the_largest_storable_stock_is_refused_not_a_server_error(api, company):
    product = make_product(company, stock=2_147_483_000)
    response = api.post(f"/products/{product.id}/stock-adjustments", {"delta": 2_000})
    assert error_of(response, 400) == "Validation failed. delta: Stock cannot exceed 2147483647."
    product.refresh_from_db()
    assert product.stock == 2_147_483_000
