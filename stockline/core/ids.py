"""Opaque, non-sequential public identifiers.

UUIDv7: 48 bits of milliseconds then 74 random bits. Not guessable or enumerable, yet
roughly time-ordered so B-tree inserts stay local and "newest first" pages are cheap.
"""

import os
import threading
import time
import uuid

_CLEAR = ~((0xF << 76) | (0b11 << 62))  # the version and variant bits
_SET = (0x7 << 76) | (0b10 << 62)  # version 7, RFC variant
_STEP = (1 << 32) - 1  # up to 32 random bits between ids made in one millisecond


def uuid7() -> uuid.UUID:
    return uuid7s(1)[0]


_last = 0
_last_lock = threading.Lock()


def uuid7s(count: int) -> list[uuid.UUID]:
    """`count` new ids, their randomness from one system call (the order path makes eight).

    Monotonic within the process (RFC 9562's method 3): each id is greater than every id made
    before it here, also within one millisecond, so rows made in one transaction sort in the
    order they were made (the event feed numbers a transaction's events in that order)."""
    global _last
    ms = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    random = os.urandom(10 * count)
    # 48 bits of Unix milliseconds, then 80 random bits of which the version and variant
    # overwrite 6: 74 random bits.
    values = sorted(
        (int.from_bytes(ms + random[start : start + 10], "big") & _CLEAR) | _SET
        for start in range(0, 10 * count, 10)
    )
    with _last_lock:
        for i, value in enumerate(values):
            if value <= _last:  # the same millisecond as an earlier id (or a clock step back):
                # a random step up from it, so the next id is still not guessable
                values[i] = value = ((_last + 1 + (value & _STEP)) & _CLEAR) | _SET
            _last = value
    return [uuid.UUID(int=value) for value in values]
