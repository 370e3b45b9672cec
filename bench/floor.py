"""The raw SQL floor: order_place's writes for one order, straight through the DB-API driver.

Same statements as the service, with the same column values, on its own plain driver
connection: what an order costs with no Django in the way. SQLite: the conditional
decrement of every product (which also hands back the order number and company
threshold), then the order, its audit entry, multi-row lines and multi-row movements, in
one transaction per order (`STATEMENTS_PER_ORDER` counts BEGIN and COMMIT too).
PostgreSQL: the service's one statement (orders/placement/postgresql.py), its own transaction,
prepared by psycopg.

The `ThroughDjango` variants send the very same SQL through Django's connection (its cursor
wrapper, and on SQLite transaction.atomic()), which splits the service's distance from the
floor into Django's database layer and everything above it."""

import json
import re
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import psycopg

from stockline.catalog.stock_rules import effective_threshold, stock_status
from stockline.core.ids import uuid7

# SQLite: BEGIN, UPDATE products (with the order number), INSERT order, audit, lines,
# movements, events, COMMIT. PostgreSQL: one statement, its own transaction.
STATEMENTS_PER_ORDER = {"sqlite": 8, "postgresql": 1}

_ORDER = (
    "INSERT INTO orders_order (id, created_at, updated_at, company_id, number, status, channel, "
    "customer_id, placed_by_user_id, placed_by_api_key_id, po_number, notes, total, restocked_at) "
    "VALUES (%s, %s, %s, %s, %s, 'SUBMITTED', %s, NULL, %s, NULL, '', '', %s, NULL)"
)
_AUDIT = (
    "INSERT INTO audit_auditentry (id, company_id, created_at, actor_type, actor_user_id, "
    "actor_customer_id, actor_api_key_id, actor_label, action, entity_type, entity_id, channel, metadata) "
    "VALUES (%s, %s, %s, 'USER', %s, NULL, NULL, %s, 'OrderPlaced', 'order', %s, %s, %s)"
)
_LINES = (
    "INSERT INTO orders_orderline (id, order_id, product_id, product_name, product_sku, quantity, "
    "unit_price) VALUES "
)
_LINE_ROW = "(%s, %s, %s, %s, %s, %s, %s)"
_MOVEMENTS = (
    "INSERT INTO catalog_stockmovement (id, company_id, product_id, created_at, delta, stock_before, "
    "stock_after, reason, channel, actor_type, actor_user_id, actor_customer_id, actor_api_key_id, "
    "actor_label, order_id, audit_entry_id, reference, note, version) VALUES "
)
_MOVEMENT_ROW = "(%s, %s, %s, %s, %s, %s, %s, 'ORDER', %s, 'USER', %s, NULL, NULL, %s, %s, %s, '', '', %s)"
_EVENTS = "INSERT INTO events_event (id, company_id, type, data, created_at) VALUES "
_EVENT_ROW = "(%s, %s, 'stock.changed', %s, %s)"
_CENT = Decimal("0.01")


