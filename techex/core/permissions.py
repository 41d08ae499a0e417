"""The staff-only gate, one rule and one message for pages, the API and the services.

Pages answer 404 to anyone but staff, so they do not reveal that they exist; the API and the services refuse with
``STAFF_ONLY`` (the API's ``IsStaff`` permission says the same words).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

STAFF_ONLY = _("Only the exchange's staff may do this.")


def is_staff(user: Any) -> bool:
    """Whether the user is an active, signed-in member of the exchange's staff."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


def require_staff(user: Any) -> None:
    """Refuse anyone but staff with the one message (for services)."""
    if not is_staff(user):
        raise PermissionDenied(str(STAFF_ONLY))  # in the language of the request, as every service message


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 404 to everyone but staff, so the staff pages do not reveal that they exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
