"""Apply: every row of a clean preview written in one transaction, with its ledger and audit trail."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stockline.audit.actors import ActorType
from stockline.audit.models import AuditAction, AuditEntry
from stockline.catalog.ledger import ledger_reconciles
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.catalog.services import product_update
from stockline.core.channels import Channel
from stockline.imports import services
from stockline.imports.errors import FileChanged, ImportConflict, ImportHasErrors, ImportStale
from stockline.imports.models import ImportStatus
from stockline.imports.services import import_file_apply, import_preview
from stockline.imports.skus import FileSkus
from tests.factories import make_product, place
from tests.imports.support import csv_bytes, import_now, row, written

pytestmark = pytest.mark.django_db


def product(company, sku):
    return Product.objects.get(company=company, sku=sku)


def test_apply_creates_and_updates_the_products_as_previewed(company, actor):
    make_product(company, sku="OLD", name="Old name", price=Decimal("1.00"), stock=5)
    data = csv_bytes(
        [
            row("OLD", "New name", "Desc", "Tools", "box", "2.50", "7", "false"),
            row("NEW", "Fresh", price="3", stock="4"),
        ]
    )
    _, batch = import_now(actor, data)
    old, new = product(company, "OLD"), product(company, "NEW")
    assert (old.name, old.description, old.category, old.unit, old.price, old.stock, old.is_active) == (
        "New name",
        "Desc",
        "Tools",
        "box",
        Decimal("2.50"),
        7,
        False,
    )
    assert (new.name, new.unit, new.price, new.stock, new.is_active, new.low_stock_threshold) == (
        "Fresh",
        "each",
        Decimal("3.00"),
        4,
        True,
        None,
    )
    assert batch.status == ImportStatus.APPLIED
    assert batch.result | {"audit_entry": None} == {
        "rows": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "stock_changes": 1,
        "audit_entry": None,
    }


def test_new_products_take_the_defaults_for_columns_the_file_lacks(company, actor):
    import_now(actor, csv_bytes([["A", "Widget", "1.00", "2"]], header=["sku", "name", "price", "stock"]))
    new = product(company, "A")
    assert (new.description, new.category, new.unit, new.is_active) == ("", "", "each", True)


def test_updates_change_only_each_products_own_fields(company, actor):
    make_product(company, sku="A", name="Apple", price=Decimal("1.00"), stock=1, category="Fruit")
    make_product(company, sku="B", name="Banana", price=Decimal("2.00"), stock=2, category="Fruit")
    import_now(
        actor,
        csv_bytes(
            [["A", "Apricot", "1.00", "1"], ["B", "Banana", "2.20", "2"]],
            header=["sku", "name", "price", "stock"],
        ),
    )
    a, b = product(company, "A"), product(company, "B")
    assert (a.name, a.price, a.category) == ("Apricot", Decimal("1.00"), "Fruit")
    assert (b.name, b.price, b.category) == ("Banana", Decimal("2.20"), "Fruit")


def test_every_stock_change_is_an_import_movement_with_before_and_after(company, actor):
    make_product(company, sku="UP", stock=5)
    make_product(company, sku="SAME", stock=5)
    _, batch = import_now(
        actor,
        csv_bytes([row("UP", stock="9"), row("SAME", name="Renamed", stock="5"), row("NEW", stock="3")]),
    )
    moves = StockMovement.objects.filter(reason=MovementReason.IMPORT)
    by_sku = {m.product.sku: m for m in moves.select_related("product")}
    assert set(by_sku) == {"UP", "NEW"}
    assert (by_sku["UP"].stock_before, by_sku["UP"].delta, by_sku["UP"].stock_after) == (5, 4, 9)
    assert (by_sku["NEW"].stock_before, by_sku["NEW"].stock_after, by_sku["NEW"].note) == (
        0,
        3,
        "Opening stock",
    )
    for move in moves:
        assert (move.channel, move.reference, move.actor_type) == (Channel.CLI, str(batch.id), ActorType.USER)
        assert move.actor_user_id == actor.user_id
    for p in Product.objects.filter(company=company):
        assert ledger_reconciles(p)


def test_one_bulk_updated_entry_per_import_and_one_created_entry_summarising_new_products(company, actor):
    make_product(company, sku="UP", name="Widget", price=Decimal("9.99"), stock=5)
    _, batch = import_now(
        actor, csv_bytes([row("UP", stock="9"), row("N1", "One"), row("N2", "Two", stock="0")])
    )
    entries = list(AuditEntry.objects.filter(metadata__import=str(batch.id)).order_by("action"))
    assert [e.action for e in entries] == [AuditAction.PRODUCT_BULK_UPDATED, AuditAction.PRODUCT_CREATED]
    updated, created = entries
    assert updated.metadata | {"products": None} == {
        "import": str(batch.id),
        "file": "test.csv",
        "rows": 3,
        "created": 2,
        "updated": 1,
        "unchanged": 0,
        "stock_changes": 1,
        "products": None,
    }
    assert updated.metadata["products"] == [
        {"id": str(product(company, "UP").id), "sku": "UP", "changes": {"stock": [5, 9]}}
    ]
    assert created.metadata["count"] == 2
    assert [p["sku"] for p in created.metadata["products"]] == ["N1", "N2"]
    assert {e.channel for e in entries} == {Channel.CLI}
    assert (
        StockMovement.objects.get(product__sku="UP", reason=MovementReason.IMPORT).audit_entry_id
        == updated.id
    )
    assert StockMovement.objects.get(product__sku="N1").audit_entry_id == created.id


def test_an_import_with_no_new_products_writes_no_created_entry(company, actor):
    make_product(company, sku="A", stock=5)
    _, batch = import_now(actor, csv_bytes([row("A", stock="6")]))
    actions = AuditEntry.objects.filter(metadata__import=str(batch.id)).values_list("action", flat=True)
    assert list(actions) == [AuditAction.PRODUCT_BULK_UPDATED]


def test_unchanged_rows_write_nothing_to_their_products(company, actor):
    kept = make_product(company, sku="A", name="Widget", price=Decimal("9.99"), stock=10)
    movements = StockMovement.objects.count()
    import_now(actor, csv_bytes([row("A", "Widget", price="9.99", stock="10")]))
    assert product(company, "A").updated_at == kept.updated_at
    assert StockMovement.objects.count() == movements


def test_a_file_of_many_chunks_is_applied_whole(company, actor, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 3)
    for i in range(0, 10, 2):
        make_product(company, sku=f"S-{i:02d}", stock=1)
    _, batch = import_now(actor, csv_bytes([row(f"S-{i:02d}", stock=str(i + 10)) for i in range(10)]))
    assert (batch.result["created"], batch.result["updated"]) == (5, 5)
    assert sorted(Product.objects.filter(company=company).values_list("stock", flat=True)) == list(
        range(10, 20)
    )


def test_statements_per_apply_do_not_grow_with_rows_within_a_chunk(company, actor):
    def statements(count: int, prefix: str) -> int:
        for i in range(0, count, 2):
            make_product(company, sku=f"{prefix}-{i}", stock=1)
        data = csv_bytes([row(f"{prefix}-{i}", stock="5") for i in range(count)])
        with CaptureQueriesContext(connection) as queries:
            import_now(actor, data)
        return len(queries)

    assert statements(4, "small") == statements(60, "large")


def test_apply_refuses_when_stock_changed_since_the_preview(company, actor):
    sold = make_product(company, sku="SOLD", name="Sold", stock=10)
    data = csv_bytes([row("SOLD", "Sold", stock="50"), row("NEW")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus)
        place(company, [(sold, 3)])
        before = written()
        with pytest.raises(ImportStale) as caught:
            import_file_apply(
                actor=actor, filename="f.csv", source=io.BytesIO(data), preview=found, skus=skus
            )
    assert "Stock changed since the preview (“SOLD” 10 → 7)" in caught.value.message
    assert "Nothing was imported" in caught.value.message
    assert written() == before
    assert product(company, "SOLD").stock == 7


def test_apply_refuses_when_a_product_took_a_new_sku_since_the_preview(company, actor):
    data = csv_bytes([row("LATE", stock="5")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus)
        make_product(company, sku="LATE", stock=2)
        before = written()
        with pytest.raises(ImportStale, match="“LATE” was created"):
            import_file_apply(
                actor=actor, filename="f.csv", source=io.BytesIO(data), preview=found, skus=skus
            )
    assert written() == before


def test_apply_refuses_when_a_previewed_product_lost_its_sku_since(company, actor):
    moved = make_product(company, sku="GONE", stock=4)
    data = csv_bytes([row("GONE", stock="5")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus)
        product_update(
            actor=actor, channel=Channel.DASHBOARD, product_id=moved.id, changes={"sku": "ELSEWHERE"}
        )
        before = written()
        with pytest.raises(ImportStale, match="“GONE” was deleted or renamed"):
            import_file_apply(
                actor=actor, filename="f.csv", source=io.BytesIO(data), preview=found, skus=skus
            )
    assert written() == before


def test_apply_refuses_a_file_that_changed_since_the_preview(company, actor):
    make_product(company, sku="A", stock=1)
    previewed = csv_bytes([row("A", stock="2"), row("B")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(previewed), skus=skus)
        before = written()
        for changed in (
            csv_bytes([row("A", stock="3"), row("B")]),
            csv_bytes([row("A", stock="2"), row("B", price="x")]),
        ):
            with pytest.raises(FileChanged, match="changed since it was previewed"):
                import_file_apply(
                    actor=actor, filename="f.csv", source=io.BytesIO(changed), preview=found, skus=skus
                )
    assert written() == before


def test_apply_refuses_a_preview_with_errors(company, actor):
    data = csv_bytes([row("A", price="free")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus)
        with pytest.raises(ImportHasErrors, match="The file has 1 error; nothing was imported"):
            import_file_apply(
                actor=actor, filename="f.csv", source=io.BytesIO(data), preview=found, skus=skus
            )


def test_a_write_refused_by_the_database_undoes_every_chunk_already_written(company, actor, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    make_product(company, sku="TAKEN", stock=1)
    data = csv_bytes([row("N1"), row("N2"), row("N3"), row("TAKEN", stock="5")])
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus)
        before = written()
        # As if another writer inserted TAKEN after the preview, unseen by the lookups: the
        # insert of the last chunk then breaks the unique constraint.
        real_existing, real_seen = services._existing, skus.seen
        monkeypatch.setattr(
            services,
            "_existing",
            lambda company_id, s: real_existing(company_id, [k for k in s if k != "TAKEN"]),
        )
        monkeypatch.setattr(skus, "seen", lambda s: real_seen([k for k in s if k != "TAKEN"]))
        monkeypatch.setattr(services, "_lock_seen", lambda company_id, skus: None)
        with pytest.raises(ImportConflict, match="nothing was imported"):
            import_file_apply(
                actor=actor, filename="f.csv", source=io.BytesIO(data), preview=found, skus=skus
            )
    assert written() == before
