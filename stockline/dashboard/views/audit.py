"""Settings → Audit log (OWNER/ADMIN): filter by action, actor type, entity and dates."""

from django.shortcuts import render

from stockline.accounts.permissions import Perm
from stockline.audit.actors import ActorType
from stockline.audit.models import AuditAction
from stockline.dashboard import selectors
from stockline.dashboard.access import staff_view
from stockline.dashboard.audit_display import audit_lines


@staff_view(Perm.VIEW_AUDIT_LOG)
def audit_log(request):
    filters = selectors.AuditFilters.from_params(request.GET)
    page = selectors.audit_page(
        company_id=request.company.id, filters=filters, page_number=request.GET.get("page")
    )
    return render(
        request,
        "dashboard/settings/audit.html",
        {
            "page_obj": page,
            "lines": audit_lines(page.object_list),
            "filters": filters,
            "actions": AuditAction.choices,
            "actor_types": ActorType.choices,
            "entity_types": selectors.audit_entity_types(company_id=request.company.id),
        },
    )
