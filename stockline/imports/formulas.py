"""Spreadsheet formula injection: export neutralises, import restores, so a round trip is exact.

A cell starting with = + - @ tab or CR may run as a formula in Excel or LibreOffice; export
prefixes it with an apostrophe. A value that itself starts with apostrophes before such a
character gets one more, so import can always remove exactly one and restore the value.
Price and stock are never negative, so numbers never need it.
"""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(value: str) -> bool:
    return value.lstrip("'").startswith(TRIGGERS)


def neutralise(value: str) -> str:
    return "'" + value if _needs_quote(value) else value


def restore(cell: str) -> str:
    """Undo neutralise(): drop the apostrophe export put in front of a formula-like value."""
    return cell[1:] if cell.startswith("'") and _needs_quote(cell[1:]) else cell
