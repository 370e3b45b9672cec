"""GET /api/v1/events: the company's event feed, oldest first, gapless (events.feed)."""

import base64
import binascii

from ninja import Query, Router, Schema

from stockline.api.auth import ApiKeyAuth
from stockline.api.errors import ApiError
from stockline.api.schemas import COMMON_ERRORS, EventListOut
from stockline.events.feed import event_envelope, events_after, events_number
from stockline.events.models import EventType

router = Router(tags=["events"], auth=ApiKeyAuth("events"))

FEED_LIMIT_DEFAULT = 100
FEED_LIMIT_MAX = 500


class EventFilters(Schema):
    after: str | None = None
    limit: str | None = None
    event: str | None = None


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"events:{position}".encode()).decode().rstrip("=")


def _position(cursor: str | None) -> int:
    """The feed position a cursor stands for; 0 (the start) without one."""
    if not cursor:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        position = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "Invalid cursor.") from exc
    if kind != "events" or position < 0:
        raise ApiError(400, "Invalid cursor.")
    return position


def _limit(raw: str | None) -> int:
    if raw is None:
        return FEED_LIMIT_DEFAULT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= FEED_LIMIT_MAX:
        raise ApiError(400, f"limit must be a whole number from 1 to {FEED_LIMIT_MAX}.")
    return limit


def _types(raw: str | None) -> list[str] | None:
    if not raw:
        return None
    types = [t.strip() for t in raw.split(",") if t.strip()]
    unknown = [t for t in types if t not in EventType.values]
    if unknown:
        raise ApiError(400, f"Unknown event type: {', '.join(unknown)}.")
    return types


@router.get("/events", response={200: EventListOut, **COMMON_ERRORS})
def events_list(request, filters: Query[EventFilters]):
    """Events after the cursor, oldest first. Follow `nextCursor` (also given when there are no
    more yet: ask again with it later) to see every event exactly once."""
    after, limit, types = _position(filters.after), _limit(filters.limit), _types(filters.event)
    events_number()  # whatever committed until now is in the feed before it is read
    page, more = events_after(company_id=request.company_id, after=after, limit=limit, types=types)
    last = page[-1].position if page else after
    return {
        "data": [event_envelope(event) for event in page],
        "pagination": {"hasMore": more, "nextCursor": _cursor(last) if last else None},
    }
