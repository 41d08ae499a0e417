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


def wants_partial(request) -> bool:
    """Whether to answer an htmx request with a fragment (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def form_error(form, exc: ValidationError | PermissionDenied, *, default_field: str | None = None) -> None:
    """Show a service's refusal on the form: on the field it names, above the form otherwise."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You may not do this."))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(default_field, exc.messages)
        return
    for name, texts in exc.message_dict.items():
        form.add_error(name if name in form.fields else default_field, texts)


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
