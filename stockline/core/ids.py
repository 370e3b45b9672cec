"""Opaque, non-sequential public identifiers.

UUIDv7: 48 bits of milliseconds then 74 random bits. Not guessable or enumerable, yet
roughly time-ordered so B-tree inserts stay local and "newest first" pages are cheap.
"""

import os
import time
import uuid

_CLEAR = ~((0xF << 76) | (0b11 << 62))  # the version and variant bits
_SET = (0x7 << 76) | (0b10 << 62)  # version 7, RFC variant
_new, _set = object.__new__, object.__setattr__


def uuid7() -> uuid.UUID:
    return uuid7s(1)[0]


def uuid7s(count: int) -> list[uuid.UUID]:
    """`count` new ids, their randomness from one system call (the order path makes eight)."""
    ms = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    random = os.urandom(10 * count)
    made = []
    for start in range(0, 10 * count, 10):
        # 48 bits of Unix milliseconds, then 80 random bits of which the version and variant
        # overwrite 6: 74 random bits.
        value = int.from_bytes(ms + random[start : start + 10], "big")
        # What UUID(int=value) makes, without its argument checks (values made here need
        # none): the same construction as CPython 3.14's uuid.UUID._from_int.
        one = _new(uuid.UUID)
        _set(one, "int", (value & _CLEAR) | _SET)
        _set(one, "is_safe", uuid.SafeUUID.unknown)
        made.append(one)
    return made
