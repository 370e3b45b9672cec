"""Memory stays flat whatever the file's size: rows are streamed, SKUs kept out of Python memory."""

import tracemalloc

import pytest

from stockline.imports import services
from stockline.imports.skus import FileSkus
from tests.imports.support import csv_bytes, preview, row


def _peak_while_previewing(actor, rows: int) -> int:
    data = csv_bytes([row(f"S-{i:06d}", f"Product {i}", "x" * 40) for i in range(rows)])
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    preview(actor, data, detail_limit=10)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


@pytest.mark.django_db
def test_preview_memory_does_not_grow_with_the_file(actor, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 200)  # memory is bounded by a chunk, not by the file
    small, large = _peak_while_previewing(actor, 1_000), _peak_while_previewing(actor, 10_000)
    assert large < small * 1.5, (small, large)


def test_skus_of_a_file_are_kept_out_of_python_memory():
    with FileSkus() as skus:
        tracemalloc.start()
        for start in range(0, 50_000, 2000):
            skus.add((f"SKU-{i:07d}", i, None, None) for i in range(start, start + 2000))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert skus.first_rows(["SKU-0049999"]) == {"SKU-0049999": 49999}
    assert peak < 2 * 1024 * 1024
