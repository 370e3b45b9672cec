"""Typed failures of the CSV import. Each carries the words a person reads and the data a page needs.

ImportFileError and its subclasses: the file as a whole cannot be read (nothing is previewed).
RowError: one cell or row is wrong (the preview lists every one; apply refuses while any exist).
ImportRefused and its subclasses: apply will not run (stale preview, already applied, errors).
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str  # a column of COLUMNS, or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)


class ImportFileError(Exception):
    code = "file"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def as_json(self) -> dict:
        return {"code": self.code, "message": self.message}


class FileTooLarge(ImportFileError):
    code = "too_large"


class TooManyRows(ImportFileError):
    code = "too_many_rows"


class EmptyFile(ImportFileError):
    code = "empty"


class NotText(ImportFileError):
    """Binary data: a spreadsheet workbook, an image, or control bytes inside the text."""

    code = "binary"


class MalformedCsv(ImportFileError):
    code = "malformed"


class NotUtf8(ImportFileError):
    """Undecodable as UTF-8. `suggestion` is the single-byte encoding the bytes fit."""

    code = "encoding"

    def __init__(self, message: str, *, suggestion: str):
        self.suggestion = suggestion
        super().__init__(message)

    def as_json(self) -> dict:
        return {**super().as_json(), "suggestion": self.suggestion}


class NoHeader(ImportFileError):
    code = "no_header"

    def __init__(self, first_row: list[str]):
        self.first_row = first_row
        shown = ", ".join(f"“{c}”" for c in first_row[:4]) + (", …" if len(first_row) > 4 else "")
        super().__init__(
            "The first row must be a header naming the columns "
            f"(sku, name, price and stock are required), but it looks like data: {shown}."
        )


class WrongDelimiter(ImportFileError):
    code = "delimiter"

    def __init__(self, first_row: str):
        super().__init__(
            f"The columns seem separated by something other than commas (“{first_row[:60]}”). "
            "Save the file as CSV (comma delimited)."
        )


class ColumnsUnmatched(ImportFileError):
    """The header is there but a required column is missing or claimed twice: map them by hand."""

    code = "columns"

    def __init__(self, header: list[str], *, problems: list[str], matched: dict[str, str] | None = None):
        self.header = header
        self.problems = problems
        self.matched = matched or {}
        super().__init__(" ".join(problems))

    def as_json(self) -> dict:
        return {
            **super().as_json(),
            "header": self.header,
            "problems": self.problems,
            "matched": self.matched,
        }


class ImportRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class ImportHasErrors(ImportRefused):
    def __init__(self, error_count: int):
        self.error_count = error_count
        super().__init__(
            f"The file has {error_count:,} error{'s' if error_count != 1 else ''}; "
            "nothing was imported. Fix the file and upload it again."
        )


class ImportAlreadyApplied(ImportRefused):
    def __init__(self):
        super().__init__("This import was already applied; nothing was imported again.")


@dataclass(frozen=True, slots=True)
class Drift:
    sku: str
    seen: int | None  # stock at preview; None: no product had this SKU
    now: int | None  # stock at apply; None: no product has this SKU any more

    def __str__(self) -> str:
        if self.seen is None:
            return f"“{self.sku}” was created"
        if self.now is None:
            return f"“{self.sku}” was deleted or renamed"
        return f"“{self.sku}” {self.seen} → {self.now}"


class ImportStale(ImportRefused):
    """Stock (or a product) changed between preview and apply: applying would overwrite a sale."""

    SHOWN = 10

    def __init__(self, drift: list[Drift]):
        self.drift = drift
        shown = "; ".join(str(d) for d in drift[: self.SHOWN]) + ("; …" if len(drift) > self.SHOWN else "")
        super().__init__(
            f"Stock changed since the preview ({shown}). Nothing was imported: "
            "preview the file again to see the current stock."
        )


class FileChanged(ImportRefused):
    def __init__(self):
        super().__init__("The file changed since it was previewed; nothing was imported. Preview it again.")


class ImportConflict(ImportRefused):
    """The database refused a write: a product took one of the file's SKUs while importing."""

    def __init__(self):
        super().__init__(
            "A product was created with one of the file's SKUs while importing; nothing was imported. "
            "Preview the file again."
        )
