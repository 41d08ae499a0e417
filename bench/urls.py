"""The site's addresses plus ``/bench/constant/``, the baseline a search request is compared with (bench.settings)."""

from django.http import JsonResponse
from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 (looked up on the root URLconf)

CONSTANT = {"ok": True, "view": "constant"}


def constant(request):
    """Answer a small constant JSON document: what gunicorn, Django and the middleware cost, without a query."""
    return JsonResponse(CONSTANT)


urlpatterns = [
    path("bench/constant/", constant),
    path("", include("config.urls")),
]
