"""What a preview found and what an apply did, as plain data the page, the CLI and the batch share."""

from dataclasses import asdict, dataclass, field

from stockline.imports.errors import RowError


@dataclass(slots=True)
class RowChange:
    row: int
    sku: str
    name: str
    action: str  # "create" or "update"
    stock_before: int | None  # None for a product to create
    stock_after: int
    fields: list[str]  # the columns whose values change


@dataclass(slots=True)
class ImportPreview:
    encoding: str
    header: list[str]  # the file's header row
    columns: dict[str, str]  # column → the file's header text
    ignored: list[str] = field(default_factory=list)
    rows: int = 0
    create: int = 0
    update: int = 0
    unchanged: int = 0
    stock_changes: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first `error_limit` of them
    changes: list[RowChange] = field(default_factory=list)  # the first `detail_limit` creates/updates
    digest: str = ""  # of the file's bytes: apply refuses a file that changed since

    @property
    def ready(self) -> bool:
        return self.error_count == 0 and self.rows > 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def more_changes(self) -> int:
        return self.create + self.update - len(self.changes)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ImportPreview":
        data = dict(data)
        data["errors"] = [RowError(**e) for e in data.get("errors", [])]
        data["changes"] = [RowChange(**c) for c in data.get("changes", [])]
        return cls(**data)
