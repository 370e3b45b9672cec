"""GET /api/v1/events: the company's events, oldest first, every one exactly once."""

from django.db import transaction

from stockline.catalog.services import stock_adjust
from stockline.core.channels import Channel
from stockline.events.models import Event
from tests.api.conftest import ApiClient, error_of, make_key
from tests.factories import make_product, owner_actor, place


def _follow(api, **params) -> list[dict]:
    """Every event from the start of the feed, page by page along nextCursor."""
    seen, cursor = [], None
    while True:
        query = dict(params, **({"after": cursor} if cursor else {}))
        body = api.get("/events", query).json()
        seen += body["data"]
        cursor = body["pagination"]["nextCursor"]
        if not body["pagination"]["hasMore"]:
            return seen


def test_the_feed_holds_every_stock_change_in_order_with_its_envelope(api, company):
    product = make_product(company, name="Feed Widget", sku="FW-1", stock=10)
    place(company, [(product, 3)])
    stock_adjust(
        actor=owner_actor(company), channel=Channel.API, product_id=product.id, delta=5, note="Found"
    )
    events = _follow(api, limit="2", event="stock.changed")
    assert [(e["event"], e["data"]["stockBefore"], e["data"]["stockAfter"]) for e in events] == [
        ("stock.changed", 0, 10),
        ("stock.changed", 10, 7),
        ("stock.changed", 7, 12),
    ]
    assert all(set(e) == {"id", "event", "timestamp", "data"} for e in events)
    assert events[0]["data"]["sku"] == "FW-1" and events[0]["data"]["version"] == 1
    assert [e["data"]["version"] for e in events] == [1, 2, 3]
    stock_changed = Event.objects.filter(type="stock.changed")
    assert {e["id"] for e in events} == {str(i) for i in stock_changed.values_list("id", flat=True)}
    # the unfiltered feed: the product's creation first, then the same stock events in the same
    # order among the order's other events
    everything = _follow(api, limit="3")
    assert everything[0]["event"] == "product.created" and everything[0]["data"]["id"] == str(product.id)
    assert [e for e in everything if e["event"] == "stock.changed"] == events
    assert "order.created" in {e["event"] for e in everything}
    assert {e["id"] for e in everything} == {str(i) for i in Event.objects.values_list("id", flat=True)}


def test_a_consumer_resumes_from_its_cursor_and_sees_only_what_came_after(api, company):
    product = make_product(company, stock=10)
    body = api.get("/events", {"event": "stock.changed"}).json()
    cursor = body["pagination"]["nextCursor"]
    assert len(body["data"]) == 1 and cursor is not None and body["pagination"]["hasMore"] is False
    assert api.get("/events", {"after": cursor}).json()["data"] == []  # nothing new yet
    place(company, [(product, 2)])
    later = api.get("/events", {"after": cursor, "event": "stock.changed"}).json()
    assert [e["data"]["stockAfter"] for e in later["data"]] == [8]


def test_a_rolled_back_change_never_reaches_the_feed(api, company):
    product = make_product(company, stock=10)
    try:
        with transaction.atomic():
            stock_adjust(actor=owner_actor(company), channel=Channel.API, product_id=product.id, delta=5)
            raise RuntimeError("the caller fails after the adjustment")
    except RuntimeError:
        pass
    assert [e["event"] for e in _follow(api)] == ["product.created", "stock.changed"]
    assert [e["data"]["stockAfter"] for e in _follow(api, event="stock.changed")] == [10]


def test_another_companys_events_are_never_in_the_feed(api, company, other_company):
    make_product(company, stock=1)
    make_product(other_company, stock=2)
    other = ApiClient(make_key(other_company))
    assert [e["data"]["stock"] for e in _follow(api, event="product.created")] == [1]
    assert [e["data"]["stock"] for e in _follow(other, event="product.created")] == [2]
    assert [e["data"]["stockAfter"] for e in _follow(api, event="stock.changed")] == [1]
    assert [e["data"]["stockAfter"] for e in _follow(other, event="stock.changed")] == [2]


def test_the_feed_filters_by_event_type(api, company):
    make_product(company, stock=1)
    assert len(api.get("/events", {"event": "stock.changed"}).json()["data"]) == 1


def test_bad_feed_parameters_get_a_clear_400(api):
    assert error_of(api.get("/events", {"after": "not-a-cursor"}), 400) == "Invalid cursor."
    assert error_of(api.get("/events", {"limit": "0"}), 400) == "limit must be a whole number from 1 to 500."
    assert (
        error_of(api.get("/events", {"limit": "501"}), 400) == "limit must be a whole number from 1 to 500."
    )
    assert error_of(api.get("/events", {"event": "stock.changed,order.shipped"}), 400) == (
        "Unknown event type: order.shipped."
    )


def test_the_feed_needs_the_events_read_scope(company):
    api = ApiClient(make_key(company, scopes=["products:read"]))
    assert (
        error_of(api.get("/events"), 403)
        == 'Insufficient permissions. This key lacks the "events:read" scope.'
    )
