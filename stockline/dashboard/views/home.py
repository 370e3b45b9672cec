"""/dashboard: inventory health, recent orders and recent activity."""

from django.shortcuts import render

from stockline.dashboard import selectors
from stockline.dashboard.access import staff_view
from stockline.dashboard.audit_display import audit_lines
from stockline.dashboard.charts import health_donut


@staff_view()
def home(request):
    counts = selectors.company_health(company=request.company)
    return render(
        request,
        "dashboard/home.html",
        {
            "health": health_donut(counts),
            "health_total": sum(counts.values()),
            "recent_orders": selectors.recent_orders(company_id=request.company.id),
            "activity": audit_lines(selectors.recent_activity(company_id=request.company.id)),
        },
    )
