"""HTTP order-placement throughput and latency on PostgreSQL, beside the raw SQL floor.

    .venv/bin/python -m bench.api_http [--orders 4000] [--clients 32] [--workers 4]

Starts gunicorn on a fresh database, drives POST /api/v1/orders (3-line orders) from
`clients` concurrent keep-alive connections spread over several processes, and then runs
the same database writes with raw psycopg from the same number of concurrent connections.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
DB = "stockline_bench_http"


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _pids(pattern: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def prepare(products: int) -> tuple[str, list[str], str]:
    _psql(f"DROP DATABASE IF EXISTS {DB}")
    _psql(f"CREATE DATABASE {DB}")
    env = {**os.environ, "DATABASE_URL": f"{PG}/{DB}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stockline.settings")
    import django

    django.setup()
    from decimal import Decimal

    from stockline.accounts.services import company_create
    from stockline.api.keys import SCOPE_VALUES, api_key_create
    from stockline.audit.actors import Actor
    from stockline.catalog.services import product_create
    from stockline.core.channels import Channel

    company, owner = company_create(name="Bench Co", owner_email="bench@example.com", owner_password="x" * 12)
    actor = Actor.staff(owner)
    ids = [
        str(
            product_create(
                actor=actor,
                channel=Channel.DASHBOARD,
                name=f"Bench product {i}",
                sku=f"B-{i:05d}",
                price=Decimal("9.99"),
                stock=1_000_000_000,
            ).id
        )
        for i in range(products)
    ]
    _, key = api_key_create(actor=actor, name="bench", scopes=sorted(SCOPE_VALUES))
    from django.db import connection

    connection.close()
    return key, ids, str(company.id)


def _order_request(key: str, ids: list[str], rng: random.Random) -> bytes:
    items = [{"productId": pid, "quantity": 1} for pid in rng.sample(ids, 3)]
    body = json.dumps({"items": items}).encode()
    head = (
        f"POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _client_thread(port, key, ids, count, latencies, errors, start_event):
    """One client: a new connection per request (gunicorn's sync workers close each one),
    requests built before the clock starts and only the status line read, so the load
    generator takes little of the CPU it shares with the server."""
    rng = random.Random()
    requests = [_order_request(key, ids, rng) for _ in range(count)]
    start_event.wait()
    for request in requests:
        t0 = time.perf_counter()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(request)
                response = b""
                while chunk := sock.recv(65536):
                    response += chunk
            status = int(response[9:12]) if response.startswith(b"HTTP/1.") else 0
        except (OSError, ValueError):
            status = 0
        latencies.append(time.perf_counter() - t0)
        if status != 201:
            errors.append(status)


def _client_process(port, key, ids, threads, per_thread, queue, barrier):
    latencies: list[float] = []
    errors: list[int] = []
    start = threading.Event()
    workers = [
        threading.Thread(target=_client_thread, args=(port, key, ids, per_thread, latencies, errors, start))
        for _ in range(threads)
    ]
    for w in workers:
        w.start()
    barrier.wait()
    cpu = time.process_time()
    start.set()
    for w in workers:
        w.join()
    queue.put((latencies, errors, time.process_time() - cpu))


def http_run(port, key, ids, *, clients: int, orders: int, processes: int) -> dict:
    per_process = clients // processes
    per_thread = max(1, orders // clients)
    queue = multiprocessing.Queue()
    barrier = multiprocessing.Barrier(processes + 1)
    procs = [
        multiprocessing.Process(
            target=_client_process, args=(port, key, ids, per_process, per_thread, queue, barrier)
        )
        for _ in range(processes)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    latencies = sorted(lat for lats, _, _ in results for lat in lats)
    errors = [e for _, errs, _ in results for e in errs]
    return {
        "orders": len(latencies) - len(errors),
        "errors": len(errors),
        "seconds": elapsed,
        "rate": (len(latencies) - len(errors)) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "client_cpu": sum(cpu for _, _, cpu in results),
    }


def pgbench_script(company_id: str, third: int) -> str:
    """The service's own statement for a 3-line API order (orders/placement/postgresql.py) as a
    pgbench script: each parameter replaced by what the service would send, as SQL (the
    order's two ids drawn once per statement in a CTE, each product a random one of its
    third of the catalog)."""
    from stockline.core.postgresql import PREPARED_MARK
    from stockline.orders.numbers import order_number_next_sql
    from stockline.orders.placement.postgresql import order_sql

    company = uuid.UUID(company_id)
    number_sql, number_params = order_number_next_sql(company)
    sql = order_sql(3, number_sql).removeprefix(PREPARED_MARK).strip()
    order, entry, text = "(SELECT o FROM ids)", "(SELECT e FROM ids)", "'{}'"
    values = {
        **{name: text.format(value) for name, value in number_params.items()},
        "company": text.format(company),
        "now": "now()",
        "customer": "NULL",
        **{f"id{i}": f"(SELECT id FROM bench_ids WHERE n = :{v})" for i, v in enumerate("abc")},
        **{f"quantity{i}": "1" for i in range(3)},
        **{f"{kind}{i}": "gen_random_uuid()" for kind in ("line", "movement", "event") for i in range(3)},
        **{f"{p}_company_id": text.format(company) for p in "oam"},
        **{f"{p}_order_id": order for p in "lm"},
        "o_id": order,
        "a_id": entry,
        "m_audit_entry_id": entry,
        "a_entity_id": "(SELECT o::text FROM ids)",
        "o_status": "'SUBMITTED'",
        "a_action": "'OrderPlaced'",
        "a_entity_type": "'order'",
        "m_reason": "'ORDER'",
        **{f"{p}_channel": "'API'" for p in "oam"},
        **{f"{p}_actor_type": "'USER'" for p in "am"},
        **{f"{p}_actor_label": "'bench'" for p in "am"},
        **{
            f"{p}_{n}": "NULL"
            for p in "am"
            for n in ("actor_user_id", "actor_customer_id", "actor_api_key_id")
        },
        **{
            f"o_{n}": "NULL"
            for n in ("customer_id", "placed_by_user_id", "placed_by_api_key_id", "restocked_at")
        },
        **{name: "''" for name in ("o_po_number", "o_notes", "m_reference", "m_note")},
    }
    # every parameter must have its value here: a KeyError means the statement changed
    sql = re.sub(r"%\((\w+)\)s", lambda m: values[m.group(1)], sql)
    sql = sql.replace(
        "WITH ", "WITH ids AS MATERIALIZED (SELECT gen_random_uuid() AS o, gen_random_uuid() AS e), ", 1
    )
    randoms = "".join(
        f"\\set {v} random({i} * {third} + 1, {i + 1} * {third})\n" for i, v in enumerate("abc")
    )
    return randoms + " ".join(sql.split()) + ";\n"


def floor_run(company_id: str, *, products: int, clients: int, orders: int) -> dict:
    """The same writes per order as a pgbench script: the database's own limit, no Python."""
    third = products // 3
    _psql_db(
        "DROP TABLE IF EXISTS bench_ids; "
        "CREATE TABLE bench_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id "
        f"FROM catalog_product WHERE company_id = '{company_id}'; CREATE UNIQUE INDEX ON bench_ids (n);"
    )
    script = Path(tempfile.mkdtemp()) / "order.sql"
    script.write_text(pgbench_script(company_id, third))
    out = subprocess.run(
        [
            "pgbench",
            "-n",
            "-M",
            "prepared",
            "-c",
            str(clients),
            "-j",
            "2",
            "-t",
            str(max(1, orders // clients)),
            "-f",
            str(script),
            f"{PG}/{DB}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([0-9.]+) ms", out).group(1))
    return {"rate": tps, "latency_ms": latency}


def _psql_db(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/{DB}", "-qc", sql], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=6, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--products", type=int, default=300)
    args = parser.parse_args()

    key, ids, company_id = prepare(args.products)
    sys.path.insert(0, str(ROOT))
    from tests.support.gunicorn import free_port

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "DEBUG": "0",
        "API_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "stockline.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        http_run(
            port,
            key,
            ids,
            clients=args.clients,
            orders=min(800, args.orders),
            processes=args.client_processes,
        )  # warm-up
        servers = _pids(f"gunicorn stockline.wsgi:application --bind 127.0.0.1:{port}")
        backends = _pids("postgres: ")
        cpu_before = _cpu_seconds(servers), _cpu_seconds(backends)
        result = http_run(
            port, key, ids, clients=args.clients, orders=args.orders, processes=args.client_processes
        )
        cpu_after = _cpu_seconds(servers), _cpu_seconds(backends)
    finally:
        server.terminate()
        server.wait()
    floor = floor_run(company_id, products=args.products, clients=args.clients, orders=args.orders)

    print(
        f"HTTP POST /api/v1/orders, 3-line orders, PostgreSQL, {args.clients} concurrent clients, "
        f"gunicorn {args.workers} workers x {args.threads} threads, {os.cpu_count()} cores"
    )
    print(
        f"  service over HTTP : {result['rate']:8.0f} orders/s   p50 {result['p50_ms']:6.1f} ms   "
        f"p99 {result['p99_ms']:6.1f} ms   ({result['orders']} orders, {result['errors']} errors)"
    )
    print(
        f"  raw SQL floor     : {floor['rate']:8.0f} orders/s   "
        f"avg latency {floor['latency_ms']:6.1f} ms (same writes, pgbench, {args.clients} connections)"
    )
    print(f"  ratio floor/HTTP  : {floor['rate'] / result['rate']:8.2f}x")
    gunicorn_ms, postgres_ms = (
        1000 * (end - start) / result["orders"] for end, start in zip(cpu_after, cpu_before, strict=True)
    )
    print(
        f"  CPU per order     : gunicorn {gunicorn_ms:.2f} ms, PostgreSQL {postgres_ms:.2f} ms "
        f"(all backends), clients {1000 * result['client_cpu'] / result['orders']:.2f} ms, "
        f"on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
