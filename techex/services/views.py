"""Service pages: the catalogue, a category's landing page, providers, asking for a service, the request page,
my requests, and the staff queues of requests and provider applications (scoped by department)."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from techex.core.api import is_lookup_safe
from techex.core.forms import add_service_errors
from techex.core.permissions import staff_page
from techex.deals.files import file_response
from techex.deals.models import Deal
from techex.departments.forms import ReassignForm, queue_context
from techex.listings.models import Listing
from techex.organizations.models import Organization
from techex.organizations.selectors import user_organizations

from . import experts, selectors, services
from .choices import Party, RequestAction, RequestState
from .filtersets import ServiceRequestFilterSet
from .forms import (
    AssignForm,
    CloseForm,
    DecisionForm,
    GuestRequestForm,
    MessageForm,
    ProviderApplyForm,
    QuoteForm,
    ReasonForm,
    RequestForm,
)
from .models import ServiceRequest
from .permissions import parties_of
from .samples import SAMPLES
from .states import allowed_actions

PAGE_SIZE = 20


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "services/catalogue.html", {"categories": list(selectors.category_list_public())})


@require_safe
def category_page(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get_public(code=code)
    return render(
        request,
        "services/category.html",
        {
            "category": category,
            "providers": list(selectors.provider_list_public(category=category)),
            "testimonials": selectors.provider_testimonials(category=category),
            "experts": experts.experts_of_category(category=category),
        },
    )


@require_safe
def provider_page(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_get_public(slug=slug, user=request.user)
    return render(
        request,
        "services/provider.html",
        {
            "provider": provider,
            "testimonials": selectors.provider_testimonials(provider=provider),
            "credentials": selectors.provider_credentials(user=request.user, provider=provider),
        },
    )


@require_safe
def sample_document(request: HttpRequest, key: str) -> HttpResponse:
    """A sample's static file by its key (so a renamed file keeps its link)."""
    from django.http import Http404
    from django.templatetags.static import static

    sample = SAMPLES.get(key)
    if sample is None:
        raise Http404
    return redirect(static(sample.path))


# --- asking for a service ------------------------------------------------------------------------------------------


def _linked(request: HttpRequest) -> dict[str, Any]:
    """The listing or deal the request is about (``?listing=`` / ``?deal=`` reference codes), if the user sees it."""
    linked: dict[str, Any] = {"listing": None, "deal": None}
    source = request.POST if request.method == "POST" else request.GET
    if (code := source.get("listing", "")) and is_lookup_safe(code, 40):
        linked["listing"] = Listing.objects.visible_to(request.user).filter(reference_code=code).first()
    if (code := source.get("deal", "")) and is_lookup_safe(code, 40):
        linked["deal"] = Deal.objects.taking_part(request.user).filter(reference_code=code).first()
    return linked


