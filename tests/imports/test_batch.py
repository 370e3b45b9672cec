"""The browser's batch: an upload kept between preview and apply (services, without the pages)."""

import io

import pytest

from stockline.audit.actors import ActorType
from stockline.audit.models import AuditEntry
from stockline.catalog.models import MovementReason, StockMovement
from stockline.core.channels import Channel
from stockline.imports import services
from stockline.imports.errors import FileTooLarge, ImportAlreadyApplied, ImportHasErrors
from stockline.imports.models import ImportBatch, ImportStatus
from stockline.imports.services import import_batch_apply, import_batch_preview, import_upload
from tests.factories import make_product
from tests.imports.support import csv_bytes, row, written

pytestmark = pytest.mark.django_db


def upload(actor, data: bytes, name="products.csv"):
    return import_upload(actor=actor, filename=name, source=io.BytesIO(data), size=len(data))


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("read")


def test_an_upload_over_two_megabytes_is_refused_unread(actor):
    with pytest.raises(FileTooLarge, match=r"The file is 2\.0 MB; uploads are limited to 2 MB"):
        import_upload(actor=actor, filename="big.csv", source=Unreadable(), size=2 * 1024 * 1024 + 1)


def test_a_stream_longer_than_its_declared_size_is_refused_too(actor, monkeypatch):
    monkeypatch.setattr(services, "BROWSER_MAX_BYTES", 100)
    before = written()
    with pytest.raises(FileTooLarge):
        import_upload(actor=actor, filename="f.csv", source=io.BytesIO(b"x" * 500), size=10)
    assert written() == before


def test_an_upload_is_stored_with_its_preview_and_the_stock_it_saw(company, actor):
    product = make_product(company, sku="A", stock=4)
    batch = upload(actor, csv_bytes([row("A", stock="6"), row("B")]))
    assert batch.status == ImportStatus.PREVIEWED
    assert (batch.preview["create"], batch.preview["update"]) == (1, 1)
    assert batch.stock_seen == {"A": [product.id.hex, 4]}


def test_a_file_error_is_stored_as_the_preview(actor):
    batch = upload(actor, b"\x00\x01")
    assert batch.preview == {
        "file_error": {"code": "binary", "message": batch.preview["file_error"]["message"]}
    }
    with pytest.raises(ImportHasErrors):
        import_batch_apply(actor=actor, batch_id=batch.id)


def test_preview_again_keeps_a_chosen_encoding_and_mapping(actor):
    data = "sku,name,Amount,stock\nA,Café,2,1\n".encode("windows-1252")
    batch = upload(actor, data)
    assert batch.preview["file_error"]["code"] == "encoding"
    batch = import_batch_preview(actor=actor, batch=batch, encoding="windows-1252")
    assert batch.preview["file_error"]["code"] == "columns"
    batch = import_batch_preview(actor=actor, batch=batch, mapping={"price": "Amount"})
    assert (batch.encoding, batch.mapping, batch.preview["create"]) == (
        "windows-1252",
        {"price": "Amount"},
        1,
    )


def test_apply_records_the_staff_member_on_the_import_channel(company, actor, owner):
    make_product(company, sku="A", stock=4)
    batch = import_batch_apply(actor=actor, batch_id=upload(actor, csv_bytes([row("A", stock="6")])).id)
    move = StockMovement.objects.get(reason=MovementReason.IMPORT)
    entry = AuditEntry.objects.get(id=batch.result["audit_entry"])
    for record in (move, entry):
        assert (record.channel, record.actor_type, record.actor_user_id) == (
            Channel.IMPORT,
            ActorType.USER,
            owner.user_id,
        )
    assert move.reference == str(batch.id)


def test_an_applied_batch_is_neither_applied_nor_previewed_again(actor):
    batch = import_batch_apply(actor=actor, batch_id=upload(actor, csv_bytes([row("A")])).id)
    assert (batch.status, bytes(batch.content)) == (ImportStatus.APPLIED, b"")
    before = written()
    with pytest.raises(ImportAlreadyApplied):
        import_batch_apply(actor=actor, batch_id=batch.id)
    with pytest.raises(ImportAlreadyApplied):
        import_batch_preview(actor=actor, batch=batch)
    assert written() == before


def test_a_preview_running_while_the_batch_is_applied_does_not_reopen_it(actor):
    batch = upload(actor, csv_bytes([row("A")]))
    stale = ImportBatch.objects.get(id=batch.id)  # loaded before the apply below commits
    import_batch_apply(actor=actor, batch_id=batch.id)
    with pytest.raises(ImportAlreadyApplied):
        import_batch_preview(actor=actor, batch=stale)
    assert ImportBatch.objects.get(id=batch.id).status == ImportStatus.APPLIED
