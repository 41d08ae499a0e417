"""The staff dashboard (every indicator: a chart, its table, a CSV download), and the public statistics page."""

import csv
from decimal import Decimal
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from techex.core.htmx import wants_partial
from techex.core.permissions import staff_page
from techex.deals.files import file_response
from techex.departments.forms import ALL_QUEUES
from techex.departments.scope import staff_scope
from techex.departments.selectors import department_list_public
from techex.listings.public_record import COLUMNS
from techex.reference.models import Province, STField

from . import opendata, selectors, services
from .charts import bar_chart
from .filtersets import StatisticsFilterSet
from .forms import ReportRequestForm
from .indicators import BY_KEY, INDICATORS, PUBLIC, SECTIONS, Indicator
from .types import SUPPRESSED, Table


def _page_form(filterset: StatisticsFilterSet, *, user: Any = None) -> forms.Form:
    """The FilterSet's form, dressed for a page: dates as date inputs, lists as selects, no API wording."""
    form = filterset.form
    for field in form.fields.values():
        field.help_text = ""
    form.fields["date_from"].widget = forms.DateInput(attrs={"type": "date"})
    form.fields["date_to"].widget = forms.DateInput(attrs={"type": "date"})
    fields = [("", _("All fields"))] + [(f.code, f.label) for f in STField.objects.filter(level=1).order_by("code")]
    form.fields["field"].widget = forms.Select(choices=fields)
    provinces = [("", _("All provinces"))] + [
        (p.code, p.name) for p in Province.objects.filter(is_mekong=True).order_by("name")
    ]
    form.fields["province"].widget = forms.Select(choices=provinces)
    if user is not None and staff_scope(user).is_lead:
        departments = [("", _("The whole region"))] + [(d.code, d.name) for d in department_list_public()]
        form.fields["department"].widget = forms.Select(choices=departments)
    else:
        del form.fields["department"]  # a partner's staff read their own department; the public, the region
    return form


def _indicator_view(indicator: Indicator, table: Table, criteria_query: str) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "table": table,
        "chart": bar_chart(table, title=str(indicator.title), chart_id=f"chart-{indicator.key}"),
        "query": criteria_query,
    }


@require_safe
@staff_page
def dashboard(request):
    filterset = StatisticsFilterSet(request.GET or None)
    criteria = selectors.statistics_criteria(user=request.user, filters=filterset)
    query = _urlencode(criteria.query())
    sections = []
    for section, title in SECTIONS.items():
        items = [_indicator_view(i, i.table(criteria), query) for i in INDICATORS if i.section == section]
        sections.append({"key": section, "title": title, "indicators": items})
    return render(
        request,
        "statistics/dashboard.html",
        {
            "form": _page_form(filterset, user=request.user),
            "criteria": criteria,
            "sections": sections,
            "all_queues": ALL_QUEUES,
        },
    )


def _urlencode(query: dict[str, str]) -> str:
    return urlencode(query)


def _csv_cell(value: Any) -> Any:
    if value is SUPPRESSED:
        return ""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


@require_safe
@staff_page
def indicator_csv(request, key: str):
    indicator = BY_KEY.get(key)
    if indicator is None:
        raise Http404
    criteria = selectors.statistics_criteria(user=request.user, filters=StatisticsFilterSet(request.GET or None))
    table = indicator.table(criteria)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = criteria.department.code if criteria.department else "region"
    name = f"{key}_{scope}_{criteria.date_from.isoformat()}_{criteria.date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # a byte-order mark, so a spreadsheet opens the Vietnamese text as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return response


@require_safe
def public(request):
    """The public statistics: the region's headline figures (small contract cells withheld)."""
    filterset = StatisticsFilterSet(request.GET or None)
    criteria = selectors.public_criteria(filters=filterset)
    query = _urlencode(criteria.query())
    items = [_indicator_view(i, i.table(criteria), query) for i in PUBLIC]
    return render(
        request,
        "statistics/public.html",
        {
            "form": _page_form(filterset),
            "criteria": criteria,
            "numbers": selectors.headline_numbers(),
            "indicators": items,
        },
    )


REPORT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPORTS_SHOWN = 50


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def reports(request):
    """Ask for a quarterly or yearly report; the list of reports in the user's scope, polled while any is made."""
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.statistics_report_request(
            user=request.user,
            department=data["department_obj"],
            period_kind=data["period_kind"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            file_format=data["format"],
        )
        messages.success(request, _("The report is being made: it will be listed below when it is ready."))
        return redirect("statistics:reports")
    listed = list(selectors.report_list_for_user(user=request.user)[:REPORTS_SHOWN])
    context = {"form": form, "reports": listed, "polling": any(r.in_progress for r in listed)}
    if request.method == "GET" and wants_partial(request):
        return render(request, "statistics/partials/report_list.html", context)
    return render(request, "statistics/reports.html", context, status=400 if form.errors else 200)


@require_safe
@staff_page
def report_download(request, pk: int):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    if not report.file:
        raise Http404
    scope = report.department.code if report.department is not None else "region"
    return file_response(
        report.file,
        name=f"bao-cao-thong-ke_{scope}_{report.period_label}",
        extension=report.format,
        content_type=REPORT_TYPES[report.format],
        fallback="bao-cao-thong-ke",
    )


@require_safe
def open_data(request):
    """The open data: what the files hold, their licence and date, the download links and the DCAT catalogue."""
    return render(
        request,
        "statistics/open_data.html",
        {
            "files": selectors.open_data_files(),
            "columns": COLUMNS,
            "licence_name": opendata.LICENCE_NAME,
            "licence_url": opendata.LICENCE_URL,
        },
    )


@require_safe
def open_data_download(request, file_format: str):
    release = selectors.open_data_files().get(file_format)
    if release is None:
        raise Http404(_("The open data has not been published yet."))
    response = FileResponse(
        release.file.open("rb"),
        content_type=f"{opendata.CONTENT_TYPES[release.format]}; charset=utf-8",
        as_attachment=True,
        filename=PurePath(release.file.name or "").name,
    )
    # Open data: anyone may fetch it, from any site's scripts too, and keep it for an hour.
    response["Access-Control-Allow-Origin"] = "*"
    response["Last-Modified"] = http_date(release.generated_at.timestamp())
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def open_data_catalogue(request):
    data = opendata.catalogue(
        selectors.open_data_files(),
        page_url=request.build_absolute_uri(reverse("open_data")),
        catalogue_url=request.build_absolute_uri(reverse("open_data_catalogue")),
    )
    response = JsonResponse(data, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=3600)
    return response
