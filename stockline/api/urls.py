from functools import wraps

from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, re_path

from stockline.api.api import api


def _json_method_not_allowed(view):
    """django-ninja answers a wrong method in plain text; the API answers every error in JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            json = JsonResponse({"error": "Method not allowed."}, status=405)
            json["Allow"] = response["Allow"]
            return json
        return response

    return wrapped


def unknown_path(request, rest: str):
    return JsonResponse({"error": "Not found."}, status=404)


# (not named app_name: include() would read that as this module's namespace)
ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = _json_method_not_allowed(pattern.callback)

urlpatterns = [
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
