"""The dashboard pages: /dashboard/inventory/import (upload → preview → apply) and /export."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stockline.accounts.models import Role
from stockline.audit.actors import Actor
from stockline.catalog.models import MovementReason, Product, StockMovement
from stockline.core.channels import Channel
from stockline.imports import services
from stockline.imports.models import ImportBatch, ImportStatus
from tests.factories import make_company, make_member, make_product, place
from tests.imports.support import HEADER, csv_bytes, row, written

pytestmark = pytest.mark.django_db

IMPORT_URL = "/dashboard/inventory/import"
EXPORT_URL = "/dashboard/inventory/export"


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


def upload(client, data: bytes, name="products.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def batch_of(response) -> ImportBatch:
    return ImportBatch.objects.get(id=response.url.rsplit("/", 1)[1])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_pages_have_the_specified_paths():
    assert reverse("imports:import") == IMPORT_URL
    assert reverse("imports:export") == EXPORT_URL


def test_signed_out_visitors_are_sent_to_log_in(client):
    assert client.get(IMPORT_URL).status_code == 302
    assert client.get(EXPORT_URL).status_code == 302


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.MEMBER])
def test_every_staff_role_may_import_and_export(client, company, role):
    membership = make_member(company, role) if role != Role.OWNER else company.memberships.get(role=role)
    client.force_login(membership.user)
    assert client.get(IMPORT_URL).status_code == 200
    assert client.get(EXPORT_URL).status_code == 200


def test_the_upload_page_explains_the_columns_and_limits(owner_client):
    page = text(owner_client.get(IMPORT_URL))
    assert "sku*, name*, description, category, unit, price*, stock*, isActive" in page
    assert "Up to 5,000 rows and 2 MB" in page


def test_an_upload_is_kept_as_a_batch_and_previewed_without_writing(owner_client, company, owner):
    make_product(company, sku="A", name="Widget", price=Decimal("9.99"), stock=4)
    before = written()
    response = upload(owner_client, csv_bytes([row("A", stock="6"), row("B", "Bolt")]))
    assert response.status_code == 302
    batch = batch_of(response)
    assert (batch.company_id, batch.created_by_id, batch.status) == (
        company.id,
        owner.user_id,
        ImportStatus.PREVIEWED,
    )
    assert bytes(batch.content) == csv_bytes([row("A", stock="6"), row("B", "Bolt")])
    assert batch.stock_seen == {"A": [Product.objects.get(sku="A").id.hex, 4]}
    assert written()["products"] == before["products"]
    page = text(owner_client.get(response.url))
    assert 'data-count="create">1<' in page
    assert 'data-count="update">1<' in page
    assert "4 → <strong>6</strong>" in page
    assert "Import 2 rows" in page


def test_every_row_error_is_shown_with_its_row_and_column_and_apply_is_withheld(owner_client):
    response = upload(owner_client, csv_bytes([row("A", price="-1"), row("B", stock="1.5"), row("A")]))
    page = text(owner_client.get(response.url))
    assert "3 errors: nothing can be imported until the file is fixed." in page
    assert (
        '<td class="num">2</td><td class="mono">price</td><td>Ensure this value is greater than or equal'
        in page
    )
    assert '<td class="num">3</td><td class="mono">stock</td><td>Enter a whole number.</td>' in page
    assert (
        '<td class="num">4</td><td class="mono">sku</td><td>Duplicate SKU &quot;A&quot; also on row 2</td>'
        in page
    )
    assert "data-import-apply" not in page


def test_apply_imports_the_batch_once(owner_client, company):
    response = upload(owner_client, csv_bytes([row("A", stock="6")]))
    batch = batch_of(response)
    applied = owner_client.post(f"{response.url}/apply", follow=True)
    assert "Imported products.csv: 1 created, 0 updated, 0 unchanged." in text(applied)
    assert Product.objects.get(company=company, sku="A").stock == 6
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert bytes(batch.content) == b""
    move = StockMovement.objects.get(reason=MovementReason.IMPORT)
    assert (move.channel, move.reference) == (Channel.IMPORT, str(batch.id))
    again = owner_client.post(f"{response.url}/apply", follow=True)
    assert "This import was already applied; nothing was imported again." in text(again)
    assert StockMovement.objects.filter(reason=MovementReason.IMPORT).count() == 1


def test_apply_refuses_when_stock_changed_and_preview_again_shows_the_new_stock(owner_client, company):
    sold = make_product(company, sku="A", name="Widget", price=Decimal("9.99"), stock=10)
    response = upload(owner_client, csv_bytes([row("A", stock="50")]))
    place(company, [(sold, 4)])
    refused = owner_client.post(f"{response.url}/apply", follow=True)
    assert "Stock changed since the preview (“A” 10 → 6). Nothing was imported" in text(refused)
    assert Product.objects.get(id=sold.id).stock == 6
    owner_client.post(response.url, {"refresh": "1"})
    assert "6 → <strong>50</strong>" in text(owner_client.get(response.url))
    owner_client.post(f"{response.url}/apply")
    assert Product.objects.get(id=sold.id).stock == 50


def test_a_missing_column_is_mapped_in_the_preview(owner_client, company):
    data = csv_bytes([["A", "Widget", "4.00", "3"]], header=["Code", "Title", "Cost each", "Count"])
    response = upload(owner_client, data)
    page = text(owner_client.get(response.url))
    assert "Missing required columns: sku, price, stock." in page
    assert 'name="map_price"' in page
    mapping = {"map_sku": "Code", "map_name": "Title", "map_price": "Cost each", "map_stock": "Count"}
    owner_client.post(response.url, {"encoding": "utf-8", **mapping})
    page = text(owner_client.get(response.url))
    assert 'data-count="create">1<' in page
    assert "sku</span> ← “Code”" in page
    owner_client.post(f"{response.url}/apply")
    assert str(Product.objects.get(company=company, sku="A").price) == "4.00"


def test_a_mapping_using_one_column_twice_is_refused(owner_client):
    response = upload(
        owner_client, csv_bytes([["A", "W", "4", "3"]], header=["Code", "Title", "Cost", "Count"])
    )
    mapping = {"map_sku": "Code", "map_name": "Code", "map_price": "Cost", "map_stock": "Count"}
    refused = owner_client.post(response.url, {"encoding": "utf-8", **mapping})
    assert refused.status_code == 400
    assert "Each column of the file can be used for one field only." in text(refused)


def test_a_windows_1252_file_is_offered_that_encoding(owner_client, company):
    data = csv_bytes([row("A", "Café crème")]).decode().encode("windows-1252")
    response = upload(owner_client, data)
    page = text(owner_client.get(response.url))
    assert "The file is not UTF-8 text" in page
    assert "Read it as Windows-1252" in page
    owner_client.post(response.url, {"encoding": "windows-1252"})
    owner_client.post(f"{response.url}/apply")
    assert Product.objects.get(company=company, sku="A").name == "Café crème"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "This is an Excel workbook (.xlsx)"),
        (b"sku,name,price,stock\nA,\x00\x01,1,1\n", "The file contains binary data"),
        (b"\n,,,\n", "The file is empty"),
        (b"A-1,Widget,9.99,10\n", "The first row must be a header"),
        (HEADER.encode() + b"\n", "no product rows"),
        (HEADER.encode() + b'\nA,"Widget,,,each,1,1,true\n', "a quoted cell is never closed"),
    ],
)
def test_bad_files_get_a_clear_error_and_write_nothing(owner_client, data, message):
    before = written()
    response = upload(owner_client, data)
    page = text(owner_client.get(response.url))
    assert message in page
    assert "Nothing was imported." in page
    assert "data-import-apply" not in page
    assert {k: v for k, v in written().items() if k != "batches"} == {
        k: v for k, v in before.items() if k != "batches"
    }
    refused = owner_client.post(f"{response.url}/apply", follow=True)
    assert "nothing was imported" in text(refused)


def test_more_rows_than_the_browser_limit_are_refused(owner_client, monkeypatch):
    monkeypatch.setattr(services, "BROWSER_MAX_ROWS", 3)
    response = upload(owner_client, csv_bytes([row(f"S-{i}") for i in range(4)]))
    assert "The file has more than 3 product rows" in text(owner_client.get(response.url))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(owner_client, monkeypatch):
    monkeypatch.setattr(services, "BROWSER_MAX_BYTES", 1000)
    response = upload(owner_client, csv_bytes([row(f"S-{i}") for i in range(50)]))
    assert response.status_code == 413
    assert "Split it, or use the command-line importer" in text(response)
    assert not ImportBatch.objects.exists()


def test_a_body_far_over_the_limit_is_refused_without_parsing_it(owner_client):
    response = owner_client.post(
        IMPORT_URL, data=b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=3 * 1024 * 1024
    )
    assert response.status_code == 413
    assert "The file is larger than 2 MB; nothing was imported." in text(response)


def test_an_upload_without_a_file_is_refused(owner_client):
    response = owner_client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_an_empty_upload_is_refused(owner_client):
    response = upload(owner_client, b"")
    assert response.status_code == 400
    assert "The submitted file is empty." in text(response)
    assert not ImportBatch.objects.exists()


def test_another_companys_batch_is_not_found(owner_client):
    other, _ = make_company("Other Co")
    other_owner = other.memberships.get(role=Role.OWNER)
    batch = services.import_upload(
        actor=Actor.staff(other_owner), filename="x.csv", source=io.BytesIO(csv_bytes([row()])), size=100
    )
    assert owner_client.get(f"{IMPORT_URL}/{batch.id}").status_code == 404
    assert owner_client.post(f"{IMPORT_URL}/{batch.id}/apply").status_code == 404
    assert not Product.objects.filter(sku="SKU-1").exists()


def test_export_downloads_the_catalog_as_csv_with_a_byte_order_mark(owner_client, company):
    make_product(company, sku="A", name="=cmd", stock=2)
    other, _ = make_company("Other Co")
    make_product(other, sku="THEIRS")
    response = owner_client.get(EXPORT_URL)
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{company.slug}-products-')
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(body[1:]))) == [
        HEADER.split(","),
        ["A", "'=cmd", "", "", "each", "10.00", "2", "true"],
    ]


def test_an_exported_file_uploaded_again_previews_every_row_unchanged(owner_client, company):
    for i in range(3):
        make_product(company, sku=f"S-{i}", name=f"-{i}", description="a,b\nc", stock=i)
    exported = b"".join(owner_client.get(EXPORT_URL).streaming_content)
    response = upload(owner_client, exported)
    page = text(owner_client.get(response.url))
    assert 'data-count="unchanged">3<' in page
    assert 'data-count="create">0<' in page
    assert 'data-count="update">0<' in page
