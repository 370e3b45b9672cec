"""A worker killed with SIGKILL in the middle of a delivery loses nothing: once its claims
expire, another worker sends what it held, and every event reaches the receiver (PostgreSQL,
real worker processes)."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from stockline.core.channels import Channel
from stockline.events.models import Event, EventType
from stockline.webhooks.models import DeliveryStatus, WebhookDelivery
from stockline.webhooks.services import webhook_endpoint_create
from tests.conftest import requires_postgres
from tests.factories import make_product, owner_actor
from tests.support.gunicorn import ROOT, database_url_of_test_db

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 2


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--events-every", "0.2", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL takes every thread with it
    )


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_worker_killed_mid_delivery_loses_no_event(company, receiver):
    hang = threading.Event()
    receiver.hold = hang  # the first request waits here until released
    webhook_endpoint_create(
        actor=owner_actor(company), channel=Channel.API, url=receiver.url, events=["stock.changed"]
    )
    for stock in range(1, 6):
        make_product(company, stock=stock)
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "WEBHOOK_LEASE_SECONDS": str(LEASE_SECONDS),
        "WEBHOOK_ALLOW_PRIVATE_URLS": "1",
    }
    first = _worker(env)
    try:
        _wait(lambda: receiver.held, 30, "the first worker to be in the middle of a delivery")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    claimed = WebhookDelivery.objects.filter(claimed_until__isnull=False).count()
    assert claimed >= 1  # what the dead worker held
    hang.set()
    second = _worker(env)
    try:
        _wait(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 5,
            30,
            "every delivery to be made by the second worker",
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=10)
    delivered = {e["id"] for e in receiver.envelopes()}
    # The endpoint follows stock.changed only (each product's product.created is not sent to it).
    subscribed = Event.objects.filter(type=EventType.STOCK_CHANGED).values_list("id", flat=True)
    assert delivered == {str(i) for i in subscribed}  # all 5, some twice
