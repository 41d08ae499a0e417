"""Account pages (filled in by the pages work)."""

from django.http import Http404


def dashboard(request, *args, **kwargs):  # placeholder until the pages land
    raise Http404
