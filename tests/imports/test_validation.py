"""Every cell checked as the product form checks it (SPEC §1 Product, distribu-docs §11.2)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockline.dashboard.forms.inventory import ProductForm
from stockline.imports.columns import COLUMNS, column_map
from stockline.imports.errors import RowError
from stockline.imports.validation import ProductRow, RowParser
from tests.imports.support import row

pytestmark = pytest.mark.django_db  # integer ranges come from the database backend


def parse(cells, header=COLUMNS):
    return RowParser(column_map(list(header))).parse(7, [str(c) for c in cells])


def errors_of(cells, header=COLUMNS) -> list[tuple[str, str]]:
    _, errors, _ = parse(cells, header)
    return [(e.column, e.message) for e in errors]


def test_a_valid_row_becomes_the_product_values():
    values, errors, sku = parse(row("A-1", "Widget", "Blue", "Tools", "box", "12.5", "10", "false"))
    assert errors == []
    assert sku == "A-1"
    assert values == ProductRow(
        row=7,
        sku="A-1",
        name="Widget",
        price=Decimal("12.50"),
        stock=10,
        description="Blue",
        category="Tools",
        unit="box",
        is_active=False,
    )


def test_spaces_around_cells_are_trimmed_like_the_form_does():
    values, _, _ = parse(row(" A-1 ", "  Widget\t", " x ", " y ", " box ", " 12.50 ", " 10 ", " true "))
    assert (values.sku, values.name, values.description, values.category, values.unit) == (
        "A-1",
        "Widget",
        "x",
        "y",
        "box",
    )


def test_the_apostrophe_export_puts_before_a_formula_is_removed():
    values, _, _ = parse(row("'-A1", "'=SUM(A1)", "'+1", "'@cat", "each", "1", "1", "true"))
    assert (values.sku, values.name, values.description, values.category) == ("-A1", "=SUM(A1)", "+1", "@cat")


def test_an_apostrophe_before_ordinary_text_is_kept():
    values, _, _ = parse(row("A-1", "'Round' widget"))
    assert values.name == "'Round' widget"


@pytest.mark.parametrize(("column", "index"), [("sku", 0), ("name", 1), ("price", 5), ("stock", 6)])
def test_required_cells_may_not_be_empty(column, index):
    cells = row()
    cells[index] = "  "
    assert errors_of(cells) == [(column, "This field is required.")]


@pytest.mark.parametrize(
    ("column", "index", "limit"),
    [("sku", 0, 100), ("name", 1, 200), ("description", 2, 2000), ("category", 3, 100), ("unit", 4, 20)],
)
def test_text_lengths_are_the_products_limits(column, index, limit):
    at_limit, over = row(), row()
    at_limit[index] = "x" * limit
    over[index] = "x" * (limit + 1)
    assert errors_of(at_limit) == []
    assert errors_of(over) == [
        (column, f"Ensure this value has at most {limit} characters (it has {limit + 1}).")
    ]


def test_a_row_with_an_invalid_sku_reports_no_sku_for_duplicate_checks():
    _, _, sku = parse(row(sku="x" * 101))
    assert sku is None


def test_a_row_with_other_errors_still_reports_its_sku_for_duplicate_checks():
    _, _, sku = parse(row(sku="A-1", price="free"))
    assert sku == "A-1"


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.5", "12.50"), ("0", "0.00"), ("+3", "3.00"), (".5", "0.50"), ("7.", "7.00"), ("-0", "0.00")],
)
def test_prices_are_plain_decimal_numbers_stored_with_two_places(text, value):
    values, errors, _ = parse(row(price=text))
    assert errors == []
    assert str(values.price) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-0.01", "Ensure this value is greater than or equal to 0."),
        ("1.234", "Ensure that there are no more than 2 decimal places."),
        ("12345678901.00", "Ensure that there are no more than 12 digits in total."),
        ("abc", "Enter a number."),
        ("1,000.00", "Enter a number."),
        ("$5", "Enter a number."),
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("1" * 41, "Enter a number."),
    ],
)
def test_prices_are_refused_as_the_form_refuses_them(text, message):
    assert errors_of(row(price=text)) == [("price", message)]


@pytest.mark.parametrize(("text", "value"), [("10", 10), ("0", 0), ("+4", 4), ("12.0", 12), ("5.", 5)])
def test_stock_is_a_whole_number(text, value):
    values, errors, _ = parse(row(stock=text))
    assert errors == []
    assert values.stock == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("1.5", "Enter a whole number."),
        ("ten", "Enter a whole number."),
        ("1e3", "Enter a whole number."),
        ("9" * 50, "Enter a whole number."),
    ],
)
def test_stock_is_refused_when_negative_or_not_whole(text, message):
    assert errors_of(row(stock=text)) == [("stock", message)]


def test_stock_is_at_most_the_integer_every_database_stores():
    assert errors_of(row(stock="2147483647")) == []
    assert errors_of(row(stock="2147483648")) == [
        ("stock", "Ensure this value is less than or equal to 2147483647.")
    ]


@pytest.mark.parametrize("word", ["true", "TRUE", "yes", "Y", "1", "active", ""])
def test_is_active_words_for_true(word):
    values, _, _ = parse(row(active=word))
    assert values.is_active is True


@pytest.mark.parametrize("word", ["false", "False", "no", "N", "0", "inactive"])
def test_is_active_words_for_false(word):
    values, _, _ = parse(row(active=word))
    assert values.is_active is False


def test_is_active_refuses_other_words():
    assert errors_of(row(active="maybe")) == [("isActive", "Enter true or false.")]


def test_an_empty_unit_is_each():
    values, _, _ = parse(row(unit=""))
    assert values.unit == "each"


def test_optional_columns_missing_from_the_file_are_left_unset():
    values, errors, _ = parse(["A-1", "Widget", "1.00", "3"], header=["sku", "name", "price", "stock"])
    assert errors == []
    assert (values.description, values.category, values.unit, values.is_active) == (None, None, None, None)


@pytest.mark.parametrize("cells", [row()[:-1], [*row(), "extra"]])
def test_a_row_with_too_few_or_too_many_cells_is_refused_whole(cells):
    values, errors, sku = parse(cells)
    assert values is None
    assert sku is None
    assert errors == [RowError(7, "", f"This row has {len(cells)} cells but the header has 8.")]


def test_every_error_of_a_row_is_reported_with_its_row_and_column():
    assert errors_of(row(sku="", name="n" * 201, price="-1", stock="x", active="?")) == [
        ("name", "Ensure this value has at most 200 characters (it has 201)."),
        ("sku", "This field is required."),
        ("price", "Ensure this value is greater than or equal to 0."),
        ("stock", "Enter a whole number."),
        ("isActive", "Enter true or false."),
    ]


@pytest.mark.parametrize(("stock", "expected"), [("1 .0", 1), ("1_000", 1000), ("7.", 7), ("+3.00", 3)])
def test_stock_spellings_the_product_form_reads_are_read_alike(stock, expected):
    values, errors, _ = parse(row(stock=stock))
    assert errors == []
    assert values.stock == expected


@pytest.mark.parametrize(("price", "expected"), [("1_0", "10.00"), ("1e2", "100.00"), ("1 .5", None)])
def test_price_spellings_are_read_as_the_product_form_reads_them(price, expected):
    values, errors, _ = parse(row(price=price))
    assert (values.price if values else None) == (Decimal(expected) if expected else None), errors


number_text = st.text(alphabet="0123456789.-+ _abeE", max_size=16)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(price=number_text, stock=number_text, name=st.text(alphabet="ab ", max_size=210))
def test_the_importer_accepts_exactly_what_the_product_form_accepts(company, price, stock, name):
    values, errors, _ = parse(row(name=name, price=price, stock=stock))
    form = ProductForm(
        data={"sku": "A-1", "name": name, "price": price, "stock": stock, "unit": "each"}, company=company
    )
    assert (not errors) == form.is_valid(), (errors, form.errors)
    if values is not None:
        assert (values.name, values.price, values.stock) == (
            form.cleaned_data["name"],
            form.cleaned_data["price"],
            form.cleaned_data["stock"],
        )
