"""Valuation pages: the provider delivers a valuation request with its record; the record's report file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from techex.core.forms import add_service_errors
from techex.deals.files import file_response

from . import selectors, valuations
from .forms import ValuationForm
from .views import _request_page


@login_required
@require_POST
def request_valuation(request: HttpRequest, reference_code: str) -> HttpResponse:
    """Deliver the request with the valuation (the form of the request page); a refusal shows the page again."""
    service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
    form = ValuationForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            valuations.request_deliver_valuation(
                user=request.user,  # type: ignore[arg-type]
                request=service_request,
                method=data["method"],
                value_low_vnd=data["value_low_vnd"],
                value_high_vnd=data["value_high_vnd"],
                valued_on=data["valued_on"],
                note=data["note"],
                report=data["report"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The valuation is recorded on the listing and the request is delivered."))
            return redirect(service_request)
    service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
    return _request_page(request, service_request, status=400, valuation_form=form)


@login_required
@require_safe
def valuation_report(request: HttpRequest, token: str) -> FileResponse:
    report = selectors.valuation_report_get_for_user(user=request.user, token=token)
    return file_response(
        report.file,
        name=report.original_name,
        extension=report.extension,
        content_type=report.content_type,
        fallback="valuation",
    )
