"""Product CSV export: the import's columns, re-importable unchanged, formula-like cells neutralised."""

import csv
from collections.abc import Iterator
from uuid import UUID

from django.db.models import F

from stockline.catalog.models import Product
from stockline.imports.columns import COLUMNS
from stockline.imports.formulas import neutralise

_BLOCK_ROWS = 500


def export_rows(company_id: UUID) -> Iterator[list[str]]:
    """The header, then one row per product of the company, read in chunks."""
    yield list(COLUMNS)
    products = (
        Product.objects.filter(company_id=company_id)
        .order_by(F("sku").asc(nulls_last=True), "id")
        .values_list("sku", "name", "description", "category", "unit", "price", "stock", "is_active")
    )
    for sku, name, description, category, unit, price, stock, is_active in products.iterator(chunk_size=2000):
        yield [
            neutralise(sku or ""),
            neutralise(name),
            neutralise(description),
            neutralise(category),
            neutralise(unit),
            f"{price:.2f}",  # never negative: numbers need no neutralising
            str(stock),
            "true" if is_active else "false",
        ]


class _Line:
    def write(self, text: str) -> str:
        return text


def export_csv(company_id: UUID) -> Iterator[str]:
    """The CSV text, a few hundred rows at a time, for a streaming response or a file."""
    writer = csv.writer(_Line())
    block = []
    for row in export_rows(company_id):
        block.append(writer.writerow(row))
        if len(block) == _BLOCK_ROWS:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)
