"""Nothing outside catalog.stock writes Product.stock, Product.version or StockMovement rows.

Reads the source of every stockline module (migrations aside) and refuses the ways a
module could write either: making or inserting StockMovement rows (the class called, or
handed to any function, as to rows_insert or insert_select), its manager's create calls,
an ORM update/bulk_update/save(update_fields=...) naming `stock`, SQL text that sets
`stock`, and raw SQL on the product or ledger tables (their `_meta.db_table`).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "stockline"
WRITER = ROOT / "catalog" / "stock.py"
_CREATES = {"create", "bulk_create", "get_or_create", "update_or_create"}
_SETS_STOCK = re.compile(r"\bSET\s+stock\s*=|\bstock\s*=\s*stock\b")  # SQL, upper-case keywords
_WRITES_SQL = re.compile(r"\b(UPDATE|INSERT INTO|DELETE FROM)\b")
_TABLES = {"Product._meta", "StockMovement._meta"}


def _names_stock(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and n.value in {"stock", "version"} for n in ast.walk(node))


def stock_writes(source: str) -> list[str]:
    """Each place in `source` that writes stock or the ledger, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            func = node.func
            args = [*node.args, *(k.value for k in node.keywords)]
            if isinstance(func, ast.Name) and func.id == "StockMovement":
                found.append(f"{line}: StockMovement(...)")
            handed = [e for a in args for e in (a.elts if isinstance(a, ast.Tuple | ast.List) else [a])]
            if any(isinstance(a, ast.Name) and a.id == "StockMovement" for a in handed):
                found.append(f"{line}: StockMovement handed to a function")
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (
                called in _CREATES
                and isinstance(func, ast.Attribute)
                and "StockMovement" in ast.unparse(func.value)
            ):
                found.append(f"{line}: StockMovement.objects.{called}")
            if called == "update" and any(k.arg in {"stock", "version"} for k in node.keywords):
                found.append(f"{line}: .update(stock=...)")
            if called in {"bulk_update", "rows_update"} and any(_names_stock(a) for a in args):
                found.append(f"{line}: {called}(..., ['stock'])")
            if called == "save" and any(
                k.arg == "update_fields" and _names_stock(k.value) for k in node.keywords
            ):
                found.append(f"{line}: .save(update_fields=['stock'])")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SETS_STOCK.search(node.value):
            found.append(f"{line}: SQL setting stock")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _writes_sql_on_stock_tables(node):
            found.append(f"{line}: {node.name} writes SQL on the product or ledger table")
    return found


def _writes_sql_on_stock_tables(function: ast.AST) -> bool:
    """Whether a function both names the product or ledger table and holds writing SQL."""
    names_table = any(
        isinstance(n, ast.Attribute) and n.attr == "db_table" and ast.unparse(n.value) in _TABLES
        for n in ast.walk(function)
    )
    return names_table and any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _WRITES_SQL.search(n.value)
        for n in ast.walk(function)
    )


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts and path != WRITER:
            yield path


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_the_stock_writer_writes_stock(path):
    assert stock_writes(path.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        "StockMovement(product=p, delta=1).save()",
        "StockMovement.objects.bulk_create(rows)",
        "StockMovement.objects.create(product=p)",
        "rows_insert(StockMovement, names, rows)",
        "inserts_together((Order, [order]), (StockMovement, movements))",
        "Product.objects.filter(id=i).update(stock=F('stock') - 1)",
        "Product.objects.bulk_update(products, ['stock', 'updated_at'])",
        "product.save(update_fields=['stock'])",
        "Product.objects.filter(id=i).update(version=F('version') + 1)",
        "rows_update(Product, ['stock', 'updated_at'], rows)",
        "cursor.execute('UPDATE catalog_product SET stock = stock - %s')",
        "def f():\n    t = quote(Product._meta.db_table)\n    run(f'UPDATE {t} SET name = %s')",
    ],
)
def test_the_check_finds_each_way_of_writing_stock(source):
    assert stock_writes(source)


def test_the_check_lets_reads_and_other_writes_through():
    source = (
        "StockMovement.objects.filter(product=p).order_by('-created_at')\n"
        "Product.objects.filter(id=i).update(is_active=False)\n"
        "product.save(update_fields=['name', 'updated_at'])\n"
        "def f():\n    t = quote(Product._meta.db_table)\n    run(f'SELECT MIN(category) FROM {t}')\n"
    )
    assert stock_writes(source) == []


def test_the_stock_writer_writes_stock():
    assert stock_writes(WRITER.read_text())  # else the check looks at the wrong things
