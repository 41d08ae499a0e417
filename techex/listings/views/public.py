"""Pages anyone may open: the list of live listings, a listing, its files."""

from pathlib import PurePath

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from .. import selectors, services
from ..choices import AttachmentKind
from ..forms import BrowseForm

PAGE_SIZE = 20


def wants_partial(request) -> bool:
    """Whether to answer an htmx request with a fragment (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def browse(request):
    form = BrowseForm(request.GET)
    listings = selectors.listing_list_public(filters=form.filters())
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    template = "listings/partials/browse_results.html" if wants_partial(request) else "listings/browse.html"
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
    manages = selectors.user_can_manage(request.user, listing)
    is_staff = request.user.is_staff
    # The owners' and staff's own visits are not interest from the market.
    if listing.is_live and not manages and not is_staff:
        services.listing_record_view(listing=listing, session_key=_session_key(request))
        listing.refresh_from_db(fields=["view_count"])
    context = {
        "listing": selectors.listing_for_display(listing=listing),
        "attachments": selectors.listing_attachments_for_page(user=request.user, listing=listing),
        "sees_identity": selectors.user_sees_identity(request.user, listing),
        "manages": manages,
        "is_staff": is_staff,
    }
    return render(request, "listings/detail.html", context)


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
