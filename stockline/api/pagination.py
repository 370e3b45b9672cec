"""Cursor pagination, newest first: the cursor is the id of the last item of a page."""

from uuid import UUID

from django.db.models import Q

from stockline.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def parse_limit(raw: str | None) -> int:
    """Lenient like the original: non-numeric → 50, below 1 → 1, above 100 → 100."""
    try:
        value = int(raw) if raw is not None else DEFAULT_LIMIT
    except (TypeError, ValueError):
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, value))


def paginate(queryset, *, limit: str | None, cursor: str | None) -> tuple[list, dict]:
    """One page of `queryset` (already company-scoped) ordered by (-created_at, -id)."""
    size = parse_limit(limit)
    qs = queryset.order_by("-created_at", "-id")
    if cursor:
        try:
            cursor_id = UUID(cursor)
        except ValueError as exc:
            raise ApiError(400, "Invalid cursor.") from exc
        anchor = queryset.filter(id=cursor_id).values_list("created_at", flat=True).first()
        if anchor is None:
            raise ApiError(400, "Invalid cursor.")
        qs = qs.filter(Q(created_at__lt=anchor) | Q(created_at=anchor, id__lt=cursor_id))
    items = list(qs[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    return items, {
        "hasMore": has_more,
        "nextCursor": str(items[-1].id) if has_more and items else None,
    }
