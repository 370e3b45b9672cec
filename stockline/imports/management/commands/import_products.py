import argparse
import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from stockline.accounts.models import Company
from stockline.audit.actors import Actor
from stockline.imports.columns import COLUMNS
from stockline.imports.errors import ImportFileError, ImportRefused
from stockline.imports.reader import DEFAULT_ENCODING, ENCODINGS
from stockline.imports.services import import_file_apply, import_preview
from stockline.imports.skus import FileSkus
from stockline.imports.summary import ImportPreview

SHOWN_ERRORS = 50


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, header = pair.partition("=")
        if not sep or column not in COLUMNS:
            raise CommandError(
                f"--map takes COLUMN=HEADER with COLUMN one of {', '.join(COLUMNS)}; got {pair!r}."
            )
        mapping[column] = header
    return mapping


class Command(BaseCommand):
    help = (
        "Import products from a CSV file of any size: preview every row, then apply all of them in "
        "one transaction (or nothing). Reads the file twice, streaming; memory does not grow with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument("--company", required=True, help="company slug")
        parser.add_argument("--dry-run", action="store_true", help="preview only; write nothing")
        parser.add_argument("--encoding", choices=list(ENCODINGS), default=DEFAULT_ENCODING)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=HEADER",
            help='use the file\'s column HEADER for COLUMN, e.g. --map price="Unit cost"',
        )
        parser.add_argument("--show", type=int, default=10, help="rows to create/update to list (default 10)")
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="progress bars on standard error (default: when it is a terminal)",
        )

    def handle(self, *args, file, company, dry_run, encoding, map, show, progress, **options):
        mapping = _mapping(map)
        found = Company.objects.filter(slug=company).first()
        if found is None:
            raise CommandError(f"No company with slug {company!r}.")
        if not os.path.isfile(file):
            raise CommandError(f"No such file: {file}")
        actor = Actor.system(found.id, "Command line (import_products)")
        show_progress = sys.stderr.isatty() if progress is None else progress
        started = time.monotonic()
        with FileSkus() as skus:
            with (
                open(file, "rb") as source,
                tqdm(
                    total=os.path.getsize(file),
                    unit="B",
                    unit_scale=True,
                    desc="Preview",
                    file=self.stderr._out,
                    disable=not show_progress,
                ) as bar,
            ):
                try:
                    preview = import_preview(
                        actor=actor,
                        source=source,
                        skus=skus,
                        encoding=encoding,
                        mapping=mapping,
                        detail_limit=show,
                        error_limit=SHOWN_ERRORS,
                        progress=lambda rows, read: bar.update(read - bar.n),
                    )
                except ImportFileError as error:
                    raise CommandError(f"{file}: {error.message} Nothing was imported.") from error
            self._summary(file, preview)
            if not preview.ready:
                for error in preview.errors:
                    self.stderr.write(str(error))
                if preview.more_errors:
                    self.stderr.write(f"… and {preview.more_errors:,} more.")
                raise CommandError(
                    f"The file has {preview.error_count:,} error{'s' if preview.error_count != 1 else ''}; "
                    "nothing was imported."
                )
            if dry_run:
                self.stdout.write("Dry run: nothing was written.")
                return
            with (
                open(file, "rb") as source,
                tqdm(
                    total=preview.rows,
                    unit="rows",
                    desc="Apply",
                    file=self.stderr._out,
                    disable=not show_progress,
                ) as bar,
            ):
                try:
                    batch = import_file_apply(
                        actor=actor,
                        filename=os.path.basename(file),
                        source=source,
                        preview=preview,
                        skus=skus,
                        mapping=mapping,
                        progress=lambda rows, read: bar.update(rows - bar.n),
                    )
                except ImportRefused as error:
                    raise CommandError(error.message) from error
        result = batch.result
        self.stdout.write(
            f"Imported in {time.monotonic() - started:.1f} s: {result['created']:,} created, "
            f"{result['updated']:,} updated ({result['stock_changes']:,} stock changes), "
            f"{result['unchanged']:,} unchanged. Import {batch.id}."
        )

    def _summary(self, file: str, preview: ImportPreview) -> None:
        write = self.stdout.write
        write(f"{file}: {preview.rows:,} rows, {ENCODINGS[preview.encoding]}")
        renamed = {c: h for c, h in preview.columns.items() if h != c}
        if renamed:
            write("Columns: " + ", ".join(f"{c} ← “{h}”" for c, h in renamed.items()))
        if preview.ignored:
            write("Ignored columns: " + ", ".join(f"“{h}”" for h in preview.ignored))
        write(f"  to create  {preview.create:>12,}")
        write(f"  to update  {preview.update:>12,}  ({preview.stock_changes:,} with a stock change)")
        write(f"  unchanged  {preview.unchanged:>12,}")
        write(f"  errors     {preview.error_count:>12,}")
        for change in preview.changes:
            stock = (
                f"stock {change.stock_after}"
                if change.stock_before is None
                else f"stock {change.stock_before} → {change.stock_after}"
            )
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            write(f"  row {change.row}: {change.action} “{change.sku}” {stock}{fields}")
        if preview.more_changes > 0:
            write(f"  … and {preview.more_changes:,} more to create or update.")
