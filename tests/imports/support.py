"""Building CSV files and running them through the importer, for the import tests."""

import csv
import io

from stockline.audit.models import AuditEntry
from stockline.catalog.models import Product, StockMovement
from stockline.imports.columns import COLUMNS
from stockline.imports.models import ImportBatch
from stockline.imports.services import import_file_apply, import_preview
from stockline.imports.skus import FileSkus

HEADER = ",".join(COLUMNS)


def csv_text(rows: list[list], header: list[str] | tuple = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[str(c) for c in row] for row in rows])
    return out.getvalue()


def csv_bytes(rows: list[list], header: list[str] | tuple = COLUMNS) -> bytes:
    return csv_text(rows, header).encode()


def row(
    sku="SKU-1",
    name="Widget",
    description="",
    category="",
    unit="each",
    price="9.99",
    stock="10",
    active="true",
):
    return [sku, name, description, category, unit, price, stock, active]


def preview(actor, data: bytes, **options):
    with FileSkus() as skus:
        return import_preview(actor=actor, source=io.BytesIO(data), skus=skus, **options)


def import_now(actor, data: bytes, mapping=None, **options):
    """Preview then apply, as the command line does; returns (preview, batch)."""
    with FileSkus() as skus:
        found = import_preview(actor=actor, source=io.BytesIO(data), skus=skus, mapping=mapping, **options)
        batch = import_file_apply(
            actor=actor,
            filename="test.csv",
            source=io.BytesIO(data),
            preview=found,
            skus=skus,
            mapping=mapping,
        )
    return found, batch


def written() -> dict:
    """Everything an import may write, to prove a refused one wrote nothing."""
    return {
        "products": sorted(
            Product.objects.values_list(
                "id",
                "sku",
                "name",
                "description",
                "category",
                "unit",
                "price",
                "stock",
                "is_active",
                "updated_at",
            )
        ),
        "movements": StockMovement.objects.count(),
        "audit": AuditEntry.objects.count(),
        "batches": list(ImportBatch.objects.values_list("id", "status")),
    }
