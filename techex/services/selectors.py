"""Reads of services: the public catalogue, providers, and the requests each user may see.

Missing and forbidden answer the same 404, as every selector does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404

from techex.core.api import is_lookup_safe
from techex.core.models import REFERENCE_CODE_MAX_LENGTH
from techex.departments.scope import in_scope, require_can_act
from techex.departments.selectors import in_queue
from techex.listings.models import Listing
from techex.listings.selectors import confidential_visible_to, listing_get_for_user

from .choices import ProviderStatus, RequestState
from .models import (
    ProviderCredential,
    ServiceCategory,
    ServiceProvider,
    ServiceRequest,
    ValuationRecord,
    ValuationReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User
    from techex.departments.models import Department


def _with_ratings(queryset: QuerySet[ServiceProvider]) -> QuerySet[ServiceProvider]:
    closed = Q(requests__state=RequestState.CLOSED)
    return queryset.annotate(
        completed_count=Count("requests", filter=closed, distinct=True),
        rating_average=Avg("requests__rating", filter=closed),
    )


def category_list_public() -> QuerySet[ServiceCategory, ServiceCategory]:
    """The shown categories, each with its number of verified providers."""
    return ServiceCategory.objects.filter(is_active=True).annotate(
        provider_count=Count("providers", filter=Q(providers__status=ProviderStatus.VERIFIED), distinct=True)
    )


def _safe(value: object, max_length: int) -> str:
    """A code from a URL or query string that can go into a query, else 404 (PostgreSQL refuses a NUL)."""
    if not isinstance(value, str) or not is_lookup_safe(value, max_length):
        raise Http404
    return value


def category_get_public(*, code: str) -> ServiceCategory:
    code = _safe(code, 40)
    category = ServiceCategory.objects.active().filter(code=code).prefetch_related("faqs").first()
    if category is None:
        raise Http404
    return category


def provider_list_public(*, category: ServiceCategory | None = None) -> QuerySet[ServiceProvider]:
    """Verified providers (of a category), with their completed requests and average rating."""
    queryset = ServiceProvider.objects.verified()
    if category is not None:
        queryset = queryset.filter(categories=category)
    return _with_ratings(
        queryset.select_related("organization__province").prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.active())
        )
    ).order_by("organization__name")


def provider_get_public(*, slug: str, user: User | AnonymousUser | None = None) -> ServiceProvider:
    """A verified provider's page; its own members and in-scope staff also see it before verification."""
    slug = _safe(slug, 80)
    provider = (
        _with_ratings(ServiceProvider.objects.filter(organization__slug=slug))
        .select_related("organization__province")
        .prefetch_related(Prefetch("categories", queryset=ServiceCategory.objects.active()))
        .first()
    )
    if provider is None:
        raise Http404
    if not provider.is_verified and not provider_can_manage(user=user, provider=provider):
        raise Http404
    return provider


def provider_can_manage(*, user: Any, provider: ServiceProvider) -> bool:
    """Whether the user sees the provider's application (its members) or decides it (staff of its scope)."""
    from techex.departments.scope import can_act
    from techex.organizations.selectors import user_organization_ids

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return provider.organization_id in user_organization_ids(user=user) or (user.is_staff and can_act(user, provider))


def provider_credentials(*, user: Any, provider: ServiceProvider) -> list[ProviderCredential]:
    if not provider_can_manage(user=user, provider=provider):
        return []
    return list(provider.credentials.all())


def credential_get_for_user(*, user: Any, token: str) -> ProviderCredential:
    token = _safe(token, 32)
    credential = ProviderCredential.objects.select_related("provider").filter(token=token).first()
    if credential is None or not provider_can_manage(user=user, provider=credential.provider):
        raise Http404
    return credential


def provider_testimonials(*, provider: ServiceProvider | None = None, category: ServiceCategory | None = None) -> list:
    """Comments of closed requests whose clients agreed to show them (the client named by organisation)."""
    queryset = ServiceRequest.objects.filter(state=RequestState.CLOSED, testimonial_consent=True).exclude(
        rating_comment=""
    )
    if provider is not None:
        queryset = queryset.filter(provider=provider)
    if category is not None:
        queryset = queryset.filter(category=category)
    return list(
        queryset.select_related("client_organization", "provider__organization", "category").order_by("-closed_at")[:6]
    )


def provider_for_user(*, user: User | AnonymousUser) -> ServiceProvider | None:
    """The provider record of one of the user's organisations (the first by name), if any."""
    if not user.is_authenticated:
        return None
    return (
        ServiceProvider.objects.filter(organization__memberships__user=user)
        .select_related("organization")
        .order_by("organization__name")
        .first()
    )


def provider_verification_queue(*, user: Any, department: Department | None = None) -> QuerySet[ServiceProvider]:
    """Applications waiting for staff: the user's scope, one department's queue (None: all the scope holds)."""
    queryset = in_scope(ServiceProvider.objects.filter(status=ProviderStatus.APPLIED), user)
    if department is not None:
        queryset = in_queue(queryset=queryset, department=department)
    return (
        queryset.select_related("organization__province", "department")
        .prefetch_related("categories", "credentials")
        .order_by("created_at")
    )


