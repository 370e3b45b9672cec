"""Preview: every row classified and checked against the company's products; nothing written."""

from decimal import Decimal

import pytest

from stockline.accounts.permissions import PermissionDenied
from stockline.audit.actors import Actor
from stockline.imports import services
from stockline.imports.errors import ColumnsUnmatched, EmptyFile, RowError, TooManyRows
from stockline.imports.summary import RowChange
from tests.factories import make_company, make_customer, make_product
from tests.imports.support import csv_bytes, preview, row, written

pytestmark = pytest.mark.django_db


def test_preview_counts_rows_to_create_update_and_leave_unchanged(company, actor):
    make_product(company, sku="KEEP", name="Kept", price=Decimal("1.00"), stock=5)
    make_product(company, sku="MOVE", name="Moved", price=Decimal("2.00"), stock=5)
    data = csv_bytes(
        [
            row("KEEP", "Kept", price="1.00", stock="5"),
            row("MOVE", "Moved", price="2.00", stock="8"),
            row("NEW", "Fresh", price="3.00", stock="4"),
        ]
    )
    found = preview(actor, data)
    assert (found.rows, found.create, found.update, found.unchanged, found.stock_changes) == (3, 1, 1, 1, 1)
    assert found.ready
    assert found.changes == [
        RowChange(3, "MOVE", "Moved", "update", 5, 8, ["stock"]),
        RowChange(4, "NEW", "Fresh", "create", None, 4, []),
    ]


def test_preview_writes_nothing(company, actor):
    make_product(company, sku="MOVE", stock=5)
    before = written()
    preview(actor, csv_bytes([row("MOVE", stock="8"), row("NEW")]))
    assert written() == before


def test_preview_lists_every_changed_field(company, actor):
    make_product(company, sku="A", name="Old", price=Decimal("1.00"), stock=5, unit="each")
    found = preview(actor, csv_bytes([row("A", "New", "About", "Tools", "box", "1.50", "5", "false")]))
    assert found.changes[0].fields == ["name", "description", "category", "unit", "price", "isActive"]
    assert (found.changes[0].stock_before, found.changes[0].stock_after) == (5, 5)


def test_columns_absent_from_the_file_leave_those_fields_alone(company, actor):
    make_product(company, sku="A", name="Widget", description="Long text", category="Tools", stock=5)
    found = preview(
        actor, csv_bytes([["A", "Widget", "10.00", "5"]], header=["sku", "name", "price", "stock"])
    )
    assert found.unchanged == 1


def test_an_empty_optional_cell_clears_the_field(company, actor):
    make_product(company, sku="A", name="Widget", description="Long text", stock=5)
    found = preview(actor, csv_bytes([row("A", "Widget", "", price="10.00", stock="5")]))
    assert found.changes[0].fields == ["description"]


def test_skus_of_another_company_are_not_matched(company, actor):
    other, _ = make_company("Other Co")
    make_product(other, sku="SHARED", stock=3)
    found = preview(actor, csv_bytes([row("SHARED")]))
    assert (found.create, found.update) == (1, 0)


def test_skus_match_exactly_including_case(company, actor):
    make_product(company, sku="abc-1", stock=3)
    found = preview(actor, csv_bytes([row("ABC-1")]))
    assert found.create == 1


def test_a_duplicate_sku_is_an_error_naming_the_first_row(company, actor):
    found = preview(actor, csv_bytes([row("A"), row("B"), row("A"), row("A")]))
    assert found.errors == [
        RowError(4, "sku", 'Duplicate SKU "A" also on row 2'),
        RowError(5, "sku", 'Duplicate SKU "A" also on row 2'),
    ]
    assert not found.ready


def test_duplicates_are_found_across_chunks(company, actor, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 3)
    rows = [row(f"S-{i}") for i in range(10)] + [row("S-1")]
    found = preview(actor, csv_bytes(rows))
    assert found.errors == [RowError(12, "sku", 'Duplicate SKU "S-1" also on row 3')]


def test_a_duplicate_of_a_row_with_other_errors_is_still_a_duplicate(company, actor):
    found = preview(actor, csv_bytes([row("A", price="free"), row("A")]))
    assert found.errors == [
        RowError(2, "price", "Enter a number."),
        RowError(3, "sku", 'Duplicate SKU "A" also on row 2'),
    ]


def test_row_errors_are_counted_and_listed_up_to_the_limit(company, actor):
    found = preview(actor, csv_bytes([row(f"S-{i}", price="x") for i in range(5)]), error_limit=2)
    assert found.error_count == 5
    assert len(found.errors) == 2
    assert found.more_errors == 3


def test_changes_are_listed_up_to_the_limit_and_counted_in_full(company, actor):
    found = preview(actor, csv_bytes([row(f"S-{i}") for i in range(5)]), detail_limit=2)
    assert found.create == 5
    assert [c.sku for c in found.changes] == ["S-0", "S-1"]
    assert found.more_changes == 3


def test_a_header_without_rows_is_refused(actor):
    with pytest.raises(EmptyFile, match="no product rows"):
        preview(actor, csv_bytes([]))


def test_a_file_missing_a_required_column_is_refused_until_mapped(actor):
    data = csv_bytes([["A", "Widget", "3.00", "2"]], header=["sku", "name", "Cost each", "stock"])
    with pytest.raises(ColumnsUnmatched):
        preview(actor, data)
    found = preview(actor, data, mapping={"price": "Cost each"})
    assert found.create == 1
    assert found.columns == {"sku": "sku", "name": "name", "price": "Cost each", "stock": "stock"}


def test_the_row_limit_refuses_a_longer_file(actor):
    with pytest.raises(TooManyRows, match="more than 3 product rows"):
        preview(actor, csv_bytes([row(f"S-{i}") for i in range(4)]), max_rows=3)
    assert preview(actor, csv_bytes([row(f"S-{i}") for i in range(3)]), max_rows=3).rows == 3


def test_a_customer_may_not_preview_an_import(company):
    customer = make_customer(company)
    with pytest.raises(PermissionDenied):
        preview(Actor.customer(customer), csv_bytes([row()]))
