"""Demo data of services for ``seed_demo``: the catalogue, providers across the Delta, requests at every stage.

Built through the services, so the audit trail and notifications are real. Organisations are the demo ones, found
by tax code; nothing is done twice (``make run`` seeds on every start).
"""

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from techex.organizations.choices import MembershipRole
from techex.organizations.models import Membership, Organization

from . import services
from .catalogue import CATEGORIES, store_category
from .choices import ProviderStatus, RequestState
from .demo_experts import seed_experts
from .demo_valuation import seed_valuation
from .models import ServiceCategory, ServiceProvider, ServiceRequest

# A one-page PDF standing for a provider's licence in the demo.
_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed_catalogue() -> int:
    """Create the categories (with their FAQ) that are missing; an edited category is left as staff left it."""
    return sum(store_category(item["code"])[1] for item in CATEGORIES)


@dataclass(frozen=True)
class DemoProvider:
    tax_code: str
    categories: tuple[str, ...]
    description: str
    verified: bool = True


PROVIDERS = (
    DemoProvider(
        "1899001071",  # Cầu Nối Mê Kông, Cần Thơ
        ("tu-van-cong-nghe", "tham-dinh-dinh-gia", "tu-van-phap-ly", "so-huu-tri-tue", "ket-noi-dau-tu"),
        "Tổ chức trung gian chuyển giao công nghệ với 12 chuyên gia: môi giới, định giá, soạn hợp đồng, đại diện sở "
        "hữu công nghiệp và kết nối quỹ đầu tư cho doanh nghiệp vùng Đồng bằng sông Cửu Long.",
    ),
    DemoProvider(
        "1899001018",  # Trường Đại học Kỹ thuật Phù Sa, Cần Thơ
        ("tu-van-cong-nghe", "tham-dinh-dinh-gia", "dao-tao", "so-huu-tri-tue"),
        "Trung tâm chuyển giao công nghệ của trường: đánh giá, định giá công nghệ cơ khí, chế biến, năng lượng; "
        "đào tạo kỹ thuật viên vận hành; hỗ trợ đăng ký sáng chế cho giảng viên và doanh nghiệp.",
    ),
    DemoProvider(
        "1699001010",  # Viện Lúa gạo Tứ Giác Long Xuyên, An Giang
        ("dao-tao", "tu-van-cong-nghe"),
        "Đào tạo canh tác lúa giảm phát thải, quản lý dịch hại tổng hợp, sản xuất giống xác nhận; tư vấn quy "
        "trình cho hợp tác xã vùng Tứ Giác Long Xuyên.",
    ),
    DemoProvider(
        "2099001010",  # Viện Thủy sản Nước lợ Mũi Cà Mau
        ("dao-tao", "tu-van-cong-nghe", "tham-dinh-dinh-gia"),
        "Tư vấn và đào tạo nuôi tôm – lúa, tôm rừng, xử lý nước ao nuôi; đánh giá công nghệ nuôi trồng thủy sản "
        "nước lợ.",
    ),
    DemoProvider(
        "1899001064",  # Nguồn Gốc Xanh, Cần Thơ
        ("dao-tao", "tu-van-cong-nghe"),
        "Tư vấn và đào tạo chuyển đổi số cho hợp tác xã: truy xuất nguồn gốc, nhật ký canh tác điện tử, bán hàng "
        "trên sàn thương mại điện tử.",
    ),
    DemoProvider(
        "2099001035",  # Trung tâm Quan trắc Môi trường Cà Mau
        ("tham-dinh-dinh-gia",),
        "Đánh giá công nghệ xử lý nước và môi trường; đo kiểm, thử nghiệm hiệu quả thiết bị tại hiện trường.",
    ),
    DemoProvider(
        "1599001017",  # Nước sạch Cửu Long Xanh, Vĩnh Long
        ("tu-van-cong-nghe",),
        "Tư vấn lựa chọn công nghệ cấp nước sạch, lọc mặn quy mô hộ và cụm dân cư cho vùng ven biển.",
    ),
    DemoProvider(
        "1199001012",  # Năng lượng Xanh Tây Nam, Tây Ninh
        ("tu-van-cong-nghe", "ket-noi-dau-tu"),
        "Tư vấn điện mặt trời mái nhà, lò hơi sinh khối từ trấu; lập hồ sơ vay vốn tín dụng xanh.",
    ),
    DemoProvider(
        "1499001013",  # HTX Trái cây Vườn Sông Tiền, Đồng Tháp: an application awaiting staff
        ("dao-tao",),
        "Hợp tác xã có vườn mẫu 20 ha, nhận đào tạo thực hành ghép cải tạo vườn sầu riêng, xoài theo VietGAP.",
        verified=False,
    ),
)


