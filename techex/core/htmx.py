"""htmx requests: which ones a view answers with a fragment."""

from django.http import HttpRequest


def wants_partial(request: HttpRequest) -> bool:
    """Whether to answer with a fragment: an htmx request, but not a history restore (which needs the whole page).

    django-htmx's middleware sets ``request.htmx``; every view asks this instead of reading it.
    """
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request
