from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import ward_list_for_province


@require_safe
def ward_options(request):
    """Return the <option>s of a province's communes, for the dependent select (htmx)."""
    # Codes are digits: anything else (a NUL byte would make PostgreSQL refuse the query) matches nothing.
    province = request.GET.get("province", "")[:4]
    province = province if province.isdigit() else ""
    selected = request.GET.get("ward", "")[:8]
    wards = ward_list_for_province(province_code=province)
    return render(request, "reference/partials/ward_options.html", {"wards": wards, "selected": selected})