@dataclass(frozen=True)
class DemoRequest:
    client: str  # tax code
    category: str
    state: str
    description: str
    provider: str = ""  # tax code; empty: staff route it (or nobody yet)
    chosen: bool = False  # the client chose the provider when asking
    quote: tuple[int, int, str] = (0, 0, "")
    rating: int = 0
    comment: str = ""
    reason: str = ""
    message: str = ""


REQUESTS = (
    DemoRequest(
        "1499001038",
        "tham-dinh-dinh-gia",
        RequestState.SUBMITTED,
        "Công ty cần định giá quy trình nuôi cá tra giống sạch bệnh do công ty phát triển để góp vốn vào liên doanh "
        "với một doanh nghiệp chế biến ở Đồng Tháp.",
    ),
    DemoRequest(
        "1399001027",
        "tu-van-phap-ly",
        RequestState.SUBMITTED,
        "Chúng tôi sắp nhận li-xăng công nghệ sấy thạch dừa từ một công ty Thái Lan, cần luật sư rà soát dự thảo "
        "hợp đồng và hướng dẫn đăng ký chuyển giao.",
    ),
    DemoRequest(
        "1699001028",
        "dao-tao",
        RequestState.ASSIGNED,
        "Hợp tác xã cần lớp 3 ngày cho 30 thành viên về canh tác lúa trên đất nuôi tôm, giảm phân bón hóa học.",
        provider="1699001010",
        chosen=True,
    ),
    DemoRequest(
        "1899001032",
        "tham-dinh-dinh-gia",
        RequestState.QUOTED,
        "Cần đánh giá và định giá dây chuyền sấy nông sản bằng bơm nhiệt công ty tự thiết kế, để vay vốn ngân hàng.",
        provider="1899001018",
        chosen=True,
        quote=(45_000_000, 30, "Báo cáo định giá theo phương pháp chi phí và thu nhập, kèm đánh giá trình độ."),
    ),
    DemoRequest(
        "2099001028",
        "so-huu-tri-tue",
        RequestState.ACCEPTED,
        "Đăng ký nhãn hiệu tập thể cho tôm khô Cà Mau của các cơ sở thành viên và tra cứu khả năng bảo hộ.",
        provider="1899001071",
        quote=(18_000_000, 20, "Tra cứu, soạn và nộp đơn nhãn hiệu tập thể; chưa gồm lệ phí nhà nước."),
        message="Chúng tôi gửi kèm quy chế sử dụng nhãn hiệu dự thảo để anh chị góp ý.",
    ),
    DemoRequest(
        "1899001057",
        "tu-van-cong-nghe",
        RequestState.IN_PROGRESS,
        "Tư vấn phương án cải tiến buồng sấy lúa tầng sôi để giảm 20 % điện năng, có so sánh thiết bị nhập khẩu.",
        provider="1899001018",
        chosen=True,
        quote=(32_000_000, 25, "Khảo sát 2 lần tại xưởng, báo cáo phương án và dự toán."),
    ),
    DemoRequest(
        "1899001025",
        "dao-tao",
        RequestState.DELIVERED,
        "Đào tạo 25 thành viên ghi nhật ký canh tác điện tử và in tem truy xuất nguồn gốc cho gạo thơm.",
        provider="1899001064",
        chosen=True,
        quote=(12_000_000, 5, "2 buổi lý thuyết, 3 buổi thực hành trên điện thoại của học viên."),
    ),
    DemoRequest(
        "1499001013",
        "ket-noi-dau-tu",
        RequestState.CLOSED,
        "Hợp tác xã cần hồ sơ gọi vốn cho kho lạnh sơ chế sầu riêng 500 tấn/năm và giới thiệu quỹ hỗ trợ.",
        provider="1899001071",
        quote=(25_000_000, 60, "Hồ sơ giới thiệu dự án, 3 buổi làm việc với quỹ và ngân hàng."),
        rating=5,
        comment="Hồ sơ được chuẩn bị kỹ, hợp tác xã đã được quỹ đổi mới công nghệ của tỉnh hỗ trợ một phần vốn.",
    ),
    DemoRequest(
        "1499001038",
        "tham-dinh-dinh-gia",
        RequestState.CLOSED,
        "Đánh giá hiệu quả hệ thống lọc tuần hoàn nước ao nuôi cá tra trước khi nhân rộng ra 3 trại.",
        provider="2099001035",
        chosen=True,
        quote=(20_000_000, 15, "Đo kiểm chất lượng nước 2 đợt, báo cáo đánh giá công nghệ."),
        rating=4,
        comment="Số liệu đo kiểm rõ ràng, giúp chúng tôi quyết định nhân rộng. Thời gian dài hơn dự kiến ít ngày.",
    ),
    DemoRequest(
        "1399001027",
        "tu-van-cong-nghe",
        RequestState.DECLINED,
        "Tư vấn hệ thống lọc nước mặn cho xưởng chế biến cơm dừa công suất 50 m³/ngày.",
        provider="1599001017",
        chosen=True,
        reason=(
            "Công suất yêu cầu vượt khả năng thiết bị chúng tôi cung cấp; đề nghị chọn đơn vị có giải pháp công nghiệp."
        ),
    ),
    DemoRequest(
        "2099001028",
        "dao-tao",
        RequestState.CANCELLED,
        "Lớp an toàn thực phẩm HACCP cho 40 công nhân xưởng chế biến.",
        reason="Công ty đã đăng ký lớp của Chi cục Quản lý chất lượng tỉnh.",
    ),
)


