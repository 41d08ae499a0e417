"""Pages of a listing's owners: their listings, the step-by-step editor, files, preview and lifecycle actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url

from techex.core.htmx import wants_partial
from techex.organizations.selectors import user_organizations

from .. import selectors, services
from ..choices import ListingKind, ListingStatus
from ..filtersets import ListingFilterSet
from ..forms import (
    STEP_KEYS,
    STEPS,
    AttachmentForm,
    CreateListingForm,
    add_service_errors,
    listing_initial,
)
from ..states import EDITABLE_STATES, allowed_actions
from ..validation import submission_errors
from .public import PAGE_SIZE

ACTIONS = {
    "submit": (services.listing_submit, _l("The listing was sent for review. Staff will check it soon.")),
    "renew": (services.listing_renew, _l("The listing was renewed.")),
    "reopen": (services.listing_reopen, _l("The listing is a draft again: change it and submit it when ready.")),
    "withdraw": (services.listing_withdraw, _l("The listing was withdrawn from the exchange.")),
    "archive": (services.listing_archive, _l("The listing was archived.")),
    "revise": (services.listing_revise, _l("The new files were sent for review.")),
}


@login_required
@require_safe
def my_listings(request):
    filters = ListingFilterSet(request.GET)
    status = filters.values().get("status", "")
    listings = selectors.listing_list_for_owner(user=request.user, filters=filters)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": ListingStatus.choices}
    return render(request, "listings/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_start(request):
    """Create the draft from its kind, organisation and basics; the editor continues with the next step."""
    organizations = user_organizations(user=request.user)
    initial = {"kind": request.GET.get("kind", ListingKind.OFFER)}
    form = CreateListingForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                user=request.user,
                organization=form.cleaned_data["organization"],
                kind=form.cleaned_data["kind"],
                data=form.listing_data(),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft %(code)s was created.") % {"code": listing.reference_code})
            return redirect("listings:edit_step", reference_code=listing.reference_code, step=STEP_KEYS[1])
    context = {"form": form, "has_organizations": organizations.exists(), "steps": STEPS}
    return render(request, "listings/create.html", context)


def _step_response(request, listing, step_key: str, *, form=None, upload_form=None, saved: bool = False):
    step = STEPS[STEP_KEYS.index(step_key)]
    if step.form_class and form is None:
        form = step.form_class(initial=listing_initial(listing), kind=listing.kind)
    context = {
        "listing": listing,
        "steps": STEPS,
        "step": step,
        "previous_step": STEPS[STEP_KEYS.index(step_key) - 1] if step_key != STEP_KEYS[0] else None,
        "form": form,
        "saved": saved,
    }
    if step_key == "media":
        attachments = list(listing.attachments.all())
        context.update(
            upload_form=upload_form or AttachmentForm(),
            attachments=attachments,
            files_to_review=listing.status == ListingStatus.PUBLISHED and any(not a.is_approved for a in attachments),
        )
    template = "listings/partials/edit_step.html" if wants_partial(request) else "listings/edit.html"
    return render(request, template, context)


def _after_save(request, listing, step_key: str, *, revised: bool):
    """Go on to the next step: in place with htmx, by a redirect without."""
    next_key = STEP_KEYS[STEP_KEYS.index(step_key) + 1]
    url = reverse("listings:edit_step", kwargs={"reference_code": listing.reference_code, "step": next_key})
    if wants_partial(request):
        return push_url(_step_response(request, listing, next_key, saved=True), url)
    if revised:
        messages.info(request, _("Saved. The changes will be public once staff approve them."))
    else:
        messages.success(request, _("Saved."))
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def edit_step(request, reference_code: str, step: str):
    """One step of the editor: validate its fields, save them through ``listing_update``, go on to the next."""
    if step not in STEP_KEYS:
        raise Http404
    listing = selectors.listing_get_for_owner(user=request.user, reference_code=reference_code)
    if listing.status not in EDITABLE_STATES:
        messages.warning(
            request,
            _("A listing that is “%(state)s” cannot be edited.") % {"state": listing.get_status_display()},
        )
        return redirect("listings:preview", reference_code=listing.reference_code)
    form_class = STEPS[STEP_KEYS.index(step)].form_class
    if request.method == "GET" or form_class is None:
        return _step_response(request, listing, step)
    form = form_class(request.POST, initial=listing_initial(listing), kind=listing.kind)
    if form.is_valid():
        if not form.has_changed():
            # Pressing "continue" on an unchanged step must not send a live listing back to review.
            return _after_save(request, listing, step, revised=False)
        try:
            listing = services.listing_update(listing=listing, user=request.user, data=form.listing_data())
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            return _after_save(request, listing, step, revised=listing.is_live)
    return _step_response(request, listing, step, form=form)


@login_required
@require_safe
def preview(request, reference_code: str):
    """The listing as the public will see it, with what it still lacks and the button to submit it."""
    listing = selectors.listing_get_for_owner(user=request.user, reference_code=reference_code)
    # What a draft still lacks; a live listing's revision is checked by the service when it is saved.
    can_submit = not listing.is_live and "submit" in allowed_actions(listing.status)
    context = {
        "listing": selectors.listing_for_display(listing=listing, pending=True),
        "stored": listing,
        "attachments": selectors.listing_attachments_for_page(user=request.user, listing=listing, as_public=True),
        # As the public will see it: the identity rule asked for a visitor.
        "sees_identity": selectors.user_sees_identity(user=AnonymousUser(), listing=listing),
        "missing": submission_errors(listing) if can_submit else {},
        "editable": listing.status in EDITABLE_STATES,
    }
    return render(request, "listings/preview.html", context)


def _safe_next(request, default: str) -> str:
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return default


@login_required
@require_POST
def action(request, reference_code: str, action: str):
    """Run a lifecycle action; a refusal comes back as a message on the page the user came from."""
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    listing = selectors.listing_get_for_user(user=request.user, reference_code=reference_code)
    try:
        service(listing=listing, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join([_("This could not be done:"), *exc.messages]))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, done)
    return redirect(_safe_next(request, reverse("listings:mine")))


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request, reference_code: str):
    """Upload a file (the media step of the editor shows the list and the form)."""
    listing = selectors.listing_get_for_owner(user=request.user, reference_code=reference_code)
    if request.method == "GET":
        return redirect("listings:edit_step", reference_code=listing.reference_code, step="media")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                listing=listing,
                user=request.user,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                is_confidential=form.cleaned_data["is_confidential"],
                caption=form.cleaned_data["caption"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, default_field="file")
        else:
            if wants_partial(request):
                return _step_response(request, listing, "media", saved=True)
            messages.success(request, _("The file was added."))
            return redirect("listings:edit_step", reference_code=listing.reference_code, step="media")
    return _step_response(request, listing, "media", upload_form=form)


@login_required
@require_POST
def attachment_delete(request, reference_code: str, token: str):
    listing = selectors.listing_get_for_owner(user=request.user, reference_code=reference_code)
    attachment = listing.attachments.filter(token=token).first()
    if attachment is None:
        raise Http404
    services.attachment_delete(attachment=attachment, user=request.user)
    if wants_partial(request):
        return _step_response(request, listing, "media")
    messages.success(request, _("The file was deleted."))
    return redirect("listings:edit_step", reference_code=listing.reference_code, step="media")
