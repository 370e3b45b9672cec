"""Property tests: arbitrary bytes and rows either import exactly what a plain reference reading
of the spec says, or are refused with a message and write nothing; export → import is exact."""

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stockline.catalog.models import Product
from stockline.catalog.services import product_create
from stockline.core.channels import Channel
from stockline.imports.columns import COLUMNS, HEADER_KEYS
from stockline.imports.errors import ImportFileError, ImportHasErrors
from stockline.imports.export import export_csv
from tests.factories import make_company, owner_actor
from tests.imports.support import import_now, preview, written

pytestmark = pytest.mark.django_db

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REJECT = "reject"
EXISTING = {
    "A": ("Apple", "", "Fruit", "each", Decimal("1.00"), 5, True),
    "B": ("Banana", "Long", "", "box", Decimal("2.50"), 0, False),
}
FIELDS = ("name", "description", "category", "unit", "price", "stock", "is_active")
LIMITS = {"sku": 100, "name": 200, "description": 2000, "category": 100, "unit": 20}
TRUE, FALSE = {"true", "yes", "y", "1", "active", ""}, {"false", "no", "n", "0", "inactive"}


# The reference: the spec read plainly, all in memory, no streaming, no chunks.


def _text(cell: str) -> str:
    value = cell.strip()
    if value.startswith("'") and value.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = value[1:]
    return value


def _price(text: str):
    if len(text) > 40 or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    value = Decimal(text)
    decimals = max(0, -value.as_tuple().exponent)
    whole = len(str(abs(int(value)))) if int(value) else 0
    if value < 0 or decimals > 2 or whole + decimals > 12 or whole > 10:
        return None
    return value.quantize(Decimal("0.01")) + 0


def _stock(text: str):
    if len(text) > 40 or not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return None
    value = int(text.split(".")[0])
    return value if 0 <= value <= 2147483647 else None


