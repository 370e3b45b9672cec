"""Geometry for the dashboard's inline SVG charts (no JavaScript chart library).

Pure functions from numbers to coordinates; the templates draw them.
"""

import math
from dataclasses import dataclass

from stockline.catalog.stock_rules import StockStatus

HEALTH_COLORS = {
    StockStatus.IN_STOCK: "#16a34a",
    StockStatus.LOW_STOCK: "#eab308",
    StockStatus.OUT_OF_STOCK: "#dc2626",
}
HEALTH_LABELS = {
    StockStatus.IN_STOCK: "Healthy",
    StockStatus.LOW_STOCK: "Low stock",
    StockStatus.OUT_OF_STOCK: "Out of stock",
}


@dataclass(frozen=True, slots=True)
class DonutSegment:
    status: str
    label: str
    color: str
    count: int
    percent: float
    dasharray: str
    dashoffset: float


def health_donut(counts: dict[str, int]) -> list[DonutSegment]:
    """Healthy, Low, Out as arcs of one ring, in that order, starting at 12 o'clock.

    The ring's radius (dashboard/home.html) is 100 / 2π: a circumference of 100, so dash
    lengths are percentages.
    """
    total = sum(counts.get(s, 0) for s in HEALTH_COLORS)
    segments = []
    start = 0.0
    for status, color in HEALTH_COLORS.items():
        count = counts.get(status, 0)
        percent = 100 * count / total if total else 0.0
        segments.append(
            DonutSegment(
                status=status,
                label=HEALTH_LABELS[status],
                color=color,
                count=count,
                percent=round(percent, 1),
                dasharray=f"{percent:.3f} {100 - percent:.3f}",
                # SVG dashes start at 3 o'clock; +25 moves the start to 12 o'clock.
                dashoffset=round(25 - start, 3),
            )
        )
        start += percent
    return segments


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    value: int
    movement: object


@dataclass(frozen=True, slots=True)
class StockChart:
    width: int
    height: int
    path: str
    points: list[ChartPoint]
    gridlines: list[tuple[float, int]]  # (y, label)
    threshold_y: float | None
    threshold: int
    plot_left: int
    plot_right: int
    first_label: object
    last_label: object


def _nice_ceiling(value: int) -> int:
    """The next 'round' number ≥ value (1, 2, 5 × 10^n), so gridline labels read cleanly."""
    if value <= 4:
        return 4
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exponent >= value:
            return int(step * exponent)
    return int(10 * exponent)


def stock_history_chart(
    movements, *, threshold: int, width: int = 720, height: int = 220
) -> StockChart | None:
    """A step line of stock level over the given movements (oldest first), one step per change."""
    movements = list(movements)
    if not movements:
        return None
    left, right, top, bottom = 44, width - 12, 12, height - 26
    levels = [movements[0].stock_before] + [m.stock_after for m in movements]
    ceiling = _nice_ceiling(max([*levels, threshold, 1]))

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / ceiling, 1)

    step = (right - left) / len(movements)

    def x(index: int) -> float:
        return round(left + step * index, 1)

    parts = [f"M{x(0)},{y(levels[0])}"]
    points = []
    for i, movement in enumerate(movements, start=1):
        parts.append(f"H{x(i)}V{y(movement.stock_after)}")
        points.append(
            ChartPoint(x=x(i), y=y(movement.stock_after), value=movement.stock_after, movement=movement)
        )
    gridlines = [(y(v), v) for v in (0, ceiling // 2, ceiling)]
    return StockChart(
        width=width,
        height=height,
        path="".join(parts),
        points=points,
        gridlines=gridlines,
        threshold_y=y(threshold) if threshold > 0 else None,
        threshold=threshold,
        plot_left=left,
        plot_right=right,
        first_label=movements[0].created_at,
        last_label=movements[-1].created_at,
    )
