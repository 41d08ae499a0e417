"""The account name django-axes counts failed sign-ins against."""

from django.conf import settings


def axes_username(request, credentials: dict | None = None) -> str | None:
    """Return the lower-cased login of a sign-in attempt, whichever form sent it.

    allauth authenticates with ``email=...`` and the Django admin with ``username=...``, while axes only looks at
    one form field; without this every failure counted against an empty name, so one mistyped password locked
    out the whole IP address (a university behind one NAT) for every account. Lower-casing stops ``A@x.vn`` and
    ``a@x.vn`` from being counted apart.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get(settings.AXES_USERNAME_FORM_FIELD) or data.get("username")
    if not value:
        return None
    return str(value).strip().lower()[:255]
