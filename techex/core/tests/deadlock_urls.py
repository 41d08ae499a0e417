"""Views that lock two organisations in the order their address gives: two requests in opposite orders deadlock.

Only ``test_audit_concurrency`` routes to them (``pytest.mark.urls``), to show that the request PostgreSQL aborts
is run again rather than answered with a 500: a page, and an API view that reads a JSON body on every attempt.
"""

import threading

from django.http import HttpResponse
from django.urls import path
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from techex.core.services import audit_record
from techex.organizations.models import Organization

# Set by the test: both requests meet here, each holding its first lock, on their first attempt only.
MEETING: dict[str, threading.Barrier | None] = {"barrier": None}
ATTEMPTS: list[str] = []


def _lock_two(first: int, second: int) -> str:
    label = f"{first}-{second}"
    ATTEMPTS.append(label)
    organization = Organization.objects.select_for_update().get(pk=first)
    barrier = MEETING["barrier"]
    if barrier is not None and ATTEMPTS.count(label) == 1:
        barrier.wait(timeout=10)
    Organization.objects.select_for_update().get(pk=second)
    audit_record(actor=None, action="test.lock_two", target=organization, data={"order": label})
    return label


def lock_two(request, first: int, second: int):
    return HttpResponse(_lock_two(first, second))


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def lock_two_api(request, first: int, second: int):
    return Response({"order": _lock_two(first, second), "note": request.data["note"]})


urlpatterns = [
    path("lock/<int:first>/<int:second>/", lock_two),
    path("api/lock/<int:first>/<int:second>/", lock_two_api),
]
