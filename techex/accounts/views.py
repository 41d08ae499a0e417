"""Account pages of our own; sign-in, sign-up and passwords are allauth's views with our templates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .requests import AuthenticatedHttpRequest
from .selectors import dashboard_data


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html", dashboard_data(user=request.user))