def _organization(tax_code: str) -> Organization | None:
    return Organization.objects.filter(tax_code=tax_code).first()


def _admin(organization: Organization) -> Any:
    membership = (
        Membership.objects.filter(organization=organization, role=MembershipRole.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _seed_providers(staff: Any) -> int:
    created = 0
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    for item in PROVIDERS:
        organization = _organization(item.tax_code)
        admin = _admin(organization) if organization else None
        if organization is None or admin is None or ServiceProvider.objects.filter(organization=organization).exists():
            continue
        provider = services.provider_apply(
            user=admin,
            organization=organization,
            categories=[categories[code] for code in item.categories if code in categories],
            description=item.description,
            files=[SimpleUploadedFile("giay-chung-nhan.pdf", _PDF, content_type="application/pdf")],
        )
        if item.verified:
            services.provider_verify(user=staff, provider=provider, note="Hồ sơ đầy đủ (dữ liệu mẫu).")
        created += 1
    return created


_PATH = (RequestState.ASSIGNED, RequestState.QUOTED, RequestState.ACCEPTED, RequestState.IN_PROGRESS)


def _walk(item: DemoRequest, *, client: Any, organization: Organization, staff: Any) -> None:
    category = ServiceCategory.objects.get(code=item.category)
    provider_org = _organization(item.provider) if item.provider else None
    provider = ServiceProvider.objects.filter(organization=provider_org, status=ProviderStatus.VERIFIED).first()
    request = services.request_submit(
        user=client,
        organization=organization,
        category=category,
        description=item.description,
        provider=provider if item.chosen else None,
    )
    target = item.state
    if target == RequestState.CANCELLED:
        services.request_cancel(user=client, request=request, reason=item.reason)
        return
    if target == RequestState.SUBMITTED or provider is None:
        return
    if request.state == RequestState.SUBMITTED:
        services.request_assign(user=staff, request=request, provider=provider)
    provider_user = _admin(provider.organization)
    if target == RequestState.DECLINED:
        services.request_decline(user=provider_user, request=request, reason=item.reason)
        return
    if target == RequestState.ASSIGNED:
        return
    amount, days, note = item.quote
    services.request_quote(user=provider_user, request=request, amount_vnd=amount, duration_days=days, note=note)
    if item.message:
        services.request_message(user=client, request=request, body=item.message)
    if target == RequestState.QUOTED:
        return
    services.request_accept(user=client, request=request)
    if target == RequestState.ACCEPTED:
        return
    services.request_start(user=provider_user, request=request)
    if target == RequestState.IN_PROGRESS:
        return
    services.request_deliver(user=provider_user, request=request)
    if target == RequestState.DELIVERED:
        return
    services.request_close(
        user=client, request=request, rating=item.rating, comment=item.comment, testimonial_consent=True
    )


@transaction.atomic
def seed_services(*, staff: Any) -> tuple[int, int, int]:
    """The catalogue, the demo providers and (once) the demo requests; returns how many of each were created."""
    categories = seed_catalogue()
    providers = _seed_providers(staff)
    seed_experts(staff=staff)  # the expert directory (demo_experts.py), after the providers they may belong to
    requests = 0
    if not ServiceRequest.objects.filter(client_organization__is_demo=True).exists():
        for item in REQUESTS:
            organization = _organization(item.client)
            client = _admin(organization) if organization else None
            if organization is None or client is None:
                continue
            _walk(item, client=client, organization=organization, staff=staff)
            requests += 1
        requests += seed_valuation(staff=staff)  # a delivered valuation with its record on a listing
    return categories, providers, requests
