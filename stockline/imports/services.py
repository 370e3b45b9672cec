"""Product CSV import: preview (reads, writes nothing), then apply (every row or none).

import_preview      read a file, check every row, classify it against the company's products
import_upload       the browser: keep the uploaded file as an ImportBatch and preview it
import_batch_preview  preview a stored upload again (another encoding or column mapping)
import_batch_apply  the browser: apply a clean preview once
import_file_apply   the command line: apply a previewed file of any size

Both applies run in one transaction, lock every product seen at preview in primary-key order
before writing, and refuse (ImportStale, nothing written) if any stock changed since the
preview. They write products with bulk statements a chunk at a time, a StockMovement with
reason IMPORT for every stock set or changed, a product.created event per new product and a
product.updated per product whose fields other than stock changed (one insert a chunk), one
ProductBulkUpdated audit entry per import and one ProductCreated entry summarising the new
products.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import BinaryIO
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from stockline.accounts.models import Company
from stockline.accounts.permissions import Perm
from stockline.audit.actors import Actor
from stockline.audit.models import AuditAction, AuditEntry
from stockline.audit.services import audit_entry_build
from stockline.catalog.models import MovementReason, Product
from stockline.catalog.services import BULK_AUDIT_DETAIL_LIMIT
from stockline.catalog.stock import LedgerEntry, Opening, StockChange, stock_open, stock_write
from stockline.core.channels import Channel
from stockline.core.ids import uuid7
from stockline.core.rows import rows_insert, rows_update
from stockline.events.feed import events_record
from stockline.events.models import EventType
from stockline.events.payloads import event_rows, products_data
from stockline.imports.columns import column_map
from stockline.imports.errors import (
    Drift,
    EmptyFile,
    FileChanged,
    FileTooLarge,
    ImportAlreadyApplied,
    ImportConflict,
    ImportFileError,
    ImportHasErrors,
    ImportStale,
    RowError,
    TooManyRows,
)
from stockline.imports.models import ImportBatch, ImportStatus
from stockline.imports.reader import DEFAULT_ENCODING, CsvRows
from stockline.imports.skus import FileSkus
from stockline.imports.summary import ImportPreview, RowChange
from stockline.imports.validation import ProductRow, RowParser, rules

CHUNK_ROWS = 2000
BROWSER_MAX_ROWS = 5000
BROWSER_MAX_BYTES = 2 * 1024 * 1024
DETAIL_LIMIT = 1000  # rows to create/update listed in a preview; the counts cover them all

# Product fields a row may set (the SKU is the key), and how the CSV names them.
FIELDS = ("name", "description", "category", "unit", "price", "stock", "is_active")
COLUMN_OF = {"is_active": "isActive"}
_EXISTING = ("id", "sku", *FIELDS, "version", "low_stock_threshold", "created_at")
_ID, _SKU, _STOCK = 0, 1, _EXISTING.index("stock")
_NAME, _VERSION, _THRESHOLD = (
    _EXISTING.index("name"),
    _EXISTING.index("version"),
    _EXISTING.index("low_stock_threshold"),
)

Progress = Callable[[int, int], None]  # (rows done, bytes read)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _existing(company_id: UUID, skus: list[str]) -> dict[str, tuple]:
    """The company's products with these SKUs, as _EXISTING tuples keyed by SKU."""
    if not skus:
        return {}
    rows = Product.objects.filter(company_id=company_id, sku__in=skus).values_list(*_EXISTING)
    return {row[_SKU]: row for row in rows}


def _diff(row: ProductRow, current: tuple) -> dict[str, tuple]:
    """field → (now, from the file) for every field the row would change."""
    changes = {}
    for i, name in enumerate(FIELDS, start=2):
        new = getattr(row, name)
        if new is not None and new != current[i]:
            changes[name] = (current[i], new)
    return changes


