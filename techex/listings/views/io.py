"""Listing files: staff upload an import and follow its progress; anyone exports a filtered list.

The import pages answer 404 to anyone but staff, so they do not reveal that they exist.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_safe

from techex.core.htmx import wants_partial
from techex.core.permissions import staff_page

from .. import exporter, selectors
from ..forms import BrowseForm
from ..import_jobs import check_import_upload, import_job_create, import_max_bytes


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_l("File of listings"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jsonl,.csv,.xlsx"}),
    )
    publish = forms.BooleanField(
        label=_l("Publish at once"),
        required=False,
        help_text=_l("Every new or changed listing goes live without waiting in the review queue."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_import_upload(file)
        return file


@staff_page
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                user=request.user, file=form.cleaned_data["file"], publish=form.cleaned_data["publish"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("file", exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The file was uploaded; its import runs in the background."))
            return redirect(job)
    context = {
        "form": form,
        "jobs": selectors.import_job_list_recent(user=request.user),
        "max_size": filesizeformat(import_max_bytes()),
    }
    return render(request, "listings/import.html", context)


@staff_page
@require_safe
def import_help(request):
    """How to prepare and upload a file, for staff (the developer's docs/import-format.md says more)."""
    return render(request, "listings/import_help.html", {"max_size": filesizeformat(import_max_bytes())})


@require_safe
def import_status(request, pk: int):
    job = selectors.import_job_get_for_staff(user=request.user, pk=pk)
    partial = wants_partial(request)
    template = "listings/partials/import_progress.html" if partial else "listings/import_status.html"
    response = render(request, template, {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def export_public(request, fmt: str):
    """Download the browse page's list (same filters) as CSV or XLSX; ``scope`` mine or review for owners and staff."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters = BrowseForm(request.GET).filters()
    scope = request.GET.get("scope", "")
    if scope == "mine" and request.user.is_authenticated:
        listings = selectors.listing_list_for_owner(user=request.user, filters=filters)
    elif scope == "review" and request.user.is_staff:
        listings = selectors.listing_list_review_queue(user=request.user, filters=filters)
    elif scope == "":
        listings = selectors.listing_list_public(filters=filters)
    else:
        raise Http404
    # The public list hides who is behind an anonymous listing; owners and staff see their own lists whole.
    show_identity = scope != ""
    name = f"listings{'-' + scope if scope else ''}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporter.csv_lines(listings, show_identity=show_identity), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exporter.xlsx_bytes(listings, show_identity=show_identity), content_type=exporter.XLSX_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if scope:
        patch_cache_control(response, private=True, no_store=True)
    return response
