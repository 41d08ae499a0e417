"""A view that locks two organisations in the order its address gives: two requests in opposite orders deadlock.

Only ``test_audit_concurrency`` routes to it (``pytest.mark.urls``), to show that the request PostgreSQL aborts is
run again rather than answered with a 500.
"""

import threading

from django.http import HttpResponse
from django.urls import path

from techex.core.services import audit_record
from techex.organizations.models import Organization

# Set by the test: both requests meet here, each holding its first lock, on their first attempt only.
MEETING: dict[str, threading.Barrier | None] = {"barrier": None}
ATTEMPTS: list[str] = []


def lock_two(request, first: int, second: int):
    label = f"{first}-{second}"
    ATTEMPTS.append(label)
    organization = Organization.objects.select_for_update().get(pk=first)
    barrier = MEETING["barrier"]
    if barrier is not None and ATTEMPTS.count(label) == 1:
        barrier.wait(timeout=10)
    Organization.objects.select_for_update().get(pk=second)
    audit_record(actor=None, action="test.lock_two", target=organization, data={"order": label})
    return HttpResponse(label)


urlpatterns = [path("lock/<int:first>/<int:second>/", lock_two)]
