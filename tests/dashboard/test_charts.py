"""Chart geometry for the health donut and the stock history (dashboard.charts)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from stockline.catalog.stock_rules import StockStatus
from stockline.dashboard.charts import health_donut, stock_history_chart


def test_donut_arcs_cover_the_ring_in_healthy_low_out_order():
    segments = health_donut({StockStatus.IN_STOCK: 6, StockStatus.LOW_STOCK: 3, StockStatus.OUT_OF_STOCK: 1})
    assert [(s.label, s.count, s.percent) for s in segments] == [
        ("Healthy", 6, 60.0),
        ("Low stock", 3, 30.0),
        ("Out of stock", 1, 10.0),
    ]
    # Each arc starts where the previous one ended, from 12 o'clock.
    assert [s.dashoffset for s in segments] == [25.0, -35.0, -65.0]


def test_donut_of_an_empty_catalog_has_no_arcs():
    assert [s.percent for s in health_donut({})] == [0.0, 0.0, 0.0]


@dataclass
class Move:
    stock_before: int
    stock_after: int
    created_at: datetime = datetime(2026, 4, 17, 14, 22, tzinfo=UTC)


def test_stock_history_is_a_step_line_through_every_level():
    chart = stock_history_chart([Move(0, 40), Move(40, 10), Move(10, 0)], threshold=5, width=344, height=226)
    # Plot from x=44 to x=332 (3 steps of 96), y from 200 (0 units) up to 12 (ceiling 50 units).
    assert chart.path == "M44.0,200.0H140.0V49.6H236.0V162.4H332.0V200.0"
    assert [p.value for p in chart.points] == [40, 10, 0]
    assert [label for _, label in chart.gridlines] == [0, 25, 50]
    assert chart.threshold_y == 181.2


def test_stock_history_of_a_product_without_movements_is_empty():
    assert stock_history_chart([], threshold=5) is None
