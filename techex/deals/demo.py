"""Demo deals for ``seed_demo``: one at every stage, built through the services so the audit trail is real.

The "my deals" page and the staff funnel then show something true on the first run. The deals are made on the
first Vietnamese demo listings (``seed_demo --limit 5`` loads them too) between demo organisations found by tax
code; when the demo listings already have deals, nothing is done (``make run`` seeds on every start).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from techex.listings.choices import TransferForm
from techex.listings.models import Listing
from techex.organizations.choices import MembershipRole
from techex.organizations.models import Membership, Organization

from . import services
from .choices import ContractForm, CrossBorder, DealStage, NDAMethod, RegistrationStatus, TransferObject
from .models import Deal, NDATemplate
from .types import ContractTerms, ProposalTerms

# The intermediary of the demo data; staff assign it to deals it is not a party to.
BROKER_TAX_CODE = "1899001071"


@dataclass(frozen=True)
class DemoDeal:
    listing: str  # external_ref of a Vietnamese demo listing
    inquirer: str  # tax code of the inquiring organisation
    stage: str
    message: str
    who_we_are: str
    intended_use: str
    timeline_budget: str
    price_vnd: int | None = None
    counter_price_vnd: int | None = None
    royalty_percent: Decimal | None = None
    licence: str = TransferForm.NON_EXCLUSIVE_LICENCE
    contract_form: str = ContractForm.STANDALONE
    objects: tuple[str, ...] = (TransferObject.KNOW_HOW, TransferObject.TECHNICAL_DOCUMENTS)
    territory: str = "Đồng bằng sông Cửu Long"
    term_months: int | None = 36
    technical_assistance: str = ""
    state_budget: bool = False
    registration: str = ""  # what the contract's registration has reached, when it must be registered
    nda: bool = False
    broker: bool = False
    messages: tuple[tuple[str, str], ...] = ()  # (side, text): "owner" or "inquirer"
    reason: str = ""


DEALS = (
    DemoDeal(
        listing="demo-vi-003",
        inquirer="1499001013",  # Hợp tác xã Trái cây Vườn Sông Tiền
        stage=DealStage.INQUIRY,
        message="Hợp tác xã muốn tìm hiểu công nghệ cấp đông nhanh để bán sầu riêng múi cấp đông cho siêu thị.",
        who_we_are="Hợp tác xã 85 thành viên ở Cái Bè, trồng 210 ha sầu riêng và bưởi, có kho sơ chế 600 m².",
        intended_use="Cấp đông sầu riêng múi cho kênh siêu thị và xuất khẩu tiểu ngạch, khoảng 300 tấn mỗi năm.",
        timeline_budget="Muốn chạy thử trong vụ nghịch 2026; ngân sách khoảng 1,5 tỷ đồng, có thể vay ưu đãi.",
    ),
    DemoDeal(
        listing="demo-vi-005",
        inquirer="1899001025",  # Hợp tác xã Nông nghiệp Lúa Thơm Đông Phước
        stage=DealStage.ACCEPTED,
        message="Chúng tôi quan tâm quy trình gạo mầm GABA để làm sản phẩm OCOP cho hợp tác xã.",
        who_we_are="Hợp tác xã lúa thơm ở Châu Thành, Hậu Giang cũ; 150 thành viên, 420 ha lúa đạt VietGAP.",
        intended_use="Sản xuất gạo mầm đóng túi 1 kg, bán tại cửa hàng OCOP và sàn thương mại điện tử.",
        timeline_budget="Bắt đầu quý I năm 2027; ngân sách đầu tư thiết bị khoảng 600 triệu đồng.",
        nda=True,
        broker=True,
    ),
    DemoDeal(
        listing="demo-vi-002",
        inquirer="2099001028",  # Công ty Cổ phần Thủy sản Sao Biển Tây
        stage=DealStage.NEGOTIATING,
        message="Công ty muốn nhận chuyển giao công nghệ tinh luyện dầu cá tra cho nhà máy ở Cà Mau.",
        who_we_are="Doanh nghiệp chế biến thủy sản xuất khẩu, 2 nhà máy, 900 lao động.",
        intended_use="Tận dụng mỡ cá từ dây chuyền phi lê để làm dầu cá tinh luyện và bột cá đạm cao.",
        timeline_budget="Muốn ký hợp đồng trong năm 2026; ngân sách tối đa 2 tỷ đồng.",
        price_vnd=2_400_000_000,
        counter_price_vnd=1_800_000_000,
        licence=TransferForm.EXCLUSIVE_LICENCE,
        technical_assistance="Cử chuyên gia hướng dẫn vận hành 30 ngày; đào tạo 6 kỹ thuật viên.",
        broker=True,
        messages=(
            ("inquirer", "Chúng tôi đề nghị quyền độc quyền tại Cà Mau và Bạc Liêu cũ trong 5 năm."),
            ("owner", "Chúng tôi đồng ý độc quyền theo vùng, nhưng giá cần phản ánh chi phí chuyển giao bí quyết."),
        ),
    ),
    DemoDeal(
        listing="demo-vi-005",
        inquirer="1699001028",  # Hợp tác xã Tôm – Lúa Vân Khánh
        stage=DealStage.AGREED,
        message="Hợp tác xã muốn làm gạo mầm từ lúa trên đất tôm – lúa để nâng giá trị hạt gạo.",
        who_we_are="Hợp tác xã tôm – lúa ở An Minh, 95 thành viên, 380 ha luân canh.",
        intended_use="Chế biến gạo mầm từ lúa ST25 trồng trên đất tôm – lúa, bán theo chuỗi.",
        timeline_budget="Từ vụ lúa 2026–2027; ngân sách 450 triệu đồng.",
        price_vnd=450_000_000,
        technical_assistance="Đào tạo quy trình ủ mầm và kiểm tra hàm lượng GABA cho 4 cán bộ hợp tác xã.",
    ),
    DemoDeal(
        listing="demo-vi-004",
        inquirer="1599001017",  # Công ty Cổ phần Công nghệ Nước sạch Cửu Long Xanh
        stage=DealStage.SIGNED,
        message="Chúng tôi có hệ thống lọc sinh học và hấp phụ xử lý mùi cho nhà máy bột cá.",
        who_we_are="Doanh nghiệp công nghệ môi trường, đã lắp 14 hệ thống xử lý khí thải cho nhà máy chế biến.",
        intended_use="Thiết kế, lắp đặt và chuyển giao quy trình vận hành hệ thống xử lý mùi cho nhà máy.",
        timeline_budget="Lắp đặt trong 4 tháng; chi phí dự kiến 3,2 tỷ đồng.",
        price_vnd=3_200_000_000,
        contract_form=ContractForm.MACHINERY,
        objects=(TransferObject.MACHINERY, TransferObject.TECHNICAL_DOCUMENTS),
        licence=TransferForm.TECHNICAL_SERVICE,
        technical_assistance="Chạy thử 60 ngày, đào tạo 3 người vận hành, bảo hành 24 tháng.",
        state_budget=True,
        registration=RegistrationStatus.SUBMITTED,
        nda=True,
    ),
    DemoDeal(
        listing="demo-vi-001",
        inquirer="1399001027",  # Công ty TNHH Sản phẩm Dừa Giồng Trôm Xanh
        stage=DealStage.COMPLETED,
        message="Công ty cần bao bì phân hủy sinh học cho kẹo dừa xuất khẩu sang châu Âu.",
        who_we_are="Doanh nghiệp chế biến dừa ở Giồng Trôm, 320 lao động, xuất khẩu sang 12 nước.",
        intended_use="Sản xuất khay và hộp từ bẹ chuối và rơm cho dòng kẹo dừa hữu cơ.",
        timeline_budget="Sản xuất thử trong 6 tháng; ngân sách 1,2 tỷ đồng.",
        price_vnd=1_200_000_000,
        royalty_percent=Decimal("2.50"),
        term_months=60,
        technical_assistance="Chuyển giao bộ khuôn ép và hướng dẫn phối trộn nguyên liệu tại xưởng.",
    ),
    DemoDeal(
        listing="demo-vi-002",
        inquirer="1899001064",  # Công ty Cổ phần Công nghệ Số Nguồn Gốc Xanh
        stage=DealStage.DECLINED,
        message="Chúng tôi muốn tích hợp dữ liệu truy xuất nguồn gốc vào quy trình tinh luyện dầu cá.",
        who_we_are="Doanh nghiệp phần mềm truy xuất nguồn gốc nông sản.",
        intended_use="Đóng gói công nghệ cùng giải pháp truy xuất để bán cho các nhà máy cá tra.",
        timeline_budget="Trong năm 2026; ngân sách chưa xác định.",
        reason="Công ty chỉ chuyển giao cho doanh nghiệp trực tiếp sản xuất, không qua đơn vị trung gian thương mại.",
    ),
)


def _admin(organization: Organization):
    membership = (
        Membership.objects.filter(organization=organization, role=MembershipRole.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _terms(spec: DemoDeal, *, price: int | None, note: str = "") -> ProposalTerms:
    exclusive = spec.licence in {TransferForm.ASSIGNMENT, TransferForm.EXCLUSIVE_LICENCE}
    return ProposalTerms(
        contract_form=spec.contract_form,
        transfer_objects=spec.objects,
        licence=spec.licence,
        price_vnd=price,
        royalty_percent=spec.royalty_percent,
        exclusive=exclusive,
        territory=spec.territory,
        term_months=spec.term_months,
        technical_assistance=spec.technical_assistance,
        note=note,
    )


def _contract_terms(spec: DemoDeal, proposal) -> ContractTerms:
    return ContractTerms(
        contract_form=proposal.contract_form,
        transfer_objects=tuple(proposal.transfer_objects),
        licence=proposal.licence,
        signed_on=timezone.localdate(),
        value_vnd=proposal.price_vnd,
        royalty_percent=proposal.royalty_percent,
        exclusive=proposal.exclusive,
        territory=proposal.territory,
        term_months=proposal.term_months,
        cross_border=CrossBorder.DOMESTIC,
        state_budget=spec.state_budget,
    )


def _negotiate(spec: DemoDeal, deal: Deal, *, owner, inquirer, target: int):
    """The inquirer proposes, the owner counters (when the spec says), the inquirer accepts."""
    proposal = services.proposal_create(user=inquirer, deal=deal, terms=_terms(spec, price=spec.price_vnd))
    for side, text in spec.messages:
        services.deal_message_post(user=owner if side == "owner" else inquirer, deal=deal, body=text)
    if spec.counter_price_vnd:
        note = "Đề nghị giảm giá vì bên nhận tự đầu tư thiết bị phụ trợ."
        proposal = services.proposal_counter(
            user=owner, proposal=proposal, terms=_terms(spec, price=spec.counter_price_vnd, note=note)
        )
    if target >= ORDER.index(DealStage.AGREED):
        accepter = inquirer if proposal.side == "owner" else owner
        services.proposal_accept(user=accepter, proposal=proposal)
    return proposal


ORDER: list[str] = [DealStage.INQUIRY, DealStage.ACCEPTED, DealStage.NEGOTIATING, DealStage.AGREED, DealStage.SIGNED]
ORDER.append(DealStage.COMPLETED)


def _build(spec: DemoDeal, *, listing: Listing, inquirer_org: Organization, staff, broker_org) -> Deal:
    owner, inquirer = _admin(listing.organization), _admin(inquirer_org)
    deal = services.deal_inquire(
        user=inquirer,
        listing=listing,
        organization=inquirer_org,
        message=spec.message,
        who_we_are=spec.who_we_are,
        intended_use=spec.intended_use,
        timeline_budget=spec.timeline_budget,
    )
    if spec.broker and broker_org is not None:
        deal = services.deal_assign_broker(user=staff, deal=deal, broker=broker_org)
    if spec.stage == DealStage.DECLINED:
        return services.deal_decline(user=owner, deal=deal, reason=spec.reason)
    target = ORDER.index(spec.stage)
    if target >= ORDER.index(DealStage.ACCEPTED):
        deal = services.deal_accept(user=owner, deal=deal)
    if spec.nda and NDATemplate.objects.exists():
        nda = services.nda_request(user=inquirer, deal=deal, method=NDAMethod.IN_APP)
        services.nda_accept(user=owner, nda=nda)
    if target >= ORDER.index(DealStage.NEGOTIATING):
        proposal = _negotiate(spec, deal, owner=owner, inquirer=inquirer, target=target)
    if target >= ORDER.index(DealStage.SIGNED):
        contract = services.contract_record(user=owner, deal=deal, terms=_contract_terms(spec, proposal))
        if spec.registration and contract.registration_status == RegistrationStatus.NEEDED:
            services.contract_registration_update(user=owner, contract=contract, status=spec.registration)
    if target >= ORDER.index(DealStage.COMPLETED):
        services.deal_complete(user=owner, deal=deal)
    return deal


def seed_deals(*, staff) -> int:
    """Create the demo deals unless the demo listings already have deals; return how many were created."""
    if Deal.objects.filter(listing__is_demo=True).exists():
        return 0
    broker_org = Organization.objects.filter(tax_code=BROKER_TAX_CODE).first()
    created = 0
    for spec in DEALS:
        listing = Listing.objects.select_related("organization").filter(external_ref=spec.listing).first()
        inquirer_org = Organization.objects.filter(tax_code=spec.inquirer).first()
        if (
            listing is None
            or inquirer_org is None
            or _admin(inquirer_org) is None
            or _admin(listing.organization) is None
        ):
            continue
        usable_broker = broker_org if broker_org and broker_org.pk != listing.organization_id else None
        with transaction.atomic():
            _build(spec, listing=listing, inquirer_org=inquirer_org, staff=staff, broker_org=usable_broker)
        created += 1
    return created