def provider_get_for_staff(*, user: Any, pk: int) -> ServiceProvider:
    provider = ServiceProvider.objects.select_related("organization__province", "department").filter(pk=pk).first()
    if provider is None:
        raise Http404
    require_can_act(user, provider)
    return provider


# --- requests ----------------------------------------------------------------------------------------------------

_REQUEST_RELATED = ("category", "client_organization", "provider__organization", "department")


def request_get_for_user(*, user: Any, reference_code: str) -> ServiceRequest:
    reference_code = _safe(reference_code, REFERENCE_CODE_MAX_LENGTH)
    request = (
        ServiceRequest.objects.visible_to(user)
        .filter(reference_code=reference_code)
        .select_related(*_REQUEST_RELATED, "listing", "deal", "client_user", *VALUATION_RELATED)
        .prefetch_related("quotes")
        .first()
    )
    if request is None:
        raise Http404
    return request


def request_list_for_user(*, user: Any, role: str = "") -> QuerySet[ServiceRequest]:
    """The user's requests: as client, as provider, or both (``role`` empty)."""
    queryset = ServiceRequest.objects.all()
    if role == "client":
        queryset = queryset.as_client(user)
    elif role == "provider":
        queryset = queryset.as_provider(user)
    else:
        queryset = queryset.taking_part(user)
    return queryset.select_related(*_REQUEST_RELATED).order_by("-updated_at", "-id")


def request_queue(*, user: Any, department: Department | None = None) -> QuerySet[ServiceRequest]:
    """Requests of the user's staff scope; one department's queue, or all the scope holds (None)."""
    # A guest's request waits for its address to be confirmed before anyone acts on it.
    confirmed = Q(client_organization__isnull=False) | Q(guest_email_verified_at__isnull=False)
    queryset = in_scope(ServiceRequest.objects.filter(confirmed), user)
    if department is not None:
        queryset = in_queue(queryset=queryset, department=department)
    return queryset.select_related(*_REQUEST_RELATED).order_by("-created_at", "-id")


def request_open_queue(
    *, user: Any, department: Department | None = None, state: str = RequestState.SUBMITTED
) -> QuerySet[ServiceRequest]:
    """The staff queue: by default the requests waiting to be routed to a provider; staff may follow another state."""
    return request_queue(user=user, department=department).filter(state=state)


def request_messages(*, request: ServiceRequest) -> list:
    return list(request.messages.select_related("author").order_by("created_at", "id"))


def message_file_get_for_user(*, user: Any, token: str) -> Any:
    from .models import RequestMessage

    token = _safe(token, 32)
    message = RequestMessage.objects.filter(file_token=token).select_related("request").first()
    if message is None or not ServiceRequest.objects.visible_to(user).filter(pk=message.request_id).exists():
        raise Http404
    return message


# --- valuation records (issue 13) ------------------------------------------------------------------------------------

# A request's valuation record and its report file, fetched with the request (reverse one-to-one).
VALUATION_RELATED = ("valuation", "valuation__report", "valuation__provider__organization")


def request_valuation(*, request: ServiceRequest) -> ValuationRecord | None:
    """The request's valuation record, for those who read the request (its client commissioned it, its provider
    wrote it, staff of its scope route it)."""
    try:
        return request.valuation
    except ValuationRecord.DoesNotExist:
        return None


def report_of(*, record: ValuationRecord) -> ValuationReport | None:
    try:
        return record.report
    except ValuationReport.DoesNotExist:
        return None


def listing_valuations(*, user: Any, listing: Listing) -> list[ValuationRecord]:
    """The valuation records of a listing the user has opened, if the user may see its confidential part (the
    listings' one rule: its owners, in-scope staff, an inquirer under NDA); none for anyone else."""
    if not confidential_visible_to(user=user, listing=listing):
        return []
    return list(
        ValuationRecord.objects.filter(listing=listing).select_related("provider__organization", "report", "request")
    )


def listing_valuations_by_code(*, user: Any, reference_code: str) -> tuple[Listing, list[ValuationRecord]]:
    """The listing the user may open (else 404) and the valuation records the user may see on it."""
    listing = listing_get_for_user(user=user, reference_code=_safe(reference_code, REFERENCE_CODE_MAX_LENGTH))
    return listing, listing_valuations(user=user, listing=listing)


def valuation_report_get_for_user(*, user: Any, token: str) -> ValuationReport:
    """A valuation's report file, for the request's parties and those who see the listing's confidential part."""
    from .permissions import parties_of

    token = _safe(token, 32)
    report = (
        ValuationReport.objects.select_related("record__listing", "record__request__provider")
        .filter(token=token)
        .first()
    )
    if report is None:
        raise Http404
    record = report.record
    if parties_of(user, record.request):
        return report
    if confidential_visible_to(user=user, listing=record.listing):
        return report
    raise Http404
