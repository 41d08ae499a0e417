"""Search pages' own views: the titles suggested under a search box as people type."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import MAX_QUERY_LENGTH, search_suggestions


@require_safe
def suggest(request):
    """Answer an htmx GET with a fragment: the live listings whose titles match what has been typed so far.

    Nothing typed, or more than a search box takes, is an empty fragment, never an error. The text is passed on
    untrimmed: a trailing space says the last word is complete.
    """
    q = request.GET.get("q", "")
    suggestions = search_suggestions(q=q) if q.strip() and len(q) <= MAX_QUERY_LENGTH else []
    return render(request, "search/partials/suggestions.html", {"suggestions": suggestions})
