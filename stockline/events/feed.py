"""The event feed: events written with the changes they tell of, numbered after commit.

Why numbering after commit. An event's row is written inside its business transaction, so
a rolled-back change leaves none. Numbering it there (a sequence, a timestamp) would not give
a gapless feed on PostgreSQL: transaction A takes number 10, transaction B takes 11 and
commits first, a reader pages past 11, then A commits and 10 lands behind the reader's cursor
for ever. So the feed never shows an event until events_number() has given it a position,
and events_number() only numbers events that are already committed:

- it takes the one EventCounter row's lock, so numbering runs one at a time;
- under that lock, a new statement (READ COMMITTED: a new snapshot) reads the events without
  a position: exactly those committed so far, in (created_at, id) order;
- it gives them the next positions and commits, which releases the lock.

An event that commits later is seen by a later run and gets a higher position, so the
positions a reader can see are always 1..N with no hole, and each event gets exactly one
(a position, once set, is never changed). A reader that follows positions upwards sees every
committed event once. On SQLite every write transaction is BEGIN IMMEDIATE, which already
serialises the runs; the same code holds.

events_number() runs in the worker every second and before every feed read, so a consumer
sees an event as soon as it asks after the commit.

Test events (webhooks.models.TEST_EVENT, the dashboard's "Send test event") are written with
their one delivery by webhooks.services.webhook_test_send: events_number() leaves them alone
(a position would put them in the feed and fan them out to every endpoint), so they never get
a position, and events_prune() deletes them by age alone.
"""

from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stockline.core.rows import rows_update, rows_written
from stockline.events.models import Event, EventCounter
from stockline.webhooks.models import TEST_EVENT

NUMBER_BATCH = 10_000


def events_record(rows: list[dict]) -> None:
    """Write events in the caller's transaction: each {"id", "company_id", "type", "data",
    "created_at"}."""
    rows_written(Event, rows)


def events_number(*, batch: int = NUMBER_BATCH) -> int:
    """Give the committed events without a position the next positions, and their webhook
    deliveries (webhooks.delivery.deliveries_create); how many it numbered."""
    from stockline.webhooks.delivery import deliveries_create

    with transaction.atomic():
        counter, _ = EventCounter.objects.select_for_update().get_or_create(id=1)
        waiting = list(
            Event.objects.filter(position__isnull=True)
            .exclude(type=TEST_EVENT)  # the condition of the event_unnumbered index
            .order_by("created_at", "id")
            .values_list("id", "company_id", "type")[:batch]
        )
        if not waiting:
            return 0
        rows_update(Event, ["position"], [(counter.last + i, event[0]) for i, event in enumerate(waiting, 1)])
        counter.last += len(waiting)
        counter.save(update_fields=["last"])
        deliveries_create(waiting)
    return len(waiting)


def events_after(
    *, company_id: UUID, after: int, limit: int, types: list[str] | None = None
) -> tuple[list[Event], bool]:
    """The company's numbered events after position `after`, oldest first, at most `limit`,
    and whether there are more."""
    events = Event.objects.filter(company_id=company_id, position__gt=after).order_by("position")
    if types:
        events = events.filter(type__in=types)
    page = list(events[: limit + 1])
    return page[:limit], len(page) > limit


def event_envelope(event: Event) -> dict:
    """The event as webhooks and the feed deliver it."""
    return {
        "id": str(event.id),
        "event": event.type,
        "timestamp": event.created_at.isoformat(),
        "data": event.data,
    }


def events_prune(*, now: datetime | None = None) -> int:
    """Delete numbered events, and test events (never numbered), older than
    EVENT_RETENTION_DAYS; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EVENT_RETENTION_DAYS)
    done = Q(position__isnull=False) | Q(type=TEST_EVENT)
    deleted, _ = Event.objects.filter(done, created_at__lt=cutoff).delete()
    return deleted
