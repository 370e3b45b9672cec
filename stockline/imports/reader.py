"""Reading a CSV byte stream row by row: decoding, binary and size guards, CSV syntax.

Nothing here knows about products. Memory stays flat whatever the file's size: bytes are
read in blocks, lines are bounded, and cells are bounded by the csv module's field limit.
"""

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from stockline.imports.errors import EmptyFile, MalformedCsv, NotText, NotUtf8

# The encodings a file may be read as; UTF-8 unless the user picks another after a decode error.
ENCODINGS = {
    "utf-8": "UTF-8",
    "windows-1252": "Windows-1252 (Excel on Windows, Western European)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
DEFAULT_ENCODING = "utf-8"


def encoding_name(encoding: str) -> str:
    """ "Windows-1252", without the explanation."""
    return ENCODINGS[encoding].split(" (")[0]


# One physical line; the longest legitimate row is a few thousand characters.
MAX_LINE_CHARS = 1_000_000
_BLOCK = 64 * 1024

# C0 controls other than tab, LF and CR, and DEL: never in a spreadsheet's CSV, always in binaries.
# Every encoding above maps these bytes to themselves, so they can be checked before decoding.
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_MAGIC = {
    b"PK\x03\x04": "This is an Excel workbook (.xlsx) or another zip file, not CSV.",
    b"\xd0\xcf\x11\xe0": "This is an Excel 97–2003 workbook (.xls), not CSV.",
    b"%PDF": "This is a PDF document, not CSV.",
}
_SAVE_AS = " In your spreadsheet choose File → Save As → “CSV UTF-8 (comma delimited)”."


class _GuardedBytes(io.RawIOBase):
    """The file's bytes, refused as binary at the first control byte, counted and hashed as they pass."""

    def __init__(self, stream: BinaryIO, head: bytes):
        self._stream = stream
        self._head = head
        self.bytes_read = 0
        self.hash = hashlib.blake2b(head, digest_size=16)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        else:
            data = self._stream.read(len(buffer))
            self.hash.update(data)
        bad = _CONTROL_BYTE.search(data)
        if bad:
            offset = self.bytes_read + bad.start()
            raise NotText(
                f"The file contains binary data (byte 0x{data[bad.start()]:02X} at position {offset:,}), "
                "so it is not a CSV text file." + _SAVE_AS
            )
        self.bytes_read += len(data)
        buffer[: len(data)] = data
        return len(data)


def _fitting_encoding(data: bytes) -> str:
    """The single-byte encoding these bytes most likely are: Windows-1252 unless it cannot decode them."""
    try:
        data.decode("windows-1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "windows-1252"


def _not_decodable(error: UnicodeDecodeError, encoding: str) -> NotUtf8:
    suggestion = _fitting_encoding(error.object) if encoding == "utf-8" else "latin-1"
    near = error.object[max(0, error.start - 30) : error.end + 10].decode(suggestion, errors="replace")
    near = " ".join(near.split())
    bad = error.object[error.start]
    return NotUtf8(
        f"The file is not {encoding_name(encoding)} text (byte 0x{bad:02X} near “{near}”). "
        f"It looks like {ENCODINGS[suggestion]}: import it as that, or save it as CSV UTF-8.",
        suggestion=suggestion,
    )


_CSV_MESSAGES = {
    "unexpected end of data": 'a quoted cell is never closed (a closing " is missing).',
    "',' expected after '\"'": 'a quote (") ends a cell but more text follows it; '
    'quote the whole cell and double any " inside it.',
}


class CsvRows:
    """The rows of a CSV byte stream: `header`, then (row number, cells) for each non-blank row.

    Row numbers count records as a spreadsheet does (the header is row 1). Raises
    ImportFileError subclasses for a file that cannot be read as CSV text.
    """

    def __init__(self, stream: BinaryIO, *, encoding: str = DEFAULT_ENCODING):
        if encoding not in ENCODINGS:
            raise ValueError(f"Unknown encoding {encoding!r}")
        self.encoding = encoding
        head = stream.read(4)
        for magic, message in _MAGIC.items():
            if head.startswith(magic):
                raise NotText(message + _SAVE_AS)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise NotUtf8("The file is UTF-16 text, not UTF-8." + _SAVE_AS, suggestion="")
        if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        self._bytes = _GuardedBytes(stream, head)
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._bytes, _BLOCK), encoding=encoding, errors="strict", newline=""
        )
        self._records = csv.reader(self._lines(), strict=True)
        self.row_number = 0
        self.header = self._first_row()

    @property
    def bytes_read(self) -> int:
        return self._bytes.bytes_read

    @property
    def digest(self) -> str:
        """Of every byte read so far: of the whole file once the rows are exhausted."""
        return self._bytes.hash.hexdigest()

    def _lines(self) -> Iterator[str]:
        readline = self._text.readline
        try:
            while line := readline(MAX_LINE_CHARS):
                if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                    raise MalformedCsv(
                        f"Row {self.row_number + 1} is longer than {MAX_LINE_CHARS:,} characters; "
                        "this is not a product list."
                    )
                yield line
        except UnicodeDecodeError as error:
            raise _not_decodable(error, self.encoding) from None

    def _next(self) -> list[str] | None:
        try:
            cells = next(self._records)
        except StopIteration:
            return None
        except csv.Error as error:
            text = str(error)
            if text.startswith("field larger than field limit"):
                message = (
                    f"has a cell longer than {csv.field_size_limit():,} characters; "
                    'is a closing quote (") missing?'
                )
            else:
                message = _CSV_MESSAGES.get(text, text)
            raise MalformedCsv(f"Row {self.row_number + 1}: {message}") from None
        self.row_number += 1
        return cells

    def _first_row(self) -> list[str]:
        while (cells := self._next()) is not None:
            if "".join(cells).strip():
                return [c.strip() for c in cells]
        raise EmptyFile("The file is empty: it needs a header row and at least one product row.")

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while (cells := self._next()) is not None:
            if "".join(cells).strip():  # blank rows (",,,," included) are skipped, still counted
                yield self.row_number, cells
