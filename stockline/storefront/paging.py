"""Pages of ids for the catalog, cheap at 100,000 products.

Browsing counts exactly: the count reads an index. A search cannot use one (it matches
substrings of four columns), so it asks for the page first and counts only when it must, and
then at most SEARCH_PAGES pages' worth: a rare word costs one scan, a common one a short walk.
"""

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet

SEARCH_PAGES = 40


class CountedPaginator(Paginator):
    """A paginator whose count is already known; `capped` when more matched than it says."""

    def __init__(self, per_page: int, count: int, *, capped: bool = False):
        super().__init__([], per_page)
        self.count = count  # overrides the cached_property: no COUNT query
        self.capped = capped


def page_number(raw, *, last: int | None = None) -> int:
    try:
        number = max(int(raw), 1)
    except (TypeError, ValueError):
        number = 1
    return number if last is None else min(number, last)


def browse_page(ids: QuerySet, raw_number, size: int) -> Page:
    """A page of `ids` (a values_list queryset) after an exact COUNT, as Paginator.get_page."""
    paginator = Paginator(ids, size)
    page = paginator.get_page(raw_number)
    page.object_list = list(page.object_list)
    return page


def search_page(ids: QuerySet, raw_number, size: int) -> Page:
    """A page of `ids` counted only up to SEARCH_PAGES pages: a first page with room to spare
    needs no COUNT at all, and a later one a COUNT that stops at the cap."""
    cap = SEARCH_PAGES * size
    number = page_number(raw_number, last=SEARCH_PAGES)
    found = list(ids[(number - 1) * size : number * size + 1])
    # Unordered, the capped count stops scanning at the cap instead of sorting every match.
    count = len(found) if number == 1 and len(found) <= size else ids.order_by()[: cap + 1].count()
    paginator = CountedPaginator(size, min(count, cap), capped=count > cap)
    try:
        paginator.validate_number(number)
    except InvalidPage:  # past the last page: show the last one
        number = paginator.num_pages
        found = list(ids[(number - 1) * size : number * size])
    return Page(found[:size], number, paginator)
