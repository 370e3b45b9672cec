"""Webhook delivery: events/s one worker delivers to a local receiver, beside the same POSTs
sent by httpx alone, and how long a 5,000-row CSV import's events take to reach two endpoints.

    .venv/bin/python -m bench.webhooks [--db sqlite|postgres] [--events 3000]

The receiver is a separate process (Python's ThreadingHTTPServer, HTTP/1.1 keep-alive, 200 to
everything), so it does not share the worker's interpreter. The worker side is
events_number() then webhooks_deliver(), as run_worker runs them, in this process.
"""

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.imports import database_prepare

PG_DB = "stockline_webhooks_bench"
CSV_ROWS = 5000
CSV_TARGET_SECONDS = 60
RATE_TARGET = 300


def _serve(port_out, count) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # answer at once: no delayed-ACK stall per request

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            with count.get_lock():
                count.value += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.value = server.server_address[1]
    server.serve_forever()


def _deliver_all() -> float:
    """Number and deliver until nothing is pending; seconds taken."""
    from stockline.events.feed import events_number
    from stockline.webhooks.delivery import webhooks_deliver
    from stockline.webhooks.models import DeliveryStatus, WebhookDelivery

    started = time.perf_counter()
    while True:
        events_number()
        webhooks_deliver()
        if not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists():
            return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = database_prepare(args.db, PG_DB)
    os.environ["WEBHOOK_ALLOW_PRIVATE_URLS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stockline.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import httpx
    from django.core.management import call_command

    from stockline.accounts.models import Membership, Role
    from stockline.accounts.services import company_create
    from stockline.audit.actors import Actor
    from stockline.catalog.services import BulkMode, product_create, stock_bulk_adjust
    from stockline.core.channels import Channel
    from stockline.events.feed import event_envelope, events_number
    from stockline.events.models import Event
    from stockline.webhooks.services import webhook_endpoint_create

    port, count = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    receiver = multiprocessing.Process(target=_serve, args=(port, count), daemon=True)
    receiver.start()
    while not port.value:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port.value}/hooks"

    company, _ = company_create(name="Bench Hooks", owner_email="hooks@example.com", owner_password="x" * 12)
    actor = Actor.staff(Membership.objects.select_related("user").get(company=company, role=Role.OWNER))
    events_number()  # nothing owed yet
    webhook_endpoint_create(actor=actor, channel=Channel.API, url=url, events=["stock.changed"])
    per_round = 500
    ids = [
        product_create(actor=actor, channel=Channel.API, name=f"Hook {i}", price=1, stock=1).id
        for i in range(per_round)
    ]
    value = 2
    while Event.objects.count() < args.events:
        stock_bulk_adjust(actor=actor, channel=Channel.API, product_ids=ids, mode=BulkMode.SET, value=value)
        value += 1
    events = Event.objects.count()
    seconds = _deliver_all()
    delivered = count.value

    bodies = [
        json.dumps(event_envelope(e), separators=(",", ":"), default=str).encode()
        for e in Event.objects.order_by("position")[:events]
    ]
    with httpx.Client(timeout=10) as client:
        started = time.perf_counter()
        for body in bodies:
            client.post(url, content=body, headers={"content-type": "application/json"})
        floor = time.perf_counter() - started
    print(f"webhook delivery, one worker, {args.db}, receiver in its own process, 2 cores")
    print(f"  webhooks_deliver   {events / seconds:7.0f} events/s  ({delivered} POSTs for {events} events)")
    print(f"  httpx POSTs alone  {len(bodies) / floor:7.0f} requests/s (the floor, same bodies)")
    verdict = "met" if events / seconds >= RATE_TARGET else "NOT met"
    print(f"  target             {RATE_TARGET:7d} events/s: {verdict}")

    webhook_endpoint_create(actor=actor, channel=Channel.API, url=url, events=["stock.changed"])  # the second
    path = Path(tempfile.mkdtemp(prefix="stockline-webhooks-csv-")) / "products.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("sku,name,price,stock\n")
        for i in range(CSV_ROWS):
            f.write(f"CSV-{i:05d},Imported {i},3.00,{i % 50 + 1}\n")
    before = count.value
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("import_products", str(path), "--company", company.slug, "--no-progress", stdout=quiet)
    imported = time.perf_counter() - started
    _deliver_all()
    total = time.perf_counter() - started
    reached = count.value - before
    print(f"  CSV import of {CSV_ROWS} new products, events to 2 endpoints: {reached} POSTs")
    print(
        f"    import {imported:.1f} s, every event delivered {total:.1f} s after the import began "
        f"(target < {CSV_TARGET_SECONDS} s: {'met' if total < CSV_TARGET_SECONDS else 'NOT met'})"
    )
    receiver.terminate()


if __name__ == "__main__":
    main()
