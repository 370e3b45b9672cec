from django.http import JsonResponse
from django.urls import include, path


def healthz(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("healthz", healthz),
    path("api/v1/", include("stockline.api.urls")),
    # CSV import/export pages live under the inventory URLs of the dashboard.
    path("dashboard/inventory/", include("stockline.imports.urls")),
    path("store/<slug:slug>/", include("stockline.storefront.urls")),
    path("", include("stockline.dashboard.urls")),
]
