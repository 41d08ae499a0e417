"""Pages that assemble several domains. Sign-in, sign-up and passwords are allauth's views with our templates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from techex.accounts.requests import AuthenticatedHttpRequest
from techex.departments.forms import queue_context
from techex.listings.selectors import listing_list_review_queue

from .selectors import dashboard_data, home_page_data


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", home_page_data())


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        return render(request, "site/dashboard.html", dashboard_data(user=request.user))
    # Staff counters read one queue, chosen as on the staff queues (?department=); each counter opens that queue.
    context = queue_context(request, listing_list_review_queue, counts=False)
    return render(
        request,
        "site/dashboard.html",
        context | dashboard_data(user=request.user, department=context["queue_department"]),
    )


# What crawlers are kept out of: the signed-in and staff parts, the API and the admin. The public pages, their
# files and feeds stay open; the sitemap names them.
ROBOTS_DISALLOW = (
    "/admin/",
    "/accounts/",
    "/me/",
    "/api/",
    "/deals/",
    "/notifications/",
    "/statistics/",
    "/listings/mine/",
    "/listings/new/",
    "/listings/staff/",
    "/services/mine/",
    "/services/staff/",
    "/services/requests/",
    "/events/mine/",
    "/events/staff/",
    "/i18n/",
)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
