"""POST /api/v1/stock-updates (issue 15): batch stock sync by SKU or id, atomic or item by
item, through the one stock writer; one audit entry per batch, API movements and
stock.changed events for what changed, nothing for no-op items."""

import pytest

from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.sync import SYNC_LIMIT
from stockline.events.models import Event, EventType
from tests.api.conftest import error_of
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def stock(product) -> int:
    return Product.objects.get(id=product.id).stock


@pytest.fixture
def shelf(company):
    return [make_product(company, sku=f"SYNC-{i}", stock=10 * (i + 1)) for i in range(4)]


def test_a_set_batch_by_sku_and_id_applies_and_reports_every_item(api, company, shelf):
    a, b, c, _ = shelf
    response = api.post(
        "/stock-updates",
        {
            "mode": "set",
            "reason": "nightly sync",
            "items": [
                {"sku": "SYNC-0", "stock": 7},
                {"productId": str(b.id), "stock": 20},  # already 20: unchanged, writes nothing
                {"sku": "SYNC-2", "stock": 0, "expectedStock": 30},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()["data"]
    assert (body["changed"], body["unchanged"], body["failed"]) == (2, 1, 0)
    assert [(i["index"], i["status"], i["stockBefore"], i["stockAfter"]) for i in body["items"]] == [
        (0, "applied", 10, 7),
        (1, "unchanged", 20, 20),
        (2, "applied", 30, 0),
    ]
    assert body["items"][1]["productId"] == str(b.id) and body["items"][1]["sku"] == "SYNC-1"
    assert [stock(p) for p in (a, b, c)] == [7, 20, 0]
    movements = StockMovement.objects.filter(reason=MovementReason.API)
    assert sorted((m.product_id, m.delta, m.note) for m in movements) == sorted(
        [(a.id, -3, "nightly sync"), (c.id, -30, "nightly sync")]
    )
    (entry,) = AuditEntry.objects.filter(action=AuditAction.PRODUCT_BULK_UPDATED)
    assert {m.audit_entry_id for m in movements} == {entry.id}
    assert (entry.metadata["changed"], entry.metadata["items"], entry.metadata["mode"]) == (2, 3, "set")
    assert Event.objects.filter(type=EventType.STOCK_CHANGED, data__reason="API").count() == 2


def test_an_atomic_batch_with_any_failing_item_changes_nothing_and_lists_every_failure(api, company, shelf):
    a, b, *_ = shelf
    before = (StockMovement.objects.count(), Event.objects.count(), AuditEntry.objects.count())
    response = api.post(
        "/stock-updates",
        {
            "mode": "delta",
            "items": [
                {"sku": "SYNC-0", "delta": 5},
                {"sku": "NOPE", "delta": 1},
                {"productId": str(b.id), "delta": -21},
                {"sku": "SYNC-0", "delta": 1},
            ],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "3 of the batch's items cannot be applied; nothing was changed."
    assert [(i["index"], i["error"]["code"]) for i in body["items"]] == [
        (1, "unknown_product"),
        (2, "below_zero"),
        (3, "duplicate"),
    ]
    assert body["items"][0]["error"]["message"] == "No SKU NOPE in this company."
    assert [stock(a), stock(b)] == [10, 20]
    assert (StockMovement.objects.count(), Event.objects.count(), AuditEntry.objects.count()) == before


def test_a_failed_expected_stock_makes_an_atomic_batch_a_409(api, shelf):
    response = api.post(
        "/stock-updates", {"mode": "set", "items": [{"sku": "SYNC-0", "stock": 1, "expectedStock": 11}]}
    )
    assert response.status_code == 409
    (item,) = response.json()["items"]
    assert item["error"] == {"code": "stock_conflict", "message": "Stock is 10, not the expected 11."}
    assert stock(shelf[0]) == 10


def test_a_non_atomic_batch_applies_what_it_can_and_reports_the_rest(api, shelf):
    response = api.post(
        "/stock-updates",
        {
            "mode": "delta",
            "atomic": False,
            "items": [
                {"sku": "SYNC-0", "delta": 5},
                {"sku": "GONE", "delta": 5},
                {"sku": "SYNC-1", "delta": -50},
                {"sku": "SYNC-2", "delta": -1, "expectedStock": 99},
                {"sku": "SYNC-3", "delta": -40},
            ],
        },
    )
    assert response.status_code == 200
    body = response.json()["data"]
    assert (body["changed"], body["unchanged"], body["failed"]) == (2, 0, 3)
    assert [(i["status"], i["error"] and i["error"]["code"]) for i in body["items"]] == [
        ("applied", None),
        ("failed", "unknown_product"),
        ("failed", "below_zero"),
        ("failed", "stock_conflict"),
        ("applied", None),
    ]
    assert [stock(p) for p in shelf] == [15, 20, 30, 0]
    assert body["items"][2]["stockBefore"] == body["items"][2]["stockAfter"] == 20


def test_another_companys_sku_and_id_are_unknown(api, other_company, shelf):
    theirs = make_product(other_company, sku="THEIRS", stock=5)
    response = api.post(
        "/stock-updates",
        {
            "mode": "set",
            "atomic": False,
            "items": [{"sku": "THEIRS", "stock": 1}, {"productId": str(theirs.id), "stock": 1}],
        },
    )
    assert [i["error"]["code"] for i in response.json()["data"]["items"]] == ["unknown_product"] * 2
    assert stock(theirs) == 5


def test_an_idempotent_retry_replays_the_answer_and_applies_once(api, shelf):
    body = {"mode": "delta", "items": [{"sku": "SYNC-0", "delta": 3}]}
    first = api.post("/stock-updates", body, headers={"Idempotency-Key": "sync-1"})
    again = api.post("/stock-updates", body, headers={"Idempotency-Key": "sync-1"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert stock(shelf[0]) == 13


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"mode": "set", "items": [{"sku": "SYNC-0", "stok": 1}]}, "Unknown field: items.0.stok."),
        ({"mode": "set", "items": [], "extra": 1, "more": 2}, "Unknown fields: extra, more."),
        ({"mode": "set", "items": []}, "Validation failed. items: Send at least one item."),
        (
            {"mode": "set", "items": [{"sku": "SYNC-0", "delta": 1}]},
            "items[0]: a set batch gives each item stock, not delta.",
        ),
        (
            {"mode": "delta", "items": [{"sku": "SYNC-0", "productId": None, "delta": 1, "stock": 2}]},
            "items[0]: a delta batch gives each item delta, not stock.",
        ),
        (
            {"mode": "set", "items": [{"stock": 1}]},
            "Validation failed. items: Item 0: give either sku or productId.",
        ),
        ({"mode": "replace", "items": []}, None),
    ],
)
def test_malformed_batches_get_a_clear_400_and_write_nothing(api, shelf, body, message):
    response = api.post("/stock-updates", body)
    if message is None:
        assert response.status_code == 400
    else:
        assert error_of(response, 400) == message
    assert StockMovement.objects.filter(reason=MovementReason.API).count() == 0


def test_a_batch_over_the_limit_is_refused(api, shelf):
    items = [{"sku": "SYNC-0", "stock": 1}] * (SYNC_LIMIT + 1)
    assert "at most 5,000 items" in error_of(api.post("/stock-updates", {"mode": "set", "items": items}), 400)


def test_a_batch_of_5000_skus_changes_only_what_differs_in_few_statements(
    api, company, django_assert_max_num_queries
):
    products = [make_product(company, sku=f"BULK-{i:05d}", stock=5) for i in range(SYNC_LIMIT)]
    items = [{"sku": p.sku, "stock": 6 if i % 10 == 0 else 5} for i, p in enumerate(products)]
    with django_assert_max_num_queries(30):
        response = api.post("/stock-updates", {"mode": "set", "items": items})
    assert response.json()["data"]["changed"] == 500
    assert Product.objects.filter(company=company, stock=6).count() == 500
    assert StockMovement.objects.filter(reason=MovementReason.API).count() == 500


def test_products_are_looked_up_by_sku_within_the_company(api, other_company, shelf):
    make_product(other_company, sku="SYNC-3")
    response = api.get("/products", {"sku": "SYNC-1, SYNC-3,NOPE"})
    assert sorted(p["sku"] for p in response.json()["data"]) == ["SYNC-1", "SYNC-3"]
    assert {p["id"] for p in response.json()["data"]} == {str(shelf[1].id), str(shelf[3].id)}
    too_many = ",".join(f"S{i}" for i in range(101))
    assert (
        error_of(api.get("/products", {"sku": too_many}), 400) == "sku takes 1 to 100 comma-separated SKUs."
    )
    assert error_of(api.get("/products", {"sku": " , "}), 400) == "sku takes 1 to 100 comma-separated SKUs."
