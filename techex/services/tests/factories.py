"""Services built through the services, so tests see what a user would."""

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.organizations.models import Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.services import services
from techex.services.choices import ProviderStatus, RequestState
from techex.services.models import ServiceCategory, ServiceProvider, ServiceRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "giay-phep.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_category(code: str = "dinh-gia", **fields: Any) -> ServiceCategory:
    defaults = {
        "name": "Thẩm định và định giá công nghệ",
        "name_en": "Technology assessment and valuation",
        "summary": "Xác định giá trị của công nghệ trước khi chuyển giao.",
        "audience": "Doanh nghiệp, viện, trường.",
        "steps": "Tiếp nhận hồ sơ\nKhảo sát công nghệ\nLập báo cáo định giá",
        "typical_duration": "20–30 ngày làm việc",
    }
    defaults.update(fields)
    category, _created = ServiceCategory.objects.get_or_create(code=code, defaults=defaults)
    return category


def member_of(organization: Organization, **fields: Any):
    user = UserFactory(**fields)
    MembershipFactory(user=user, organization=organization)
    return user


def make_provider(
    *, category: ServiceCategory, province: str = "92", verified: bool = True, staff=None, name: str = ""
) -> tuple[ServiceProvider, Any]:
    organization: Organization = OrganizationFactory.create(province_id=province, **({"name": name} if name else {}))
    admin = member_of(organization)
    provider = services.provider_apply(
        user=admin,
        organization=organization,
        categories=[category],
        description="Đơn vị định giá công nghệ có 10 năm kinh nghiệm.",
        files=[pdf_file()],
    )
    if verified:
        provider = services.provider_verify(user=staff or StaffFactory.create(), provider=provider)
    assert provider.status == (ProviderStatus.VERIFIED if verified else ProviderStatus.APPLIED)
    return provider, admin


@dataclass
class RequestParties:
    category: ServiceCategory
    client: Any
    client_org: Organization
    provider: ServiceProvider
    provider_user: Any
    staff: Any


def request_parties(*, province: str = "92", provider_province: str = "92", staff=None) -> RequestParties:
    category = make_category()
    staff = staff or StaffFactory()
    provider, provider_user = make_provider(category=category, province=provider_province, staff=staff)
    client_org: Organization = OrganizationFactory.create(province_id=province, name="Công ty TNHH Cơ khí Tây Đô")
    client = member_of(client_org)
    return RequestParties(category, client, client_org, provider, provider_user, staff)


# The path from submission to each state, as (party, service, extra arguments).
PATH: list[tuple[str, str, dict]] = [
    ("staff", "request_assign", {"provider": None}),
    ("provider", "request_quote", {"amount_vnd": 15_000_000, "duration_days": 20, "note": "Báo cáo định giá"}),
    ("client", "request_accept", {}),
    ("provider", "request_start", {}),
    ("provider", "request_deliver", {}),
    ("client", "request_close", {"rating": 5, "comment": "Rất chuyên nghiệp.", "testimonial_consent": True}),
]
STATE_AFTER = [
    RequestState.ASSIGNED,
    RequestState.QUOTED,
    RequestState.ACCEPTED,
    RequestState.IN_PROGRESS,
    RequestState.DELIVERED,
    RequestState.CLOSED,
]


def actor(parties: RequestParties, party: str):
    return {"staff": parties.staff, "provider": parties.provider_user, "client": parties.client}[party]


def make_request(parties: RequestParties, *, state: str = RequestState.SUBMITTED, **fields: Any) -> ServiceRequest:
    """A request of the client, walked through the services to ``state`` (declined/cancelled from ``assigned``)."""
    request = services.request_submit(
        user=parties.client,
        organization=parties.client_org,
        category=parties.category,
        description=fields.pop("description", "Cần định giá công nghệ sấy lúa để góp vốn."),
        **fields,
    )
    if state == RequestState.SUBMITTED:
        return request
    if state == RequestState.CANCELLED:
        services.request_cancel(user=parties.client, request=request, reason="Đã tìm được đơn vị khác.")
        return ServiceRequest.objects.get(pk=request.pk)
    for (party, name, kwargs), reached in zip(PATH, STATE_AFTER, strict=True):
        kwargs = dict(kwargs)
        if "provider" in kwargs:
            kwargs["provider"] = parties.provider
        getattr(services, name)(user=actor(parties, party), request=request, **kwargs)
        request.refresh_from_db()
        if reached == state:
            return request
        if state == RequestState.DECLINED and reached == RequestState.ASSIGNED:
            services.request_decline(user=parties.provider_user, request=request, reason="Không đủ nhân lực.")
            return ServiceRequest.objects.get(pk=request.pk)
    return request
