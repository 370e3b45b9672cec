"""manage.py import_products and export_products."""

import io

import pytest
from django.core.management import CommandError, call_command

from stockline.audit.actors import ActorType
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.core.channels import Channel
from tests.factories import make_product
from tests.imports.support import HEADER, csv_bytes, row, written

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(data: bytes, name="products.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_dry_run_prints_the_preview_summary_and_writes_nothing(company, csv_file):
    make_product(company, sku="A", stock=5)
    path = csv_file(csv_bytes([row("A", stock="7"), row("B")]))
    before = written()
    out, _ = run("import_products", path, "--company", company.slug, "--dry-run")
    assert written() == before
    assert "2 rows, UTF-8" in out
    assert "to create             1" in out
    assert "to update             1  (1 with a stock change)" in out
    assert "row 2: update “A” stock 5 → 7 (name, price, stock)" in out
    assert "row 3: create “B” stock 10" in out
    assert "Dry run: nothing was written." in out


def test_import_applies_the_file_as_the_system_on_the_command_line_channel(company, csv_file):
    make_product(company, sku="A", stock=5)
    out, _ = run(
        "import_products", csv_file(csv_bytes([row("A", stock="7"), row("B")])), "--company", company.slug
    )
    assert "1 created, 1 updated (1 stock changes), 0 unchanged" in out
    assert Product.objects.get(company=company, sku="A").stock == 7
    moves = StockMovement.objects.filter(reason=MovementReason.IMPORT)
    assert {(m.channel, m.actor_type, m.actor_label) for m in moves} == {
        (Channel.CLI, ActorType.SYSTEM, "Command line (import_products)")
    }


def test_progress_bars_are_drawn_on_standard_error_when_asked(company, csv_file):
    _, err = run("import_products", csv_file(csv_bytes([row("A")])), "--company", company.slug, "--progress")
    assert "Preview: 100%" in err
    assert "Apply: 100%" in err
    assert "1/1" in err


def test_no_progress_bars_when_standard_error_is_not_a_terminal(company, csv_file):
    _, err = run("import_products", csv_file(csv_bytes([row("A")])), "--company", company.slug)
    assert err == ""


def test_row_errors_are_listed_and_nothing_is_written(company, csv_file):
    path = csv_file(csv_bytes([row("A", price="-1"), row("B"), row("A")]))
    before = written()
    with pytest.raises(CommandError, match=r"The file has 2 errors; nothing was imported\."):
        run("import_products", path, "--company", company.slug)
    assert written() == before


def test_row_errors_go_to_standard_error_with_row_and_column(company, csv_file):
    path = csv_file(csv_bytes([row("A", price="-1"), row("A")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_products", path, "--company", company.slug, stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Row 2, price: Ensure this value is greater than or equal to 0.",
        'Row 3, sku: Duplicate SKU "A" also on row 2',
    ]


def test_a_file_error_names_the_file_and_writes_nothing(company, csv_file):
    path = csv_file(csv_bytes([row("A", "Café")]).decode().encode("windows-1252"))
    before = written()
    with pytest.raises(CommandError, match=r"products.csv: The file is not UTF-8 .* Nothing was imported."):
        run("import_products", path, "--company", company.slug)
    assert written() == before


def test_the_encoding_option_reads_a_windows_1252_file(company, csv_file):
    path = csv_file(csv_bytes([row("A", "Café")]).decode().encode("windows-1252"))
    run("import_products", path, "--company", company.slug, "--encoding", "windows-1252")
    assert Product.objects.get(company=company, sku="A").name == "Café"


def test_the_map_option_names_a_column_the_header_does_not(company, csv_file):
    path = csv_file(csv_bytes([["A", "Widget", "4.00", "3"]], header=["sku", "name", "Unit cost", "stock"]))
    with pytest.raises(CommandError, match="Missing required column: price"):
        run("import_products", path, "--company", company.slug)
    run("import_products", path, "--company", company.slug, "--map", "price=Unit cost")
    assert str(Product.objects.get(company=company, sku="A").price) == "4.00"


@pytest.mark.parametrize("pair", ["price", "colour=Colour"])
def test_the_map_option_refuses_a_malformed_pair(company, csv_file, pair):
    with pytest.raises(CommandError, match="--map takes COLUMN=HEADER"):
        run("import_products", csv_file(csv_bytes([row()])), "--company", company.slug, "--map", pair)


def test_an_unknown_company_or_file_is_refused(company, csv_file):
    with pytest.raises(CommandError, match="No company with slug 'nope'"):
        run("import_products", csv_file(csv_bytes([row()])), "--company", "nope")
    with pytest.raises(CommandError, match="No such file"):
        run("import_products", "/nonexistent.csv", "--company", company.slug)


def test_export_writes_the_company_catalog_as_csv(company):
    make_product(company, sku="A", name="Anchor", stock=3)
    out, _ = run("export_products", "--company", company.slug)
    assert out.splitlines() == [HEADER, "A,Anchor,,,each,10.00,3,true"]


def test_an_exported_file_imported_again_is_all_unchanged(company, tmp_path):
    for i in range(5):
        make_product(company, sku=f"S-{i}", name=f"=Product {i}", stock=i)
    path = tmp_path / "export.csv"
    run("export_products", "--company", company.slug, "--output", str(path))
    out, _ = run("import_products", str(path), "--company", company.slug, "--dry-run")
    assert "unchanged             5" in out
    assert "to update             0" in out


def test_export_of_an_unknown_company_is_refused():
    with pytest.raises(CommandError, match="No company with slug 'nope'"):
        run("export_products", "--company", "nope")
