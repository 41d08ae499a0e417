"""Pages of matching: the Matches panel of a listing, the staff's activity view.

Each view parses the request, calls one service or selector and renders; with htmx the same view answers a fragment.
Saved searches and the match alert threshold form are on the pages of ``techex.alerts``.
"""

from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from techex.core.htmx import wants_partial
from techex.listings import selectors as listing_selectors

from . import activity
from .panel import match_panel_rows

# --- the Matches panel of a listing ------------------------------------------------------------------------------


@require_safe
def listing_matches(request, reference_code: str):
    """The Matches panel (an htmx fragment of the listing page): owner and staff see all, others the public ones."""
    listing = listing_selectors.listing_get_for_user(user=request.user, reference_code=reference_code)
    context = {
        "listing": listing,
        "rows": match_panel_rows(user=request.user, listing=listing),
        "is_staff": request.user.is_staff,
        "manages": listing_selectors.user_can_manage(user=request.user, listing=listing),
    }
    template = "matching/partials/matches_panel.html" if wants_partial(request) else "matching/listing_matches.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


@require_safe
def match_open(request, reference_code: str, counterpart_code: str):
    """Open a matched listing from a listing's panel, recording that its owner side looked (for staff)."""
    listing = listing_selectors.listing_get_for_user(user=request.user, reference_code=reference_code)
    counterpart = listing_selectors.listing_get_for_user(user=request.user, reference_code=counterpart_code)
    activity.match_record_view(user=request.user, listing=listing, counterpart=counterpart)
    return redirect("listings:detail", reference_code=counterpart.reference_code)


# --- staff -------------------------------------------------------------------------------------------------------


@require_safe
def staff_activity(request, reference_code: str):
    """Per listing: its matches and whether the parties acted, so that a broker can step in. 404 for non-staff."""
    listing = listing_selectors.listing_get_for_staff(user=request.user, reference_code=reference_code)
    rows = activity.match_activity_for_staff(user=request.user, listing=listing)
    context = {"listing": listing, "rows": rows, "idle_score": activity.IDLE_SCORE}
    return render(request, "matching/staff_activity.html", context)
