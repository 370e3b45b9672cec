"""Opaque, non-sequential public identifiers.

UUIDv7: 48 bits of milliseconds then 74 random bits. Not guessable or enumerable, yet
roughly time-ordered so B-tree inserts stay local and "newest first" pages are cheap.
"""

import os
import time
import uuid

_CLEAR = ~((0xF << 76) | (0b11 << 62))  # the version and variant bits
_SET = (0x7 << 76) | (0b10 << 62)  # version 7, RFC variant


def uuid7() -> uuid.UUID:
    return uuid7s(1)[0]


def uuid7s(count: int) -> list[uuid.UUID]:
    """`count` new ids, their randomness from one system call (the order path makes eight)."""
    ms = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    random = os.urandom(10 * count)
    # 48 bits of Unix milliseconds, then 80 random bits of which the version and variant
    # overwrite 6: 74 random bits.
    return [
        uuid.UUID(int=(int.from_bytes(ms + random[start : start + 10], "big") & _CLEAR) | _SET)
        for start in range(0, 10 * count, 10)
    ]
