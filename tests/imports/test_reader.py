"""Reading the bytes of a CSV file: encodings, binary data, CSV syntax, size guards, streaming."""

import io

import pytest

from stockline.imports import reader as reader_module
from stockline.imports.errors import EmptyFile, MalformedCsv, NotText, NotUtf8
from stockline.imports.reader import CsvRows


def read(data: bytes, **options):
    rows = CsvRows(io.BytesIO(data), **options)
    return rows.header, list(rows)


def test_rows_are_numbered_as_a_spreadsheet_numbers_them():
    header, rows = read(b"sku,name\nA,Apple\nB,Banana\n")
    assert header == ["sku", "name"]
    assert rows == [(2, ["A", "Apple"]), (3, ["B", "Banana"])]


def test_utf8_byte_order_mark_is_not_part_of_the_first_header():
    header, rows = read("\ufeffsku,name\nA,Café\n".encode())
    assert header == ["sku", "name"]
    assert rows == [(2, ["A", "Café"])]


def test_blank_rows_are_skipped_but_still_counted():
    _, rows = read(b"sku,name\n\nA,Apple\n,\n  , \nB,Banana\n")
    assert rows == [(3, ["A", "Apple"]), (6, ["B", "Banana"])]


def test_leading_blank_rows_before_the_header_are_skipped():
    header, rows = read(b"\n,,\nsku,name\nA,Apple\n")
    assert header == ["sku", "name"]
    assert rows == [(4, ["A", "Apple"])]


def test_quoted_cells_keep_commas_doubled_quotes_and_line_breaks():
    _, rows = read(b'sku,name\nA,"Bolt, 5"" long\r\nzinc"\nB,plain\n')
    assert rows == [(2, ["A", 'Bolt, 5" long\r\nzinc']), (3, ["B", "plain"])]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_any_line_ending_is_read(newline):
    _, rows = read(newline.join([b"sku,name", b"A,Apple", b"B,Banana"]))
    assert [cells for _, cells in rows] == [["A", "Apple"], ["B", "Banana"]]


def test_windows_1252_bytes_are_refused_as_not_utf8_and_windows_1252_is_suggested():
    with pytest.raises(NotUtf8) as caught:
        read("sku,name\nA,Café crème – 10\u20ac\n".encode("windows-1252"))
    assert caught.value.suggestion == "windows-1252"
    assert "not UTF-8" in caught.value.message
    assert "Windows-1252" in caught.value.message
    assert "Café" in caught.value.message  # the context, decoded as suggested


def test_bytes_windows_1252_cannot_decode_suggest_latin_1():
    with pytest.raises(NotUtf8) as caught:
        read(b"sku,name\nA,x\x81y\n")
    assert caught.value.suggestion == "latin-1"


def test_a_windows_1252_file_reads_when_that_encoding_is_chosen():
    _, rows = read("sku,name\nA,Café – 10\u20ac\n".encode("windows-1252"), encoding="windows-1252")
    assert rows == [(2, ["A", "Café – 10\u20ac"])]


def test_latin_1_reads_any_byte_above_the_controls():
    _, rows = read(b"sku,name\nA,x\x81\xe9\n", encoding="latin-1")
    assert rows == [(2, ["A", "x\x81é"])]


def test_a_utf8_sequence_cut_short_at_the_end_is_refused():
    with pytest.raises(NotUtf8):
        read("sku,name\nA,Café".encode()[:-1])


def test_utf8_invalid_far_into_a_big_file_is_refused():
    data = b"sku,name\n" + b"A,Apple\n" * 50_000 + b"B,\xff\n"
    with pytest.raises(NotUtf8):
        read(data)


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_text_is_refused_with_a_save_as_utf8_hint(bom):
    with pytest.raises(NotUtf8) as caught:
        read(bom + "sku,name\n".encode("utf-16-le"))
    assert "UTF-16" in caught.value.message
    assert "CSV UTF-8" in caught.value.message
    assert caught.value.suggestion == ""


@pytest.mark.parametrize(
    ("magic", "words"),
    [(b"PK\x03\x04", "Excel workbook (.xlsx)"), (b"\xd0\xcf\x11\xe0", ".xls"), (b"%PDF-1.7", "PDF")],
)
def test_workbooks_and_documents_are_refused_by_name(magic, words):
    with pytest.raises(NotText) as caught:
        read(magic + b"\x00\x01rest of the file")
    assert words in caught.value.message


@pytest.mark.parametrize("byte", [b"\x00", b"\x01", b"\x08", b"\x0b", b"\x0c", b"\x1b", b"\x1f", b"\x7f"])
def test_control_bytes_are_binary_data(byte):
    with pytest.raises(NotText) as caught:
        read(b"sku,name\nA,App" + byte + b"le\n")
    assert "binary data" in caught.value.message
    assert f"0x{byte[0]:02X} at position 14" in caught.value.message


def test_tabs_inside_cells_are_text():
    _, rows = read(b"sku,name\nA,\tApple\n")
    assert rows == [(2, ["A", "\tApple"])]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", b" , ,\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(EmptyFile, match="empty"):
        read(data)


def test_an_unclosed_quote_is_refused_with_its_row():
    with pytest.raises(MalformedCsv) as caught:
        read(b'sku,name\nA,Apple\nB,"Banana\n')
    assert caught.value.message.startswith("Row 3: a quoted cell is never closed")


def test_text_after_a_closing_quote_is_refused_with_its_row():
    with pytest.raises(MalformedCsv) as caught:
        read(b'sku,name\nA,"Apple" pie\n')
    assert caught.value.message.startswith("Row 2: a quote")


def test_a_cell_beyond_the_csv_field_limit_is_refused():
    with pytest.raises(MalformedCsv) as caught:
        read(b'sku,name\nA,"' + b"x\n" * 70_000 + b'"\n')
    assert "has a cell longer than 131,072 characters" in caught.value.message


def test_a_line_beyond_the_line_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_LINE_CHARS", 1000)
    with pytest.raises(MalformedCsv, match="Row 2 is longer than 1,000 characters"):
        read(b"sku,name\n" + b"A," * 600 + b"\n")


def test_rows_are_read_as_they_are_needed_not_all_at_once():
    data = b"sku,name\n" + b"A,Apple\n" * 200_000  # 1.6 MB
    rows = CsvRows(io.BytesIO(data))
    next(iter(rows))
    assert rows.bytes_read <= 128 * 1024
