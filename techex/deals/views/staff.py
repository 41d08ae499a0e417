"""Staff pages: every deal with filters and the funnel, and the standard NDA text.

Both answer 404 to anyone but staff, so the pages do not reveal that they exist.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from techex.core.forms import add_service_errors
from techex.core.permissions import staff_page
from techex.departments.forms import queue_context
from techex.departments.scope import staff_scope

from .. import selectors, services
from ..forms import NDATemplateForm, StaffFilterForm
from ..types import FunnelStage
from .common import SERVICE_ERRORS

PAGE_SIZE = 50


@dataclass(frozen=True)
class FunnelRow:
    stage: FunnelStage
    share: float  # of the first stage, for the bar
    conversion: float | None  # of the stage before, in per cent


def funnel_rows(funnel: list[FunnelStage]) -> list[FunnelRow]:
    """Each stage with its share of all inquiries and its conversion from the stage before."""
    first = funnel[0].count if funnel else 0
    rows: list[FunnelRow] = []
    previous: FunnelStage | None = None
    for stage in funnel:
        share = 100 * stage.count / first if first else 0.0
        conversion = None if previous is None or not previous.count else 100 * stage.count / previous.count
        rows.append(FunnelRow(stage, share, conversion))
        previous = stage
    return rows


@staff_page
@require_safe
def deal_list(request):
    form = StaffFilterForm(request.GET)
    # Which department's deals (?department=, as the staff queues read it): the list and the funnel follow.
    context = queue_context(request, partial(selectors.deal_list_for_staff, filters=form.filters()))
    deals = context["queue"]
    context |= {
        "form": form,
        "page": Paginator(deals, PAGE_SIZE).get_page(request.GET.get("page")),
        "funnel": funnel_rows(selectors.deal_funnel(deals=deals)),
        "filtered": any(request.GET.get(name) for name in form.fields),
    }
    return render(request, "deals/staff_list.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def nda_template(request):
    """The standard NDA text; saving it publishes a new version (NDAs already made keep theirs)."""
    if not staff_scope(request.user).is_lead:  # one text for the region, kept by the lead (docs/departments.md)
        raise Http404
    current = selectors.nda_template_current()
    initial = {"title": current.title, "body": current.body} if current else {}
    form = NDATemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.nda_template_update(
                user=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except SERVICE_ERRORS as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Version %(version)d of the standard NDA is published.") % {"version": template.version}
            )
            return redirect("deals:nda_template")
    return render(request, "deals/nda_template.html", {"form": form, "current": current})
