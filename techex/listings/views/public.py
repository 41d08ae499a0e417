"""Pages anyone may open: the list of live listings, a listing, its files."""

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from techex.core.htmx import wants_partial
from techex.core.structured_data import json_ld_script

from .. import selectors, services
from ..choices import AttachmentKind
from ..engine import search_listings
from ..forms import BrowseForm
from ..structured_data import listing_json_ld

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

PAGE_SIZE = 20
# Values a facet shows before "more"; the rest fold away (34 provinces would push the results off a phone).
FACET_SHOWN = 10


@dataclass(frozen=True)
class FacetLink:
    label: "StrOrPromise"
    count: int
    selected: bool
    url: str  # adds the value, or removes it when selected; keeps the other filters, the words and the order


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    links: list[FacetLink]
    more: list[FacetLink]  # folded under "more"; a selected value is never among them


def _browse_url(form: BrowseForm, **changes) -> str:
    query = urlencode(form.params(**changes))
    return f"{reverse('listings:browse')}?{query}" if query else reverse("listings:browse")


def _feed_url(form: BrowseForm) -> str:
    """The Atom feed of the new listings under the page's filters (its words are a saved search's business)."""
    query = urlencode(form.params(q=None, sort=None, typed=None))
    return f"{reverse('listings:feed')}?{query}" if query else reverse("listings:feed")


def _facet_link(form: BrowseForm, name: str, value) -> FacetLink:  # value: the engine's FacetValue
    url = _browse_url(form, **{name: None if value.selected else value.value})
    return FacetLink(value.label, value.count, value.selected, url)


def _facet_groups(form: BrowseForm, facets: list) -> list[FacetGroup]:  # the engine's Facets
    groups = []
    for facet in facets:
        links = [_facet_link(form, facet.name, value) for value in facet.values]
        if links:
            shown, more = links[:FACET_SHOWN], links[FACET_SHOWN:]
            shown += [link for link in more if link.selected]
            groups.append(FacetGroup(facet.name, facet.label, shown, [link for link in more if not link.selected]))
    return groups


def _page_number(request) -> int:
    """The page asked for; anything but a plain number is the first (the paginator brings one too far back)."""
    raw = request.GET.get("page", "")
    return max(1, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1


@require_safe
def browse(request):
    form = BrowseForm(request.GET)
    typed = bool(form.values().get("typed"))
    results = search_listings(
        filters=form.filters(),
        sort=form.sort_order(),
        page=_page_number(request),
        page_size=PAGE_SIZE,
        correct=not typed,
    )
    q = form.values().get("q", "")
    context = {
        "form": form,
        "q": q,
        "results": results,
        "page": results.page,
        "partial": wants_partial(request),
        "facets": _facet_groups(form, results.facets),
        "active_filters": [(item, _browse_url(form, **{item.name: None})) for item in form.active_filters()],
        "clear_url": _browse_url(form, **dict.fromkeys(form.FILTERS)),
        "sort": form.sort_order(),
        # What the search box and the order menu send besides their own value (see browse.html).
        "search_state": form.params(q=None, sort=None, typed=None),
        "original_url": _browse_url(form, typed="1") if results.corrected else "",
        "sort_state": form.params(sort=None),
        "suggestion_url": _browse_url(form, q=results.suggestion) if results.suggestion else "",
        "feed_url": _feed_url(form),
    }
    template = "listings/partials/browse_results.html" if context["partial"] else "listings/browse.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _session_key(request) -> str:
    # Views are counted once per session, so a visitor without one gets one.
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


@require_safe
def detail(request, reference_code: str):
    listing = selectors.listing_get_for_user(user=request.user, reference_code=reference_code)
    manages = selectors.user_can_manage(user=request.user, listing=listing)
    is_staff = request.user.is_staff
    # The owners' and staff's own visits are not interest from the market.
    if listing.is_live and not manages and not is_staff:
        services.listing_record_view(listing=listing, session_key=_session_key(request))
        listing.refresh_from_db(fields=["view_count"])
    context = {
        "listing": selectors.listing_for_display(listing=listing),
        "attachments": selectors.listing_attachments_for_page(user=request.user, listing=listing),
        "sees_identity": selectors.user_sees_identity(user=request.user, listing=listing),
        "manages": manages,
        "is_staff": is_staff,
        "json_ld": _json_ld(request, listing),
    }
    return render(request, "listings/detail.html", context)


def _json_ld(request, listing) -> str:
    data = listing_json_ld(
        listing,
        url=request.build_absolute_uri(listing.get_absolute_url()),
        organization_url=request.build_absolute_uri(listing.organization.get_absolute_url()),
    )
    return json_ld_script(data) if data else ""


@require_safe
def attachment(request, token: str):
    """Serve a file the user may open; anything else is a 404, whether missing or forbidden."""
    attachment = selectors.attachment_get_for_user(user=request.user, token=token)
    is_image = attachment.kind == AttachmentKind.IMAGE
    # The name offered to the browser keeps the user's words but the extension of the checked content.
    stem = " ".join(PurePath(attachment.original_name).stem.split()) or attachment.listing.reference_code
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not is_image,
        filename=f"{stem}.{attachment.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a file slipped past the checks, the browser may not run anything from it.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    if attachment.is_confidential or not attachment.listing.is_live:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True, max_age=300)
    return response