def _expert(request: HttpRequest) -> Any:
    """The listed expert a request is addressed to ("contact this expert": ``?expert=`` slug), or None."""
    source = request.POST if request.method == "POST" else request.GET
    if (slug := source.get("expert", "")) and is_lookup_safe(slug, 80):
        return experts.expert_list_public().filter(slug=slug).first()
    return None


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, code: str) -> HttpResponse:
    category = selectors.category_get_public(code=code)
    if not request.user.is_authenticated:
        return _guest_request_new(request, category)
    organizations = list(user_organizations(user=request.user))
    providers = selectors.provider_list_public(category=category).exclude(
        organization__in=[o.pk for o in organizations]
    )
    initial = {}
    if (slug := request.GET.get("provider", "")) and is_lookup_safe(slug, 80):
        initial["provider"] = providers.filter(organization__slug=slug).first()
    linked = {**_linked(request), "expert": _expert(request)}
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        organizations=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
        providers=providers,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = services.request_submit(
                user=request.user,
                organization=form.cleaned_data["organization"],
                category=category,
                description=form.cleaned_data["description"],
                provider=form.cleaned_data["provider"],
                **linked,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request %(code)s was sent.") % {"code": service_request.reference_code})
            return redirect(service_request)
    return render(
        request,
        "services/request_new.html",
        {"category": category, "form": form, "organizations": organizations, **linked},
        status=400 if form.errors else 200,
    )


def _guest_request_new(request: HttpRequest, category: Any) -> HttpResponse:
    form = GuestRequestForm(request.POST if request.method == "POST" else None)
    expert = _expert(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_submit_guest(category=category, expert=expert, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request, "services/guest_sent.html", {"category": category, "email": form.cleaned_data["email"]}
            )
    return render(
        request,
        "services/request_sign_in.html",
        {"category": category, "form": form, "expert": expert},
        status=400 if form.errors else 200,
    )


# --- the request page ----------------------------------------------------------------------------------------------

ACTION_FORMS: dict[str, type | None] = {
    RequestAction.ASSIGN: AssignForm,
    RequestAction.QUOTE: QuoteForm,
    RequestAction.ACCEPT: None,
    RequestAction.REJECT_QUOTE: ReasonForm,
    RequestAction.START: None,
    RequestAction.DELIVER: None,
    RequestAction.CLOSE: CloseForm,
    RequestAction.CANCEL: ReasonForm,
    RequestAction.DECLINE: ReasonForm,
    RequestAction.MESSAGE: MessageForm,
}

ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    RequestAction.ASSIGN: services.request_assign,
    RequestAction.QUOTE: services.request_quote,
    RequestAction.ACCEPT: services.request_accept,
    RequestAction.REJECT_QUOTE: services.request_decline_quote,
    RequestAction.START: services.request_start,
    RequestAction.DELIVER: services.request_deliver,
    RequestAction.CLOSE: services.request_close,
    RequestAction.CANCEL: services.request_cancel,
    RequestAction.DECLINE: services.request_decline,
    RequestAction.MESSAGE: services.request_message,
}

DONE: dict[str, Any] = {
    RequestAction.ASSIGN: gettext_lazy("The request was assigned."),
    RequestAction.QUOTE: gettext_lazy("Your quote was sent."),
    RequestAction.ACCEPT: gettext_lazy("You accepted the quote."),
    RequestAction.REJECT_QUOTE: gettext_lazy("You declined the quote."),
    RequestAction.START: gettext_lazy("The work has started."),
    RequestAction.DELIVER: gettext_lazy("The request is marked as delivered."),
    RequestAction.CLOSE: gettext_lazy("Thank you: the request is closed and rated."),
    RequestAction.CANCEL: gettext_lazy("The request was cancelled."),
    RequestAction.DECLINE: gettext_lazy("You declined the request."),
    RequestAction.MESSAGE: gettext_lazy("Your message was sent."),
}


def _action_form(action: str, service_request: ServiceRequest, data: Any = None, files: Any = None) -> Any:
    form_class = ACTION_FORMS[action]
    if form_class is None:
        return None
    if form_class is AssignForm:
        providers = selectors.provider_list_public(category=service_request.category)
        if service_request.client_organization_id:
            providers = providers.exclude(organization=service_request.client_organization_id)
        return AssignForm(data, providers=providers)
    if form_class is MessageForm:
        return MessageForm(data, files)
    return form_class(data, prefix=action)


def _timeline(service_request: ServiceRequest) -> list[tuple[Any, Any]]:
    steps = [
        (RequestState.SUBMITTED.label, service_request.created_at),
        (RequestState.ASSIGNED.label, service_request.assigned_at),
        (RequestState.QUOTED.label, service_request.quoted_at),
        (RequestState.ACCEPTED.label, service_request.accepted_at),
        (RequestState.IN_PROGRESS.label, service_request.started_at),
        (RequestState.DELIVERED.label, service_request.delivered_at),
    ]
    if service_request.closed_at:
        steps.append((RequestState(service_request.state).label, service_request.closed_at))
    return steps


def _request_page(
    request: HttpRequest,
    service_request: ServiceRequest,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
    user: Any = None,
    token: str = "",
    **extra: Any,
) -> HttpResponse:
    parties = parties_of(user or request.user, service_request)
    forms: dict[str, Any] = {}
    for action in allowed_actions(service_request.state, parties):
        forms[action] = bound[1] if bound and bound[0] == action else _action_form(action, service_request)
    staff = Party.STAFF in parties
    context = {
        "service_request": service_request,
        "parties": parties,
        "is_client": Party.CLIENT in parties,
        "is_provider": Party.PROVIDER in parties,
        "is_staff_party": staff,
        "actions": forms,
        "quote": service_request.current_quote,
        "quotes": list(service_request.quotes.all()),
        "timeline": _timeline(service_request),
        "thread": selectors.request_messages(request=service_request),
        "reassign_form": ReassignForm(current=service_request.department) if staff else None,
        "reassign_url": reverse("services:request_reassign", kwargs={"reference_code": service_request.reference_code}),
        "guest_token": token,
        **extra,  # valuation_views: a refused valuation form, bound
    }
    return render(request, "services/request.html", context, status=status)


@login_required
@require_safe
def request_page(request: HttpRequest, reference_code: str) -> HttpResponse:
    service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
    return _request_page(request, service_request)


@login_required
@require_POST
def request_act(request: HttpRequest, reference_code: str, action: str) -> HttpResponse:
    service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
    return _act(request, service_request, action, user=request.user)


def _act(
    request: HttpRequest, service_request: ServiceRequest, action: str, *, user: Any, token: str = ""
) -> HttpResponse:
    if action not in ACTION_SERVICES:
        from django.http import Http404

        raise Http404
    page = functools.partial(_request_page, request, user=user, token=token)
    form = _action_form(action, service_request, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        return page(service_request, bound=(action, form), status=400)
    data = dict(form.cleaned_data) if form is not None else {}
    if action == RequestAction.QUOTE:
        data = {"amount_vnd": data["amount_vnd"], "duration_days": data["duration_days"], "note": data["note"]}
    try:
        ACTION_SERVICES[action](user=user, request=service_request, **data)
    except (ValidationError, PermissionDenied) as exc:
        service_request = ServiceRequest.objects.select_related(
            "category", "client_organization", "provider__organization", "department", "listing", "deal"
        ).get(pk=service_request.pk)
        if form is None:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return page(service_request, status=400)
        add_service_errors(form, exc)
        return page(service_request, bound=(action, form), status=400)
    messages.success(request, DONE[action])
    if token:
        return redirect("services:guest_request", token=token)
    return redirect(service_request)


@require_safe
def guest_request(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's link: the first visit confirms the address; every visit shows the request, as to its client."""
    service_request = services.request_verify_guest(token=token[:500])
    guest = services.GuestClient(service_request.pk)
    return _request_page(request, service_request, user=guest, token=token)


@require_POST
def guest_act(request: HttpRequest, token: str, action: str) -> HttpResponse:
    service_request = services.guest_request_from_token(token=token[:500])
    guest = services.GuestClient(service_request.pk)
    return _act(request, service_request, action, user=guest, token=token)


@login_required
@require_POST
def request_reassign(request: HttpRequest, reference_code: str) -> HttpResponse:
    """Staff hand a request over to another department's queue (departments.services.department_reassign)."""
    service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
    form = ReassignForm(request.POST, current=service_request.department)
    if form.is_valid() and form.reassign(user=request.user, obj=service_request):
        department = form.cleaned_data["department"]
        messages.success(
            request,
            _("%(name)s went to the queue of %(department)s.")
            % {"name": service_request.reference_code, "department": department.name},
        )
        return redirect("services:staff_requests")
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(service_request)


@login_required
@require_safe
def message_file(request: HttpRequest, token: str) -> FileResponse:
    message = selectors.message_file_get_for_user(user=request.user, token=token)
    return file_response(
        message.file,
        name=message.file_name,
        extension=message.file_extension,
        content_type=message.file_type,
        fallback=message.request.reference_code,
    )


@login_required
@require_safe
def credential_file(request: HttpRequest, token: str) -> FileResponse:
    credential = selectors.credential_get_for_user(user=request.user, token=token)
    return file_response(
        credential.file,
        name=credential.original_name,
        extension=credential.extension,
        content_type=credential.content_type,
        fallback="credential",
    )


@login_required
@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    # The page drops a value it cannot use; the API answers it 400 (one FilterSet for both).
    filters = ServiceRequestFilterSet(request.GET)
    values = filters.values()
    role = values.get("role", "")
    queryset = filters.apply(selectors.request_list_for_user(user=request.user, role=role), without=("role",))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/mine.html",
        {
            "page": page,
            "role": role,
            "state": values.get("state", ""),
            "states": RequestState.choices,
            "provider": selectors.provider_for_user(user=request.user),
        },
    )


# --- providers -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def provider_apply(request: HttpRequest) -> HttpResponse:
    from techex.organizations.choices import MembershipRole

    organizations = user_organizations(user=request.user).filter(
        memberships__user=request.user.pk, memberships__role=MembershipRole.ADMIN
    )
    form = ProviderApplyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_apply(
                user=request.user,  # type: ignore[arg-type]
                organization=form.cleaned_data["organization"],
                categories=form.cleaned_data["categories"],
                description=form.cleaned_data["description"],
                files=form.cleaned_data["files"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application was sent; the exchange's staff will verify it."))
            return redirect(provider)
    return render(
        request,
        "services/provider_apply.html",
        {"form": form, "has_organizations": organizations.exists()},
        status=400 if form.errors else 200,
    )


# --- staff ---------------------------------------------------------------------------------------------------------


@staff_page
@require_safe
def staff_requests(request: HttpRequest) -> HttpResponse:
    """Requests waiting to be routed to a provider, by department (my queue, or for the lead any or all)."""
    # The state comes from the FilterSet of the request lists; a value it refuses falls back to "submitted".
    state = ServiceRequestFilterSet(request.GET).values().get("state", RequestState.SUBMITTED)
    context = queue_context(request, functools.partial(selectors.request_open_queue, state=state))
    context["page"] = Paginator(context["queue"], PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(state=state, states=RequestState.choices)
    return render(request, "services/staff_requests.html", context)


@staff_page
@require_safe
def staff_providers(request: HttpRequest) -> HttpResponse:
    context = queue_context(request, selectors.provider_verification_queue)
    context["page"] = Paginator(context["queue"], PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "services/staff_providers.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def staff_provider_decide(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_get_for_staff(user=request.user, pk=pk)
    reassigning = request.method == "POST" and ReassignForm.submitted(request.POST)
    reassign_form = ReassignForm(request.POST if reassigning else None, current=provider.department)
    if reassigning and reassign_form.is_valid() and reassign_form.reassign(user=request.user, obj=provider):
        department = reassign_form.cleaned_data["department"]
        done = _("%(name)s went to the queue of %(department)s.")
        messages.success(request, done % {"name": provider.organization.name, "department": department.name})
        return redirect("services:staff_providers")
    form = DecisionForm(request.POST if request.method == "POST" and not reassigning else None)
    if request.method == "POST" and not reassigning and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.VERIFY:
                services.provider_verify(user=request.user, provider=provider, note=form.cleaned_data["note"])  # type: ignore[arg-type]
                messages.success(
                    request, _("%(name)s is now a verified provider.") % {"name": provider.organization.name}
                )
            else:
                services.provider_refuse(user=request.user, provider=provider, note=form.cleaned_data["note"])  # type: ignore[arg-type]
                messages.success(
                    request, _("The application of %(name)s was refused.") % {"name": provider.organization.name}
                )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc, rename={"note": "note"})
        else:
            return redirect("services:staff_providers")
    return render(
        request,
        "services/staff_provider_decide.html",
        {
            "provider": provider,
            "credentials": list(provider.credentials.all()),
            "categories": list(provider.categories.all()),
            "form": form,
            "reassign_form": reassign_form,
        },
        status=400 if form.errors or reassign_form.errors else 200,
    )
