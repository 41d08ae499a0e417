"""Organisation pages: the public list and profile, creation, editing, members and staff verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from techex.accounts.requests import AuthenticatedHttpRequest
from techex.core.forms import add_service_errors
from techex.core.htmx import wants_partial
from techex.core.permissions import staff_page
from techex.core.requests import HtmxHttpRequest
from techex.core.structured_data import json_ld_script
from techex.departments.forms import ReassignForm, queue_context
from techex.departments.scope import can_act

from . import services
from .forms import MemberAddForm, MemberRoleForm, OrganizationFilterForm, OrganizationForm, VerificationDecisionForm
from .models import Organization
from .profile import profile_sections
from .selectors import (
    membership_get,
    membership_list,
    organization_admins,
    organization_get_for_admin,
    organization_get_for_staff,
    organization_get_for_user,
    organization_list_for_verification,
    organization_list_public,
    organization_private_visible,
    user_is_member,
    user_is_org_admin,
)
from .structured_data import organization_json_ld

LIST_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 30


def _post_data(request: HttpRequest):
    """Bind a form on every POST, even an empty one, so a blank submission shows what is missing."""
    return request.POST if request.method == "POST" else None


@require_safe
def organization_list(request: HtmxHttpRequest) -> HttpResponse:
    filter_form = OrganizationFilterForm(request.GET)
    organizations = organization_list_public(**filter_form.filters())
    page = Paginator(organizations, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter_form": filter_form, "page": page}
    if wants_partial(request):
        return render(request, "organizations/partials/organization_results.html", context)
    return render(request, "organizations/organization_list.html", context)


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_get_for_user(user=request.user, slug=slug)
    is_member = user_is_member(user=request.user, organization=organization)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "sections": profile_sections(request, organization),  # listings, from above (profile.py)
            "is_member": is_member,
            "show_private": organization_private_visible(user=request.user, organization=organization),
            # Staff manage the organisations of their department's scope (docs/departments.md).
            "can_manage": can_act(request.user, organization)
            or (is_member and user_is_org_admin(user=request.user, organization=organization)),
            "json_ld": _json_ld(request, organization),
        },
    )


def _json_ld(request: HttpRequest, organization: Organization) -> str:
    data = organization_json_ld(organization, url=request.build_absolute_uri(organization.get_absolute_url()))
    return json_ld_script(data) if data else ""


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The organisation was created. Staff will check it; until then it shows as awaiting verification."),
            )
            return redirect(organization)
    return render(request, "organizations/organization_form.html", {"form": form, "organization": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = organization_get_for_admin(user=request.user, slug=slug)
    initial = model_to_dict(organization, fields=services.EDITABLE_FIELDS)
    form = OrganizationForm(_post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            organization.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(organization)
    return render(request, "organizations/organization_form.html", {"form": form, "organization": organization})


def _members_post(request: AuthenticatedHttpRequest, organization, add_form: MemberAddForm) -> HttpResponse | None:
    """Carry out one action of the members page; return a redirect, or None to show the page again."""
    action = request.POST.get("action")
    try:
        if action == "add":
            if not add_form.is_valid():
                return None
            try:
                services.membership_add(
                    organization=organization,
                    user=request.user,
                    member=add_form.member,
                    role=add_form.cleaned_data["role"],
                )
            except ValidationError as exc:
                add_service_errors(add_form, exc)
                return None
            messages.success(request, _("%(person)s was added.") % {"person": add_form.member})
        elif action == "role":
            role_form = MemberRoleForm(request.POST)
            if not role_form.is_valid():
                raise Http404
            membership = membership_get(organization=organization, user_id=role_form.cleaned_data["member"])
            services.membership_add(
                organization=organization,
                user=request.user,
                member=membership.user,
                role=role_form.cleaned_data["role"],
            )
            messages.success(request, _("The role of %(person)s was changed.") % {"person": membership.user})
        elif action == "remove":
            membership = membership_get(organization=organization, user_id=request.POST.get("member"))
            services.membership_remove(organization=organization, user=request.user, member=membership.user)
            messages.success(request, _("%(person)s was removed.") % {"person": membership.user})
            if membership.user == request.user and not request.user.is_staff:
                return redirect(organization)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise Http404 from None
    return redirect("organizations:members", slug=organization.slug)


@login_required
@require_http_methods(["GET", "POST"])
def organization_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = organization_get_for_admin(user=request.user, slug=slug)
    adding = request.method == "POST" and request.POST.get("action") == "add"
    add_form = MemberAddForm(request.POST if adding else None)
    if request.method == "POST":
        response = _members_post(request, organization, add_form)
        if response is not None:
            return response
    return render(
        request,
        "organizations/organization_members.html",
        {"organization": organization, "memberships": membership_list(organization=organization), "form": add_form},
    )


@staff_page
@require_safe
def verification_queue(request: HttpRequest) -> HttpResponse:
    context = queue_context(request, organization_list_for_verification)
    context["page"] = Paginator(context["queue"], QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/verification_queue.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def verification_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = organization_get_for_staff(user=request.user, slug=slug)
    reassigning = request.method == "POST" and ReassignForm.submitted(request.POST)
    reassign_form = ReassignForm(request.POST if reassigning else None, current=organization.department)
    if reassigning and reassign_form.is_valid() and reassign_form.reassign(user=request.user, obj=organization):
        department = reassign_form.cleaned_data["department"]
        done = _("%(name)s went to the queue of %(department)s.")
        messages.success(request, done % {"name": organization.name, "department": department.name})
        return redirect("organizations:verification_queue")
    form = VerificationDecisionForm(None if reassigning else _post_data(request))
    if request.method == "POST" and not reassigning and form.is_valid():
        try:
            if form.cleaned_data["decision"] == VerificationDecisionForm.VERIFY:
                services.organization_verify(organization=organization, user=request.user)
                messages.success(request, _("%(name)s is now verified.") % {"name": organization.name})
            else:
                services.organization_refuse_verification(
                    organization=organization, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Verification of %(name)s was refused.") % {"name": organization.name})
        except ValidationError as exc:
            organization.refresh_from_db()
            add_service_errors(form, exc)
        else:
            return redirect("organizations:verification_queue")
    return render(
        request,
        "organizations/verification_decide.html",
        {
            "organization": organization,
            "admins": organization_admins(organization=organization),
            "form": form,
            "reassign_form": reassign_form,
        },
    )
