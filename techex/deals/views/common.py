"""What the deal pages share: putting a service's refusal on a form or in a message, rendering the deal page."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..states import DealError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

SERVICE_ERRORS = (ValidationError, PermissionDenied)


def is_refusal(exc) -> bool:
    """Whether a service refused because of who acts or the deal's state, not because of what was typed.

    A refusal goes back to the deal page as a message (the form may no longer be there); wrong input stays on the
    form, next to the field.
    """
    return isinstance(exc, PermissionDenied | DealError)


def refusal_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You may not do this.")
    return " ".join([_("This could not be done:"), *exc.messages])


def back_to_deal(request, deal, *, done: "StrOrPromise" = "", exc=None, anchor: str = ""):
    """Redirect to the deal page with the outcome as a message."""
    if exc is not None:
        messages.error(request, refusal_text(exc))
    elif done:
        messages.success(request, done)
    return redirect(deal.get_absolute_url() + (f"#{anchor}" if anchor else ""))