def import_preview(
    *,
    actor: Actor,
    source: BinaryIO,
    skus: FileSkus,
    encoding: str = DEFAULT_ENCODING,
    mapping: dict[str, str] | None = None,
    max_rows: int | None = None,
    detail_limit: int = DETAIL_LIMIT,
    error_limit: int | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read and check every row and classify it against the company's products. Writes nothing.

    Raises an ImportFileError for a file that cannot be read as a product list; row errors
    (duplicates included) are in the result. Fills `skus`, which apply needs.
    """
    actor.require(Perm.MANAGE_PRODUCTS)
    reader = CsvRows(source, encoding=encoding)
    columns = column_map(reader.header, mapping)
    parser = RowParser(columns)
    preview = ImportPreview(
        encoding=encoding, header=columns.header, columns=columns.as_mapping(), ignored=columns.ignored
    )

    def report(error: RowError) -> None:
        preview.error_count += 1
        if error_limit is None or len(preview.errors) < error_limit:
            preview.errors.append(error)

    for chunk in _chunks(reader, CHUNK_ROWS):
        preview.rows += len(chunk)
        if max_rows is not None and preview.rows > max_rows:
            raise TooManyRows(
                f"The file has more than {max_rows:,} product rows. Import at most {max_rows:,} rows at a "
                "time here, or use the command-line importer (manage.py import_products), which has no limit."
            )
        parsed = [parser.parse(row, cells) for row, cells in chunk]
        earlier = skus.first_rows(list({sku for _, _, sku in parsed if sku}))
        first_here: dict[str, int] = {}
        valid: list[ProductRow] = []
        for (row, _), (product_row, errors, sku) in zip(chunk, parsed, strict=True):
            if sku:
                first = earlier.get(sku) or first_here.get(sku)
                if first:
                    errors.append(RowError(row, "sku", f'Duplicate SKU "{sku}" also on row {first}'))
                else:
                    first_here[sku] = row
            for error in errors:
                report(error)
            if not errors:
                valid.append(product_row)
        existing = _existing(actor.company_id, list(first_here))
        skus.add(
            (sku, row, *((existing[sku][_ID], existing[sku][_STOCK]) if sku in existing else (None, None)))
            for sku, row in first_here.items()
        )
        for product_row in valid:
            _classify(preview, product_row, existing.get(product_row.sku), detail_limit)
        if progress:
            progress(preview.rows, reader.bytes_read)
    if preview.rows == 0:
        raise EmptyFile("The file has a header row but no product rows below it.")
    preview.digest = reader.digest
    return preview


def _classify(preview: ImportPreview, row: ProductRow, current: tuple | None, detail_limit: int) -> None:
    if current is None:
        preview.create += 1
        change = RowChange(row.row, row.sku, row.name, "create", None, row.stock, [])
    else:
        diff = _diff(row, current)
        if not diff:
            preview.unchanged += 1
            return
        preview.update += 1
        preview.stock_changes += "stock" in diff
        fields = [COLUMN_OF.get(f, f) for f in diff]
        change = RowChange(row.row, row.sku, row.name, "update", current[_STOCK], row.stock, fields)
    if len(preview.changes) < detail_limit:
        preview.changes.append(change)


def _lock_seen(company_id: UUID, skus: FileSkus) -> None:
    """Lock every product seen at preview, in primary-key order, before anything is written.

    Orders lock their products in pk order too, so an import and an order never deadlock.
    SQLite has no row locks: its write transaction (BEGIN IMMEDIATE) already excludes every
    other writer.
    """
    if not connection.features.has_select_for_update:
        return
    for seen in skus.seen_products(CHUNK_ROWS):
        ids = [pid for pid, _, _ in seen]
        locked = Product.objects.select_for_update(of=("self",)).filter(company_id=company_id, id__in=ids)
        list(locked.order_by("pk").values_list("id", flat=True))


def _drift(rows: list[ProductRow], existing: dict[str, tuple], seen: dict[str, tuple]) -> list[Drift]:
    """Rows whose product is not the one, or not at the stock, the preview saw."""
    drift = []
    for r in rows:
        current, was = existing.get(r.sku), seen.get(r.sku)
        if current is None and was is None:
            continue
        if current is None or was is None or current[_ID] != was[0] or current[_STOCK] != was[1]:
            drift.append(Drift(r.sku, was and was[1], current and current[_STOCK]))
    return drift


class _Writer:
    """The writes of one apply, a chunk at a time: products, their ledger rows, then the audit entries."""

    def __init__(self, *, actor: Actor, channel: str, batch: ImportBatch):
        self.actor = actor
        self.company_id = actor.company_id
        self.batch = batch
        self.now = timezone.now()
        self.counts = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "stock_changes": 0}
        self.created_detail: list[dict] = []
        self.updated_detail: list[dict] = []
        # Movements point at these entries, written last with the final counts: the foreign
        # keys are deferred to commit.
        self.updated_entry, self.created_entry = (
            audit_entry_build(
                actor=actor, action=action, entity_type="product", entity_id="bulk", channel=channel
            )
            for action in (AuditAction.PRODUCT_BULK_UPDATED, AuditAction.PRODUCT_CREATED)
        )
        self.updated_ledger, self.created_ledger = (
            LedgerEntry(
                actor=actor,
                channel=channel,
                reason=MovementReason.IMPORT,
                audit_entry_id=entry.id,
                reference=str(batch.id),
            )
            for entry in (self.updated_entry, self.created_entry)
        )
        # New products: the model's defaults for the fields a file does not set.
        self.product_fields = [f.attname for f in Product._meta.concrete_fields]
        product = Product(company_id=self.company_id, created_at=self.now, updated_at=self.now)
        self.product_template = {name: getattr(product, name) for name in self.product_fields}
        self.unit_default = rules().unit_default
        self.company_threshold = Company.objects.values_list("low_stock_threshold", flat=True).get(
            id=self.company_id
        )

    def _stock_change(self, current: tuple, row: ProductRow) -> StockChange:
        override = current[_THRESHOLD]
        return StockChange(
            current[_ID],
            current[_STOCK],
            row.stock,
            current[_VERSION] + 1,
            row.sku,
            row.name or current[_NAME],
            self.company_threshold if override is None else override,
        )

    def _new_product(self, row: ProductRow) -> dict:
        return self.product_template | {
            "id": uuid7(),
            "sku": row.sku,
            "name": row.name,
            "description": row.description or "",
            "category": row.category or "",
            "unit": row.unit or self.unit_default,
            "price": row.price,
            "stock": row.stock,
            "is_active": True if row.is_active is None else row.is_active,
        }

    def chunk(self, rows: list[ProductRow], existing: dict[str, tuple]) -> None:
        """Create or update these rows' products; `existing` are the locked products by SKU."""
        creates, updates, opening, stock_changes = [], [], [], []
        created, updated = [], []  # the products of the chunk's events, as written
        for r in rows:
            current = existing.get(r.sku)
            if current is None:
                product = self._new_product(r)
                creates.append(values := list(product.values()))
                created.append(Product(*values))  # in concrete-field order: Django's fast init
                opening.append(Opening(product["id"], r.stock, r.sku, r.name, self.company_threshold))
                if len(self.created_detail) < BULK_AUDIT_DETAIL_LIMIT:
                    self.created_detail.append(
                        {"id": str(product["id"]), "sku": r.sku, "name": r.name, "stock": r.stock}
                    )
                continue
            diff = _diff(r, current)
            if not diff:
                self.counts["unchanged"] += 1
                continue
            updates.append((current, diff))
            if diff.keys() != {"stock"}:
                updated.append(self._updated_product(current, diff))
            if "stock" in diff:
                self.counts["stock_changes"] += 1
                stock_changes.append(self._stock_change(current, r))
            if len(self.updated_detail) < BULK_AUDIT_DETAIL_LIMIT:
                changes = {COLUMN_OF.get(f, f): [_json(a), _json(b)] for f, (a, b) in diff.items()}
                self.updated_detail.append({"id": str(current[_ID]), "sku": r.sku, "changes": changes})
        rows_insert(Product, self.product_fields, creates)
        # A product's created / updated event comes before its stock events, as in catalog.services.
        events_record(
            [
                *event_rows(self.company_id, EventType.PRODUCT_CREATED, self._data(created), self.now),
                *event_rows(self.company_id, EventType.PRODUCT_UPDATED, self._data(updated), self.now),
            ]
        )
        stock_open(opening, self.created_ledger, now=self.now)
        self._update(updates)
        stock_write(stock_changes, self.updated_ledger, now=self.now)
        self.counts["rows"] += len(rows)
        self.counts["created"] += len(creates)
        self.counts["updated"] += len(updates)

    def _updated_product(self, current: tuple, diff: dict) -> Product:
        """The product of `current` (an _EXISTING tuple) as the update leaves it."""
        values = dict(zip(_EXISTING, current, strict=True)) | {f: new for f, (_, new) in diff.items()}
        return Product(company_id=self.company_id, updated_at=self.now, **values)

    def _data(self, products: list[Product]) -> list[dict]:
        return products_data(products, company_threshold=self.company_threshold)

    def _update(self, updates: list[tuple[tuple, dict]]) -> None:
        """One UPDATE per product of the fields other than stock (catalog.stock writes it) any
        product of the chunk changes (others keep their value)."""
        fields = [f for f in FIELDS if f != "stock" and any(f in diff for _, diff in updates)]
        rows = []
        for current, diff in updates:
            if diff.keys() == {"stock"}:
                continue
            values = dict(zip(_EXISTING, current, strict=True))
            rows.append([diff[f][1] if f in diff else values[f] for f in fields] + [self.now, current[_ID]])
        rows_update(Product, [*fields, "updated_at"], rows)

    def finish(self) -> dict:
        """Write the audit entries; returns the counts."""
        reference = str(self.batch.id)
        self.updated_entry.metadata = {
            "import": reference,
            "file": self.batch.filename,
            **self.counts,
            "products": self.updated_detail,
        }
        entries = [self.updated_entry]
        if self.counts["created"]:
            self.created_entry.metadata = {
                "import": reference,
                "file": self.batch.filename,
                "count": self.counts["created"],
                "products": self.created_detail,
            }
            entries.append(self.created_entry)
        AuditEntry.objects.bulk_create(entries)
        return {**self.counts, "audit_entry": str(self.updated_entry.id)}


def _apply(
    *,
    actor: Actor,
    channel: str,
    batch: ImportBatch,
    source: BinaryIO,
    preview: ImportPreview,
    skus: FileSkus,
    mapping: dict[str, str] | None,
    progress: Progress | None,
) -> dict:
    """The writes of an apply, inside the caller's transaction. Returns the counts."""
    _lock_seen(actor.company_id, skus)
    reader = CsvRows(source, encoding=preview.encoding)
    parser = RowParser(column_map(reader.header, mapping))
    writer = _Writer(actor=actor, channel=channel, batch=batch)
    for chunk in _chunks(reader, CHUNK_ROWS):
        rows = []
        for row, cells in chunk:
            product_row, errors, _ = parser.parse(row, cells)
            if errors:
                raise FileChanged()
            rows.append(product_row)
        chunk_skus = [r.sku for r in rows]
        existing = _existing(actor.company_id, chunk_skus)
        drift = _drift(rows, existing, skus.seen(chunk_skus))
        if drift:
            raise ImportStale(drift)
        writer.chunk(rows, existing)
        if progress:
            progress(writer.counts["rows"], reader.bytes_read)
    if reader.digest != preview.digest:
        raise FileChanged()
    return writer.finish()


def _json(value):
    return str(value) if not isinstance(value, bool | int | str | type(None)) else value


def import_upload(*, actor: Actor, filename: str, source: BinaryIO, size: int) -> ImportBatch:
    """Keep an uploaded file (`size` bytes) as a batch and preview it; FileTooLarge over the limit."""
    actor.require(Perm.MANAGE_PRODUCTS)
    content = b"" if size > BROWSER_MAX_BYTES else source.read(BROWSER_MAX_BYTES + 1)
    if max(size, len(content)) > BROWSER_MAX_BYTES:
        raise FileTooLarge(
            f"The file is {max(size, len(content)) / 1024 / 1024:.1f} MB; uploads are limited to "
            f"{BROWSER_MAX_BYTES // 1024 // 1024} MB. Split it, or use the command-line importer "
            "(manage.py import_products), which has no limit."
        )
    batch = ImportBatch(
        company_id=actor.company_id,
        created_by_id=actor.user_id,
        channel=Channel.IMPORT,
        filename=filename[:255],
        content=content,
    )
    return import_batch_preview(actor=actor, batch=batch)


def import_batch_preview(
    *, actor: Actor, batch: ImportBatch, encoding: str | None = None, mapping: dict[str, str] | None = None
) -> ImportBatch:
    """Preview a stored upload (again, with another encoding or column mapping) and save the batch."""
    actor.require(Perm.MANAGE_PRODUCTS)
    if batch.status == ImportStatus.APPLIED:
        raise ImportAlreadyApplied()
    if encoding is not None:
        batch.encoding = encoding
    if mapping is not None:
        batch.mapping = mapping
    with FileSkus() as skus:
        try:
            preview = import_preview(
                actor=actor,
                source=io.BytesIO(bytes(batch.content)),
                skus=skus,
                encoding=batch.encoding,
                mapping=batch.mapping,
                max_rows=BROWSER_MAX_ROWS,
            )
        except ImportFileError as error:
            batch.preview = {"file_error": error.as_json()}
            batch.stock_seen = {}
        else:
            batch.preview = preview.as_json()
            batch.stock_seen = skus.snapshot()
    if batch._state.adding:
        batch.save()
        return batch
    # Only while still a preview: an apply that committed meanwhile must not be undone.
    saved = ImportBatch.objects.filter(id=batch.id, status=ImportStatus.PREVIEWED).update(
        encoding=batch.encoding, mapping=batch.mapping, preview=batch.preview, stock_seen=batch.stock_seen
    )
    if not saved:
        raise ImportAlreadyApplied()
    return batch


def import_batch_apply(*, actor: Actor, batch_id: UUID) -> ImportBatch:
    """Apply a stored upload whose preview is clean, once. ImportRefused subclasses say why not."""
    actor.require(Perm.MANAGE_PRODUCTS)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(company_id=actor.company_id, id=batch_id)
            if batch.status == ImportStatus.APPLIED:
                raise ImportAlreadyApplied()
            if "file_error" in batch.preview:
                raise ImportHasErrors(1)
            preview = ImportPreview.from_json(batch.preview)
            if not preview.ready:
                raise ImportHasErrors(preview.error_count)
            with FileSkus.from_snapshot(batch.stock_seen) as skus:
                batch.result = _apply(
                    actor=actor,
                    channel=batch.channel,
                    batch=batch,
                    source=io.BytesIO(bytes(batch.content)),
                    preview=preview,
                    skus=skus,
                    mapping=batch.mapping,
                    progress=None,
                )
            batch.status = ImportStatus.APPLIED
            batch.applied_at = timezone.now()
            batch.content = b""
            batch.save(update_fields=["status", "applied_at", "result", "content"])
    except IntegrityError as error:
        raise ImportConflict() from error
    return batch


def import_file_apply(
    *,
    actor: Actor,
    filename: str,
    source: BinaryIO,
    preview: ImportPreview,
    skus: FileSkus,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportBatch:
    """Apply a file previewed by import_preview (same `skus`), of any size, in one transaction."""
    actor.require(Perm.MANAGE_PRODUCTS)
    if not preview.ready:
        raise ImportHasErrors(preview.error_count)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                company_id=actor.company_id,
                created_by_id=actor.user_id,
                channel=Channel.CLI,
                filename=filename[:255],
                encoding=preview.encoding,
                mapping=mapping or {},
                status=ImportStatus.APPLIED,
            )
            batch.result = _apply(
                actor=actor,
                channel=Channel.CLI,
                batch=batch,
                source=source,
                preview=preview,
                skus=skus,
                mapping=mapping,
                progress=progress,
            )
            batch.applied_at = timezone.now()
            batch.save(update_fields=["result", "applied_at"])
    except IntegrityError as error:
        raise ImportConflict() from error
    return batch
