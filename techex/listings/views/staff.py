"""Staff pages: the review queue and the review of one listing or revision.

Both answer 404 to anyone but staff, so the pages do not reveal that they exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_safe

from techex.core.permissions import staff_page
from techex.departments.forms import ReassignForm, queue_context

from .. import selectors, services
from ..choices import ListingStatus
from ..forms import ReviewForm, add_service_errors

QUEUE_PAGE_SIZE = 50

DONE = {
    "publish": _l("%(code)s was published."),
    "request_changes": _l("%(code)s was sent back to its owner for changes."),
    "reject": _l("%(code)s was rejected."),
}
REASSIGNED = _l("%(code)s went to the queue of %(department)s.")


def _decide(decision: str, *, listing, user, note: str) -> None:
    if decision == "publish":
        services.listing_publish(listing=listing, user=user)
    elif decision == "request_changes":
        services.listing_request_changes(listing=listing, user=user, note=note)
    else:
        services.listing_reject(listing=listing, user=user, reason=note)


@staff_page
@require_safe
def review_queue(request):
    context = queue_context(request, selectors.listing_list_review_queue)
    context["page"] = Paginator(context["queue"], QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "listings/review_queue.html", context)


@require_http_methods(["GET", "POST"])
def review(request, reference_code: str):
    """Show a submitted listing (a revision as changes against the approved version) and take the decision."""
    listing = selectors.listing_get_for_staff(user=request.user, reference_code=reference_code)
    reassigning = request.method == "POST" and ReassignForm.submitted(request.POST)
    reassign_form = ReassignForm(request.POST if reassigning else None, current=listing.department)
    if reassigning and reassign_form.is_valid() and reassign_form.reassign(user=request.user, obj=listing):
        department = reassign_form.cleaned_data["department"]
        messages.success(request, REASSIGNED % {"code": listing.reference_code, "department": department.name})
        return redirect("listings:review_queue")
    form = ReviewForm(request.POST if request.method == "POST" and not reassigning else None)
    if request.method == "POST" and not reassigning and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            _decide(decision, listing=listing, user=request.user, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, rename={"reason": "note"})
        else:
            messages.success(request, DONE[decision] % {"code": listing.reference_code})
            return redirect("listings:review_queue")
    context = {
        "listing": selectors.listing_for_display(listing=listing),
        "changes": selectors.listing_revision_changes(listing=listing),
        "attachments": selectors.listing_attachments_for_page(user=request.user, listing=listing),
        "sees_identity": True,
        "form": form,
        "can_decide": listing.status == ListingStatus.SUBMITTED,
        "reassign_form": reassign_form,
    }
    return render(request, "listings/review.html", context)
