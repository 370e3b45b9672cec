"""CSV import throughput and peak memory: preview and apply, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.imports                          5,000 and 50,000 rows, both databases
    .venv/bin/python -m bench.imports --sizes 1000000 --db sqlite
    options: --db sqlite|postgres|both  --sizes 5000,50000

Each file is half updates (existing SKUs, every stock changed) and half new products. Up to
5,000 rows go through the browser's path (import_upload, then import_batch_apply); bigger
files through the command line's (import_preview streaming the file from disk, then
import_file_apply). Every measurement runs in a fresh process; the peak is the process's
resident set high-water mark (VmHWM, reset before each phase), Django included.
Databases: a temporary SQLite file (WAL), PostgreSQL database stockline_csv_bench.
"""

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
PG_DB = "stockline_csv_bench"
BROWSER_ROWS = 5000
COMMAND_ROWS = 100_000  # up to this size, also time the real command in a new process
TARGETS = {"sqlite 5000": "preview + apply < 1 s", "50000": "command line < 5 s", "1000000": "peak < 200 MB"}


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Peak:
    """Peak RSS (VmHWM, reset on entry) and peak private memory (RssAnon, sampled) over a block."""

    def __enter__(self):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        self.private = _status_mb("RssAnon")
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self.started = time.perf_counter()
        return self

    def _sample(self):
        while not self._done.wait(0.02):
            self.private = max(self.private, _status_mb("RssAnon"))

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self._done.set()
        self._sampler.join()
        self.private = max(self.private, _status_mb("RssAnon"))
        self.rss = _status_mb("VmHWM")


def database_prepare(db: str, name: str = PG_DB) -> str:
    """A fresh, migrated database of this kind (on PostgreSQL named `name`); returns its
    DATABASE_URL."""
    if db == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix=f'{name}-')) / 'bench.sqlite3'}"
    else:
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)
        url = f"{PG}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    return url


def _seed(company_id, count: int) -> None:
    """`count` existing products (SKU E-n) to be updated, written in bulk: setup, not measured."""
    from decimal import Decimal

    from stockline.catalog.models import Product

    for start in range(0, count, 5000):
        Product.objects.bulk_create(
            [
                Product(
                    company_id=company_id,
                    sku=f"E-{i:07d}",
                    name=f"Existing {i}",
                    price=Decimal("5.00"),
                    stock=10,
                )
                for i in range(start, min(start + 5000, count))
            ]
        )


def _write_file(path: Path, rows: int) -> None:
    """Half updates of the seeded products (stock 10 → 20), half new products."""
    half = rows // 2
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("sku,name,description,category,unit,price,stock,isActive\n")
        for i in range(half):
            f.write(f"E-{i:07d},Existing {i},,,each,5.00,20,true\n")
        for i in range(rows - half):
            f.write(f"N-{i:07d},New product {i},Imported by the bench,Bench,case,12.50,{i % 100},true\n")


def _command_seconds(db_url: str, path: Path, rows: int) -> float:
    """The same file into a fresh company through `manage.py import_products`: a new process, end to end."""
    from stockline.accounts.services import company_create

    stamp = time.time_ns()
    company, _ = company_create(
        name=f"Cmd {stamp}", owner_email=f"cmd{stamp}@example.com", owner_password="x" * 12
    )
    _seed(company.id, rows // 2)
    env = {**os.environ, "DATABASE_URL": db_url, "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_products",
            str(path),
            "--company",
            company.slug,
            "--no-progress",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def run_one(db_url: str, rows: int) -> dict:
    """In this (fresh) process: seed, write the file, then preview and apply, measured apart."""
    os.environ.update(DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="stockline.settings", LOG_LEVEL="WARNING")
    os.environ["FAST_PASSWORD_HASHER"] = "1"
    import django

    django.setup()
    from stockline.accounts.services import company_create
    from stockline.audit.actors import Actor
    from stockline.catalog.models import Product, StockMovement
    from stockline.imports import services
    from stockline.imports.skus import FileSkus

    stamp = time.time_ns()
    company, owner = company_create(
        name=f"Bench {stamp}", owner_email=f"bench{stamp}@example.com", owner_password="x" * 12
    )
    _seed(company.id, rows // 2)
    folder = Path(tempfile.mkdtemp(prefix="stockline-csv-"))
    path = folder / f"products-{rows}.csv"
    _write_file(path, rows)
    actor = Actor.staff(owner)
    browser = rows <= BROWSER_ROWS
    gc.collect()
    with Peak() as previewing:
        if browser:
            with open(path, "rb") as source:
                batch = services.import_upload(
                    actor=actor, filename=path.name, source=source, size=path.stat().st_size
                )
            preview = batch.preview
            counts = (preview["create"], preview["update"], preview["error_count"])
        else:
            skus = FileSkus()
            with open(path, "rb") as source:
                preview = services.import_preview(actor=actor, source=source, skus=skus, detail_limit=10)
            counts = (preview.create, preview.update, preview.error_count)
    assert counts == (rows - rows // 2, rows // 2, 0), counts
    with Peak() as applying:
        if browser:
            result = services.import_batch_apply(actor=actor, batch_id=batch.id).result
        else:
            with open(path, "rb") as source:
                result = services.import_file_apply(
                    actor=actor, filename=path.name, source=source, preview=preview, skus=skus
                ).result
            skus.close()
    assert (result["created"], result["updated"]) == (rows - rows // 2, rows // 2), result
    assert Product.objects.filter(company=company).count() == rows
    assert StockMovement.objects.filter(company=company).count() == rows
    command_s = None if browser or rows > COMMAND_ROWS else _command_seconds(db_url, path, rows)
    shutil.rmtree(folder)
    return {
        "rows": rows,
        "path": "browser" if browser else "command line",
        "command_s": command_s,
        **{
            f"{name}_{key}": getattr(phase, attr)
            for name, phase in (("preview", previewing), ("apply", applying))
            for key, attr in (("s", "seconds"), ("rss", "rss"), ("private", "private"))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--one", nargs=2, metavar=("DATABASE_URL", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(
        f"{'db':9} {'rows':>9} {'path':13} {'preview':>17} {'apply':>17} {'total':>7} "
        f"{'RSS MB':>11} {'private MB':>11}"
    )
    for db in dbs:
        url = database_prepare(db)
        for rows in sizes:
            out = subprocess.run(
                [sys.executable, "-m", "bench.imports", "--one", url, str(rows)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            total = r["preview_s"] + r["apply_s"]
            print(
                f"{db:9} {rows:>9,} {r['path']:13} "
                f"{r['preview_s']:6.2f}s {rows / r['preview_s']:>7,.0f}/s "
                f"{r['apply_s']:6.2f}s {rows / r['apply_s']:>7,.0f}/s {total:6.2f}s "
                f"{r['preview_rss']:5.0f} /{r['apply_rss']:4.0f} "
                f"{r['preview_private']:5.0f} /{r['apply_private']:4.0f}",
                flush=True,
            )
            if r["command_s"]:
                print(f"{'':20}manage.py import_products, new process, end to end: {r['command_s']:.2f}s")
        if db == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent)
    targets = "; ".join(f"{k}: {v}" for k, v in TARGETS.items())
    print(f"MB: peak during preview / during apply. Targets: {targets}")


if __name__ == "__main__":
    main()