def reference(data: bytes, existing: dict) -> dict | str:
    """The catalog after importing `data` over `existing` ({sku: FIELDS values}), or REJECT."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        return REJECT
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return REJECT
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        return REJECT
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return REJECT
    records = [cells for cells in records if "".join(cells).strip()]
    if len(records) < 2:
        return REJECT
    header, *rows = records
    index = {}
    for i, cell in enumerate(header):
        column = HEADER_KEYS.get(re.sub(r"[\s_-]", "", cell).lower())
        if column in index:
            return REJECT
        if column:
            index[column] = i
    if not {"sku", "name", "price", "stock"} <= set(index):
        return REJECT
    catalog, skus = dict(existing), set()
    for cells in rows:
        if len(cells) != len(header):
            return REJECT
        value = {column: _text(cells[i]) for column, i in index.items()}
        if not value["sku"] or not value["name"] or value["sku"] in skus:
            return REJECT
        if any(len(value[c]) > limit for c, limit in LIMITS.items() if c in value):
            return REJECT
        price, stock = _price(value["price"]), _stock(value["stock"])
        active = value.get("isActive", "").lower()
        if price is None or stock is None or active not in TRUE | FALSE:
            return REJECT
        skus.add(value["sku"])
        before = catalog.get(value["sku"], (None, "", "", "each", None, None, True))
        catalog[value["sku"]] = (
            value["name"],
            value.get("description", before[1]),
            value.get("category", before[2]),
            (value["unit"] or "each") if "unit" in value else before[3],
            price,
            stock,
            active in TRUE if "isActive" in index else before[6],
        )
    return catalog


def catalog_of(company) -> dict:
    return {p[0]: p[1:] for p in Product.objects.filter(company=company).values_list("sku", *FIELDS)}


def check_against_reference(data: bytes) -> None:
    company, _ = make_company()
    actor = owner_actor(company)
    for sku, values in EXISTING.items():
        product_create(
            actor=actor, channel=Channel.DASHBOARD, sku=sku, **dict(zip(FIELDS, values, strict=True))
        )
    expected = reference(data, EXISTING)
    before = written()
    try:
        import_now(actor, data)
    except (ImportFileError, ImportHasErrors) as refusal:
        event(f"refused: {type(refusal).__name__}")
        assert refusal.message
        assert written() == before
        assert expected == REJECT, f"refused ({refusal.message}) but the reference imports it"
        return
    event("imported")
    assert expected != REJECT, "imported but the reference refuses it"
    assert catalog_of(company) == expected


# Inputs


@PROPERTY
@given(st.binary(max_size=400))
def test_arbitrary_bytes_import_as_the_reference_reads_them_or_are_refused(data):
    check_against_reference(data)


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_under_a_valid_header_import_as_the_reference_reads_them_or_are_refused(data):
    check_against_reference(b"sku,name,price,stock\n" + data)


def spelled(column: str):
    """The column as a user might head it."""
    return st.sampled_from(
        [column, column.upper(), f" {column} ", column.replace("is", "is_"), f"-{column}-"]
    )


text = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
cell_text = st.one_of(
    st.sampled_from(
        ["A", "B", "C", "", " ", "0", "1", "-1", "2.5", "1.234", "true", "no", "each", "'=x", "=x"]
    ),
    st.text(alphabet=text, max_size=12),
    st.text(alphabet="ab,\"\n\r'= ", max_size=8),
)


@st.composite
def csv_files(draw) -> bytes:
    columns = draw(st.permutations(COLUMNS))[: draw(st.integers(1, 8))]
    if draw(st.integers(0, 9)) < 7:  # mostly with the required columns
        columns = list(dict.fromkeys([*columns, "sku", "name", "price", "stock"]))
    header = [draw(spelled(c)) for c in columns]
    if draw(st.integers(0, 4)) == 0:  # now and then a column twice, or one nobody knows
        header.append(draw(st.sampled_from(COLUMNS).flatmap(spelled) | st.just("Colour")))
    # Mostly as wide as the header; now and then a cell short or over.
    widths = st.sampled_from([len(header)] * 8 + [len(header) - 1, len(header) + 1])
    rows = [draw(st.lists(cell_text, min_size=w, max_size=w)) for w in draw(st.lists(widths, max_size=6))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    raw = out.getvalue()
    if draw(st.booleans()):  # a hand-written file: cells joined without any quoting
        raw = "\n".join(",".join(r) for r in [header, *rows])
    if draw(st.integers(0, 9)) == 0:  # now and then, binary
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from(["\x00", "\x1b", "\x7f"])) + raw[at:]
    return (draw(st.sampled_from(["", "\ufeff"])) + raw).encode(
        draw(st.sampled_from(["utf-8", "utf-8", "cp1252"])), "replace"
    )


@st.composite
def valid_files(draw) -> bytes:
    """Files the reference accepts more often than not: the four required columns, cells from a kind pool."""
    columns = draw(st.permutations(COLUMNS))[: draw(st.integers(4, 8))]
    columns = list(dict.fromkeys(["sku", "name", "price", "stock", *columns]))
    values = {
        "sku": st.sampled_from(["A", "B", "C", "D", "E", "'=F"]),
        "name": st.text(alphabet=text, min_size=1, max_size=20).filter(str.strip),
        "description": st.text(alphabet=text | st.sampled_from('\n\r\t,"'), max_size=30),
        "category": st.text(alphabet=text, max_size=10),
        "unit": st.sampled_from(["", "each", "box", "kg"]),
        "price": st.decimals(min_value=0, max_value=10**6, places=2).map(str),
        "stock": st.integers(0, 10**6).map(str),
        "isActive": st.sampled_from(["", "true", "false", "Yes", "0"]),
    }
    rows = draw(st.lists(st.fixed_dictionaries({c: values[c] for c in columns}), min_size=1, max_size=5))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@PROPERTY
@given(csv_files())
def test_arbitrary_rows_import_as_the_reference_reads_them_or_are_refused(data):
    check_against_reference(data)


@PROPERTY
@given(valid_files())
def test_well_formed_rows_import_exactly_as_the_reference_reads_them(data):
    check_against_reference(data)


# Round trip


def _no_surrounding_space(text: str) -> bool:
    return text == text.strip()


printable = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r")
formula_prefix = st.sampled_from(["", "", "=", "+", "-", "@", "'", "''=", "'-"])


def text_field(min_size: int, max_size: int):
    return (
        st.tuples(formula_prefix, st.text(alphabet=printable, max_size=max_size - 3))
        .map("".join)
        .filter(_no_surrounding_space)
        .filter(lambda s: min_size <= len(s) <= max_size)
    )


products = st.lists(
    st.fixed_dictionaries(
        {
            "sku": text_field(1, 100),
            "name": text_field(1, 200),
            "description": text_field(0, 60),
            "category": text_field(0, 30),
            "unit": text_field(1, 20),
            "price": st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2),
            "stock": st.integers(0, 2**31 - 1),
            "is_active": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p["sku"],
)


@PROPERTY
@given(products)
def test_export_then_import_reports_every_row_unchanged(rows):
    company, _ = make_company()
    actor = owner_actor(company)
    for fields in rows:
        product_create(actor=actor, channel=Channel.DASHBOARD, **fields)
    before = catalog_of(company)
    exported = "".join(export_csv(company.id)).encode()
    found = preview(actor, exported)
    assert (found.rows, found.unchanged, found.error_count) == (len(rows), len(rows), 0), found.errors
    import_now(actor, exported)
    assert catalog_of(company) == before
