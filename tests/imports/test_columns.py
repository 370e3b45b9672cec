"""Matching a file's header row to the product columns (SPEC §6, distribu-docs §11.2)."""

import pytest

from stockline.imports.columns import COLUMNS, column_map
from stockline.imports.errors import ColumnsUnmatched, NoHeader, WrongDelimiter

# Every synonym the reference lists, as a user might type it.
DOCUMENTED = {
    "sku": "itemcode item_code productcode product_code itemnumber item_number itemid item_id "
    "partnumber part_number",
    "name": "productname product_name title itemname item_name product",
    "description": "desc productdescription product_description longdescription",
    "category": "cat productcategory product_category group department",
    "unit": "uom units unitofmeasure unit_of_measure",
    "price": "unitprice unit_price listprice list_price costprice cost sellprice sell_price msrp",
    "stock": "quantity qty onhand on_hand inventory available stocklevel stock_level",
    "isActive": "isactive is_active active",
}


@pytest.mark.parametrize(
    ("column", "synonym"), [(c, s) for c, words in DOCUMENTED.items() for s in words.split()]
)
def test_every_documented_synonym_matches_its_column(column, synonym):
    header = ["SKU", "Name", "Price", "Stock"]
    slot = {"sku": 0, "name": 1, "price": 2, "stock": 3}.get(column)
    if slot is None:
        header.append(synonym)
    else:
        header[slot] = synonym
    assert column_map(header).index[column] == header.index(synonym)


@pytest.mark.parametrize("text", ["Item Code", "ITEM-CODE", "item_code", " item  code ", "Item_-Code"])
def test_headers_match_ignoring_case_spaces_underscores_and_dashes(text):
    assert column_map([text, "name", "price", "stock"]).index["sku"] == 0


def test_the_canonical_header_maps_every_column_in_order():
    columns = column_map(list(COLUMNS))
    assert columns.index == {c: i for i, c in enumerate(COLUMNS)}
    assert columns.ignored == []


def test_unknown_columns_are_ignored_and_listed():
    columns = column_map(["sku", "name", "imageUrl", "price", "stock", "", "Supplier"])
    assert columns.ignored == ["imageUrl", "Supplier"]


def test_a_missing_required_column_asks_for_a_mapping():
    with pytest.raises(ColumnsUnmatched) as caught:
        column_map(["sku", "name", "Amount", "stock"])
    error = caught.value
    assert error.problems == ["Missing required column: price."]
    assert error.header == ["sku", "name", "Amount", "stock"]
    assert error.matched == {"sku": "sku", "name": "name", "stock": "stock"}


def test_several_missing_columns_are_named_together():
    with pytest.raises(ColumnsUnmatched, match=r"Missing required columns: price, stock\."):
        column_map(["sku", "name", "Amount"])


def test_a_mapping_supplies_a_column_the_header_does_not_name():
    columns = column_map(["sku", "name", "Amount", "stock"], {"price": "Amount"})
    assert columns.index["price"] == 2


def test_a_mapping_overrides_a_matched_header():
    columns = column_map(["sku", "name", "price", "Sale price", "stock"], {"price": "Sale price"})
    assert columns.index["price"] == 3
    assert columns.ignored == ["price"]


def test_a_mapping_naming_a_header_not_in_the_file_is_refused():
    with pytest.raises(ColumnsUnmatched, match="There is no column “Cost” in the file"):
        column_map(["sku", "name", "price", "stock"], {"price": "Cost"})


def test_two_headers_for_one_column_ask_which_one():
    with pytest.raises(ColumnsUnmatched) as caught:
        column_map(["sku", "Item Code", "name", "price", "stock"])
    assert caught.value.problems == ["Columns “sku”, “Item Code” all match sku; choose one."]


def test_choosing_one_of_two_headers_resolves_them():
    columns = column_map(["sku", "Item Code", "name", "price", "stock"], {"sku": "Item Code"})
    assert columns.index["sku"] == 1
    assert columns.ignored == ["sku"]


def test_a_header_of_unknown_names_can_still_be_mapped():
    with pytest.raises(ColumnsUnmatched):
        column_map(["Code", "Label", "Amount", "Count"])
    mapping = {"sku": "Code", "name": "Label", "price": "Amount", "stock": "Count"}
    assert column_map(["Code", "Label", "Amount", "Count"], mapping).index == {
        "sku": 0,
        "name": 1,
        "price": 2,
        "stock": 3,
    }


@pytest.mark.parametrize(
    "first_row",
    [
        ["A-1", "Widget", "9.99", "10"],
        ["A-1", "Widget", "", "10"],
        ["x", "x", "y"],
        ["A-1", "Widget", "true"],
    ],
)
def test_a_first_row_that_looks_like_data_is_no_header(first_row):
    with pytest.raises(NoHeader, match="The first row must be a header"):
        column_map(first_row)


@pytest.mark.parametrize("first_row", ["sku;name;price;stock", "sku\tname\tprice\tstock"])
def test_a_file_not_separated_by_commas_is_refused_with_a_hint(first_row):
    with pytest.raises(WrongDelimiter, match="separated by something other than commas"):
        column_map([first_row])