class RawOrderWriter:
    """Places DASHBOARD orders for one staff user of one company, as raw SQL."""

    channel = "DASHBOARD"

    def __init__(self, *, location: str, company_id: UUID, user_id: UUID, label: str):
        self.company_id = company_id
        self.user_id = user_id
        self.label = label
        self.connection = self._connect(location)
        self.cursor = self.connection.cursor()

    # Subclasses say how to connect, how ids, times, decimals and JSON are passed and how a
    # transaction runs: _connect, _id, _time, _json, _begin, _commit, _rollback.
    def _sql(self, sql: str) -> str:
        return sql

    def _decimal(self, value: Decimal):
        return value

    def _named(self, sql: str) -> str:
        return sql

    def _take(self, wanted, now, company) -> list[tuple]:
        """Every product in one statement: the service's own (catalog/stock.py), asking
        for the order number as the service does (orders/numbers.py)."""
        from stockline.catalog.stock import take_sql_sqlite  # needs Django set up
        from stockline.orders.numbers import order_number_next_sql

        number_sql, number_params = order_number_next_sql(self.company_id)
        params = {"company": company, "now": now, **number_params}
        for i, (product_id, quantity) in enumerate(wanted):
            params[f"id{i}"], params[f"quantity{i}"] = self._id(product_id), quantity
        self.cursor.execute(self._named(take_sql_sqlite(len(wanted), number_sql)), params)
        rows = {row[0]: row[1:] for row in self.cursor.fetchall()}
        return [rows[self._id(product_id)] for product_id, _ in wanted if self._id(product_id) in rows]

    def place(self, lines: list[tuple[UUID, int]]) -> None:
        company, user = self._id(self.company_id), self._id(self.user_id)
        now = self._time(datetime.now(UTC))
        wanted = sorted(lines)
        self._begin()
        rows = self._take(wanted, now, company)
        if len(rows) != len(wanted):
            self._rollback()
            raise RuntimeError("not enough stock")
        taken = [
            (
                product_id,
                quantity,
                stock_after,
                name,
                sku,
                Decimal(str(price)).quantize(_CENT),
                threshold,
                version,
            )
            for (product_id, quantity), (
                stock_after,
                name,
                sku,
                price,
                threshold,
                version,
                *_,
            ) in zip(wanted, rows, strict=True)
        ]
        number, company_threshold = rows[0][-1], rows[0][-2]
        order_id, entry_id = uuid7(), uuid7()
        order, entry = self._id(order_id), self._id(entry_id)
        total = sum((t[5] * t[1] for t in taken), Decimal("0.00"))
        inserts = [(_ORDER, [order, now, now, company, number, self.channel, user, self._decimal(total)])]
        metadata = {
            "number": number,
            "total": str(total),
            "customer": None,
            "lines": [{"product": str(t[0]), "sku": t[4], "quantity": t[1]} for t in taken],
        }
        inserts.append(
            (
                _AUDIT,
                [entry, company, now, user, self.label, str(order_id), self.channel, self._json(metadata)],
            )
        )
        params = []
        for product_id, quantity, _, name, sku, price, *_ in taken:
            params += [
                self._id(uuid7()),
                order,
                self._id(product_id),
                name,
                sku,
                quantity,
                self._decimal(price),
            ]
        inserts.append((_LINES + ", ".join([_LINE_ROW] * len(taken)), params))
        params, events = [], []
        for product_id, quantity, stock_after, name, sku, _, threshold, version in taken:
            movement_id = uuid7()
            params += [
                self._id(movement_id),
                company,
                self._id(product_id),
                now,
                -quantity,
                stock_after + quantity,
                stock_after,
                self.channel,
                user,
                self.label,
                order,
                entry,
                version,
            ]
            limit = effective_threshold(override=threshold, company_default=company_threshold)
            status = stock_status(stock=stock_after, threshold=limit)
            data = {
                "productId": str(product_id),
                "sku": sku,
                "name": name,
                "delta": -quantity,
                "stockBefore": stock_after + quantity,
                "stockAfter": stock_after,
                "stockStatus": status,
                "reason": "ORDER",
                "movementId": str(movement_id),
                "orderId": str(order_id),
                "version": version,
            }
            events += [self._id(uuid7()), company, self._json(data), now]
        inserts.append((_MOVEMENTS + ", ".join([_MOVEMENT_ROW] * len(taken)), params))
        inserts.append((_EVENTS + ", ".join([_EVENT_ROW] * len(taken)), events))
        self._insert(inserts)
        self._commit()

    def _insert(self, inserts: list[tuple[str, list]]) -> None:
        """The order, audit entry, lines, movements and events: one statement each."""
        for sql, params in inserts:
            self.cursor.execute(self._sql(sql), params)


