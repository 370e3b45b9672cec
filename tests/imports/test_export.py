"""Export: the import's columns, re-importable unchanged, formula-like cells neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockline.imports.export import export_csv
from stockline.imports.formulas import TRIGGERS, neutralise, restore
from tests.factories import make_company, make_product
from tests.imports.support import HEADER, preview


def exported(company) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(export_csv(company.id)))))


@pytest.mark.parametrize("value", ["=1+1", "+33 1 23", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_values_get_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Widget", "5 kg", "'quoted'", "", "a=b"])
def test_other_values_are_exported_as_they_are(value):
    assert neutralise(value) == value


def test_a_value_already_starting_with_an_apostrophe_before_a_formula_keeps_it():
    assert neutralise("'=x") == "''=x"
    assert restore("''=x") == "'=x"


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(value):
    assert restore(neutralise(value)) == value
    assert not neutralise(value).startswith(TRIGGERS)


@pytest.mark.django_db
def test_export_has_the_import_columns_and_one_row_per_product(company):
    make_product(company, sku="B-2", name="Bolt", price=Decimal("0.5"), stock=0, is_active=False, unit="box")
    make_product(company, sku="A-1", name="Anchor", description="Steel", category="Fixings", stock=12)
    make_product(company, sku=None, name="No SKU")
    assert exported(company) == [
        HEADER.split(","),
        ["A-1", "Anchor", "Steel", "Fixings", "each", "10.00", "12", "true"],
        ["B-2", "Bolt", "", "", "box", "0.50", "0", "false"],
        ["", "No SKU", "", "", "each", "10.00", "100", "true"],
    ]


@pytest.mark.django_db
def test_export_neutralises_formula_like_text_but_not_numbers(company):
    make_product(company, sku="-1", name='=HYPERLINK("x")', description="@me", category="+cat", stock=0)
    assert exported(company)[1] == ["'-1", '\'=HYPERLINK("x")', "'@me", "'+cat", "each", "10.00", "0", "true"]


@pytest.mark.django_db
def test_export_leaves_out_other_companies_products(company):
    other, _ = make_company("Other Co")
    make_product(other, sku="THEIRS")
    make_product(company, sku="OURS")
    assert [r[0] for r in exported(company)[1:]] == ["OURS"]


@pytest.mark.django_db
def test_export_streams_in_blocks(company):
    for i in range(501):
        make_product(company, sku=f"S-{i:03d}")
    blocks = list(export_csv(company.id))
    assert len(blocks) == 2
    assert sum(b.count("\r\n") for b in blocks) == 502


@pytest.mark.django_db
def test_an_export_imported_again_leaves_every_row_unchanged(company, actor):
    make_product(company, sku="=A", name="-minus", description='Line one\r\nLine "two", quoted', stock=3)
    make_product(company, sku="B", name="'=already quoted", category="@home", unit="kg", is_active=False)
    make_product(company, sku="C", name="Café – crème", price=Decimal("1234567890.12"), stock=2147483647)
    found = preview(actor, "".join(export_csv(company.id)).encode())
    assert (found.rows, found.unchanged, found.create, found.update, found.error_count) == (3, 3, 0, 0, 0)
