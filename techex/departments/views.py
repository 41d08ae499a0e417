"""Public pages of the departments that need no other domain: the list of departments and the region."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import department_list_public, region_provinces


@require_safe
def department_list(request):
    return render(
        request,
        "departments/department_list.html",
        {"departments": department_list_public(), "region": region_provinces()},
    )
