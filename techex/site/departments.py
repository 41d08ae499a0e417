"""A department's public page: its province's live listings, organisations and events, and its contacts.

It assembles listings, organisations and events, which stand above departments, so it is served from the site layer.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from techex.departments.selectors import department_get_public, region_provinces
from techex.events.filtersets import EventFilterSet
from techex.events.selectors import event_list_public
from techex.listings.selectors import listing_list_public
from techex.organizations.selectors import organization_list_public

PAGE_ITEMS = 12
PAGE_EVENTS = 6


@require_safe
def department_detail(request, code: str):
    department = department_get_public(code=code)
    province = department.province
    # Served provinces: its own, and for the lead every province of the region without an active partner.
    served = [p for p, d in region_provinces() if d is not None and d.pk == department.pk] or [province]
    if province not in served:
        served.insert(0, province)
    listings = listing_list_public().filter(province_id=province.pk)
    organizations = organization_list_public(province=province.pk)
    # The province's events, upcoming first (then the latest past ones), as on the events page filtered by it.
    events = event_list_public(filters=EventFilterSet({"province": province.pk}))
    return render(
        request,
        "departments/department_detail.html",
        {
            "department": department,
            "province": province,
            "served": served,
            "listings": listings[:PAGE_ITEMS],
            "listing_count": listings.count(),
            "organizations": organizations[:PAGE_ITEMS],
            "organization_count": organizations.count(),
            "events": events[:PAGE_EVENTS],
        },
    )
