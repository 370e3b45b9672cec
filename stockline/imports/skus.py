"""Every SKU of one import file: the row it is on, and the product (id, stock) seen at preview.

Held in a private SQLite database that SQLite spills to a temporary file as it grows, so a
million SKUs cost disk rather than memory. Preview fills it (finding duplicate SKUs as it
goes); apply reads it back to lock the products in primary-key order and to refuse if any
stock changed since.
"""

import sqlite3
from collections.abc import Iterable, Iterator
from uuid import UUID


class FileSkus:
    def __init__(self):
        # "": a private on-disk database, deleted on close, kept in memory while it is small.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -16000;
            CREATE TABLE sku (
                sku TEXT PRIMARY KEY, row INTEGER NOT NULL, product_id TEXT, stock INTEGER
            ) WITHOUT ROWID;
            CREATE INDEX sku_product ON sku (product_id) WHERE product_id IS NOT NULL;
            BEGIN;
            """
        )  # one transaction for the database's life: a commit per insert would write the file each time

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "FileSkus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _select(self, columns: str, skus: list[str]) -> list[tuple]:
        marks = ",".join("?" * len(skus))
        return self._db.execute(f"SELECT sku, {columns} FROM sku WHERE sku IN ({marks})", skus).fetchall()  # noqa: S608

    def first_rows(self, skus: list[str]) -> dict[str, int]:
        """The row each of these SKUs was first seen on, for those already added."""
        return dict(self._select("row", skus)) if skus else {}

    def add(self, entries: Iterable[tuple[str, int, UUID | None, int | None]]) -> None:
        """(sku, row, id of the product with that SKU or None, its stock) for SKUs not added before."""
        self._db.executemany(
            "INSERT INTO sku VALUES (?, ?, ?, ?)",
            ((sku, row, pid.hex if pid else None, stock) for sku, row, pid, stock in entries),
        )

    def seen(self, skus: list[str]) -> dict[str, tuple[UUID, int]]:
        """The product (id, stock) each of these SKUs had at preview, for those that had one."""
        if not skus:
            return {}
        rows = self._select("product_id, stock", skus)
        return {sku: (UUID(pid), stock) for sku, pid, stock in rows if pid is not None}

    def seen_products(self, batch: int) -> Iterator[list[tuple[UUID, str, int]]]:
        """(product id, sku, stock) seen at preview, in primary-key order, `batch` at a time."""
        cursor = self._db.execute(
            "SELECT product_id, sku, stock FROM sku WHERE product_id IS NOT NULL ORDER BY product_id"
        )
        while rows := cursor.fetchmany(batch):
            yield [(UUID(pid), sku, stock) for pid, sku, stock in rows]

    def snapshot(self) -> dict[str, list]:
        """{sku: [product id, stock]} of the products seen at preview, to keep between requests."""
        rows = self._db.execute("SELECT sku, product_id, stock FROM sku WHERE product_id IS NOT NULL")
        return {sku: [pid, stock] for sku, pid, stock in rows}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, list]) -> "FileSkus":
        skus = cls()
        skus.add((sku, 0, UUID(pid), stock) for sku, (pid, stock) in snapshot.items())
        return skus