class SqliteOrderWriter(RawOrderWriter):
    """sqlite3 in autocommit mode with explicit BEGIN IMMEDIATE, like Django's settings."""

    vendor = "sqlite"

    def _connect(self, location):
        connection = sqlite3.connect(location, isolation_level=None)
        from django.conf import settings

        for pragma in settings.SQLITE_PRAGMAS:
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def _id(self, value):
        return value.hex

    def _time(self, value):
        return value.replace(tzinfo=None).isoformat(" ")

    def _json(self, value):
        return json.dumps(value)

    def _decimal(self, value):
        return str(value)

    def _sql(self, sql):
        return sql.replace("%s", "?")

    def _begin(self):
        self.cursor.execute("BEGIN IMMEDIATE")

    def _named(self, sql):
        return re.sub(r"%\((\w+)\)s", r":\1", sql)

    def _commit(self):
        self.cursor.execute("COMMIT")

    def _rollback(self):
        self.cursor.execute("ROLLBACK")


class PostgresOrderWriter(RawOrderWriter):
    """psycopg 3 in autocommit (server-side binding, the statement prepared): the service's
    one statement per order (orders/placement/postgresql.py), its parameters set here."""

    vendor = "postgresql"

    def _connect(self, location):
        return psycopg.connect(location, autocommit=True)

    def _execute(self, sql, params):
        return self.cursor.execute(sql, params, prepare=True).fetchall()

    def place(self, lines: list[tuple[UUID, int]]) -> None:
        from stockline.orders.numbers import order_number_next_sql
        from stockline.orders.placement.postgresql import order_sql  # needs Django set up

        number_sql, params = order_number_next_sql(self.company_id)
        statement = order_sql(len(lines), number_sql)
        order_id, entry_id = uuid7(), uuid7()
        actor = {
            "actor_type": "USER",
            "actor_user_id": self.user_id,
            "actor_customer_id": None,
            "actor_api_key_id": None,
            "actor_label": self.label,
        }
        shared = {  # every column the statement takes as a parameter, as the service sets it
            "o": {
                "id": order_id,
                "company_id": self.company_id,
                "status": "SUBMITTED",
                "channel": self.channel,
                "customer_id": None,
                "placed_by_user_id": self.user_id,
                "placed_by_api_key_id": None,
                "po_number": "",
                "notes": "",
                "restocked_at": None,
            },
            "a": {
                "id": entry_id,
                "company_id": self.company_id,
                **actor,
                "action": "OrderPlaced",
                "entity_type": "order",
                "entity_id": str(order_id),
                "channel": self.channel,
            },
            "l": {"order_id": order_id},
            "m": {
                "company_id": self.company_id,
                **actor,
                "reason": "ORDER",
                "channel": self.channel,
                "order_id": order_id,
                "audit_entry_id": entry_id,
                "reference": "",
                "note": "",
            },
        }
        params.update(
            {f"{prefix}_{name}": value for prefix, row in shared.items() for name, value in row.items()},
            company=self.company_id,
            now=datetime.now(UTC),
            customer=None,
            order_event=uuid7(),
        )
        for i, (product_id, quantity) in enumerate(sorted(lines)):
            params.update(
                {
                    f"id{i}": product_id,
                    f"quantity{i}": quantity,
                    f"line{i}": uuid7(),
                    f"movement{i}": uuid7(),
                    f"event{i}": uuid7(),
                    f"status_event{i}": uuid7(),
                }
            )
        rows = self._execute(statement, params)
        if not all(row[1] for row in rows) or len(rows) != len(lines):
            raise RuntimeError("not enough stock")


class ThroughDjango:
    """Mixin: the same SQL and values through Django's default connection and atomic()."""

    def _connect(self, location):
        from django.db import connection

        return connection

    def _sql(self, sql):
        return sql  # Django's SQLite cursor converts %s itself

    def _named(self, sql):
        return sql  # and %(name)s

    def _begin(self):
        from django.db import transaction

        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def _commit(self):
        self._atomic.__exit__(None, None, None)

    def _rollback(self):
        self._atomic.__exit__(RuntimeError, RuntimeError(), None)


class SqliteThroughDjango(ThroughDjango, SqliteOrderWriter):
    pass


class PostgresThroughDjango(ThroughDjango, PostgresOrderWriter):
    """The one statement on Django's connection, outside a transaction as the service runs it."""

    def _execute(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
