"""The product CSV's columns, their synonyms, and how a file's header row is matched to them.

Headers are compared lower-cased with spaces, underscores and dashes removed, so
"Item Code", "item_code" and "ITEM-CODE" all mean `sku` (distribu-docs §11.2).
"""

import re
from dataclasses import dataclass, field

from stockline.imports.errors import ColumnsUnmatched, NoHeader, WrongDelimiter

# Canonical order: export writes it, the preview lists fields in it.
COLUMNS = ("sku", "name", "description", "category", "unit", "price", "stock", "isActive")
REQUIRED = ("sku", "name", "price", "stock")

_SYNONYMS = {
    "sku": "item_code product_code item_number item_id part_number",
    "name": "product_name title item_name product",
    "description": "desc product_description long_description",
    "category": "cat product_category group department",
    "unit": "uom units unit_of_measure",
    "price": "unit_price list_price cost_price cost sell_price msrp",
    "stock": "quantity qty on_hand inventory available stock_level",
    "isActive": "active enabled visible published",
}


def header_key(text: str) -> str:
    """'Item Code', 'item_code', 'ITEM-CODE' → 'itemcode'."""
    return re.sub(r"[\s_-]+", "", text).lower()


HEADER_KEYS: dict[str, str] = {header_key(column): column for column in COLUMNS}
HEADER_KEYS.update(
    {header_key(synonym): column for column, words in _SYNONYMS.items() for synonym in words.split()}
)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which cell of a row holds each column; columns missing from the file are absent."""

    index: dict[str, int]
    header: list[str]
    ignored: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header)

    def header_of(self, column: str) -> str:
        return self.header[self.index[column]]

    def as_mapping(self) -> dict[str, str]:
        """column → the file's header text, in canonical order."""
        return {c: self.header_of(c) for c in COLUMNS if c in self.index}


def _looks_like_header(cells: list[str]) -> bool:
    """A row that names no known column may still be a header the user can map by hand,
    unless it looks like data: blank or repeated cells, or numbers and booleans."""
    if any(header_key(c) in HEADER_KEYS for c in cells):
        return True
    texts = [c.strip() for c in cells]
    if not all(texts) or len(set(texts)) != len(texts):
        return False
    return not any(re.fullmatch(r"[+-]?[\d.,]+|true|false", t, re.IGNORECASE) for t in texts)


def column_map(header: list[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Match a header row to the columns; `overrides` (column → header text) are the user's choices.

    Raises NoHeader when the first row is data, ColumnsUnmatched when a required column
    is missing or two headers claim the same column (the preview then offers a mapping).
    """
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        raise WrongDelimiter(header[0])
    if not _looks_like_header(header):
        raise NoHeader(header)
    overrides = {c: h for c, h in (overrides or {}).items() if c in COLUMNS}
    overridden = {h for h in overrides.values() if h}
    index: dict[str, int] = {}
    claims: dict[str, list[str]] = {}
    for i, text in enumerate(header):
        column = HEADER_KEYS.get(header_key(text))
        if column is None or column in overrides or text in overridden:
            continue
        claims.setdefault(column, []).append(text)
        index.setdefault(column, i)
    for column, text in overrides.items():
        if text:
            if text not in header:
                raise ColumnsUnmatched(header, problems=[f"There is no column “{text}” in the file."])
            index[column] = header.index(text)
    problems = [
        f"Columns {', '.join(f'“{t}”' for t in texts)} all match {column}; choose one."
        for column, texts in claims.items()
        if len(texts) > 1
    ]
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        problems.append(f"Missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
    if problems:
        raise ColumnsUnmatched(header, problems=problems, matched={c: header[i] for c, i in index.items()})
    used = set(index.values())
    ignored = [text for i, text in enumerate(header) if i not in used and text.strip()]
    return ColumnMap(index=index, header=list(header), ignored=ignored)
