"""Request types for views that only a signed-in person reaches (django-stubs' documented pattern).

``request.user`` is typed ``User | AnonymousUser``; behind ``login_required`` or DRF's ``IsAuthenticated`` it is
always a ``User``. Annotating such a view's request with these types says so to mypy without a runtime check; use
them only where the gate is on the view itself.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User
