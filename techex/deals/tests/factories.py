"""Deals are built through the services, so tests see the same state a user would.

``deal_parties()`` makes a published listing with its owner, an inquiring organisation, staff and (optionally) a
broker; ``make_deal(parties, stage=...)`` walks a deal through the services to any stage.
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.deals import services
from techex.deals.choices import ContractForm, DealStage, NDAMethod, TransferObject
from techex.deals.models import NDA, Deal, NDATemplate
from techex.deals.selectors import contract_draft
from techex.deals.types import ContractTerms, ProposalTerms
from techex.listings.choices import ListingKind, TransferForm
from techex.listings.models import Listing
from techex.listings.tests.factories import make_published
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory


@dataclass
class DealParties:
    """Everyone a deal can involve, and the listing it is about."""

    owner: Any
    owner_org: Organization
    inquirer: Any
    inquirer_org: Organization
    staff: Any
    listing: Listing
    broker: Any = None
    broker_org: Organization | None = None


def member_of(organization: Organization, **user_fields: Any):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization)
    return user


def make_intermediary(**fields: Any) -> Organization:
    fields.setdefault("name", "Trung tâm Ứng dụng tiến bộ KH&CN")
    return OrganizationFactory.create(type=OrganizationType.INTERMEDIARY, **fields)


def deal_parties(
    *, kind: str = ListingKind.OFFER, anonymous: bool = False, broker: bool = False, staff=None, **listing: Any
) -> DealParties:
    """A published listing of one organisation, a member of another who will inquire, staff, and maybe a broker.

    With ``anonymous`` the listing hides its owner; with ``broker`` an intermediary organisation brokers the
    listing (an anonymous listing's inquiries then go to it first).
    """
    owner_org = OrganizationFactory.create(name="Viện Lúa Đồng bằng sông Cửu Long", email="vienlua@example.vn")
    owner = member_of(owner_org, full_name="Trần Thị Chủ", phone="0292 111 222")
    inquirer_org = OrganizationFactory.create(
        name="Hợp tác xã Nông nghiệp Thới Lai", type=OrganizationType.COOPERATIVE, email="htx@example.vn"
    )
    inquirer = member_of(inquirer_org, full_name="Lê Văn Hỏi", phone="0909 333 444")
    staff = staff or StaffFactory(full_name="Cán bộ Sở")
    listing_obj = make_published(
        user=owner, organization=owner_org, staff=staff, kind=kind, is_anonymous=anonymous, **listing
    )
    parties = DealParties(
        owner=owner, owner_org=owner_org, inquirer=inquirer, inquirer_org=inquirer_org, staff=staff, listing=listing_obj
    )
    if broker:
        parties.broker_org = make_intermediary()
        parties.broker = member_of(parties.broker_org, full_name="Phạm Môi Giới")
        # Set directly: staff assign one with ``listing_assign_broker`` only to an anonymous listing, and some tests
        # need a named listing with a broker (one set before that rule, or by the import).
        Listing.objects.filter(pk=listing_obj.pk).update(broker=parties.broker_org)
        parties.listing.refresh_from_db()
    return parties


def inquiry_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "message": "Chúng tôi muốn dùng máy sấy cho 200 ha lúa của hợp tác xã.",
        "who_we_are": "Hợp tác xã 120 thành viên ở Thới Lai, Cần Thơ.",
        "intended_use": "Sấy lúa sau thu hoạch cho các thành viên, thay sân phơi.",
        "timeline_budget": "Vụ Đông Xuân 2026; khoảng 800 triệu đồng.",
    }
    data.update(overrides)
    return data


def proposal_terms(**overrides: Any) -> ProposalTerms:
    values: dict[str, Any] = {
        "contract_form": ContractForm.STANDALONE,
        "transfer_objects": (TransferObject.KNOW_HOW, TransferObject.TECHNICAL_DOCUMENTS),
        "licence": TransferForm.NON_EXCLUSIVE_LICENCE,
        "price_vnd": 750_000_000,
        "royalty_percent": None,
        "exclusive": False,
        "territory": "Thành phố Cần Thơ",
        "term_months": 36,
        "technical_assistance": "Hai tuần đào tạo vận hành tại hợp tác xã.",
        "note": "",
    }
    values.update(overrides)
    return ProposalTerms(**values)


def contract_terms(**overrides: Any) -> ContractTerms:
    values: dict[str, Any] = {
        "contract_form": ContractForm.STANDALONE,
        "transfer_objects": (TransferObject.KNOW_HOW,),
        "licence": TransferForm.NON_EXCLUSIVE_LICENCE,
        "signed_on": timezone.localdate(),
        "value_vnd": 750_000_000,
        "royalty_percent": None,
        "exclusive": False,
        "territory": "Thành phố Cần Thơ",
        "term_months": 36,
        "cross_border": "domestic",
        "state_budget": False,
        "st_task_registered": False,
    }
    values.update(overrides)
    return ContractTerms(**values)


STAGES: list[str] = [
    DealStage.INQUIRY,
    DealStage.ACCEPTED,
    DealStage.NEGOTIATING,
    DealStage.AGREED,
    DealStage.SIGNED,
    DealStage.COMPLETED,
]


def make_deal(parties: DealParties | None = None, *, stage: str = DealStage.INQUIRY, **inquiry: Any) -> Deal:
    """Walk a new deal through the services up to ``stage`` (an open stage or ``completed``).

    Owners answer; an inquiry still waiting at its broker is accepted by the broker. The proposal comes from the
    inquirer and the owner accepts it; the owner records the contract from the agreed terms.
    """
    parties = parties or deal_parties()
    target = STAGES.index(stage)
    deal = services.deal_inquire(
        user=parties.inquirer, listing=parties.listing, organization=parties.inquirer_org, **inquiry_data(**inquiry)
    )
    if target >= STAGES.index(DealStage.ACCEPTED):
        answerer = parties.owner if deal.forwarded_at else parties.broker
        deal = services.deal_accept(user=answerer, deal=deal)
    if target >= STAGES.index(DealStage.NEGOTIATING):
        services.proposal_create(user=parties.inquirer, deal=deal, terms=proposal_terms())
    if target >= STAGES.index(DealStage.AGREED):
        services.proposal_accept(user=parties.owner, proposal=deal.proposals.get(status="open"))
    if target >= STAGES.index(DealStage.SIGNED):
        draft = contract_draft(deal=deal)
        assert draft is not None  # the proposal accepted at AGREED
        services.contract_record(user=parties.owner, deal=deal, terms=draft)
    if target >= STAGES.index(DealStage.COMPLETED):
        services.deal_complete(user=parties.owner, deal=deal)
    return Deal.objects.get(pk=deal.pk)


def ensure_nda_template() -> NDATemplate:
    """The standard NDA text (a migration creates it; a transactional test's flush removes it)."""
    template = NDATemplate.objects.order_by("-version").first()
    if template is None:
        template = NDATemplate.objects.create(
            version=1, title="Thỏa thuận bảo mật thông tin", body="Bên nhận không tiết lộ thông tin bảo mật."
        )
    return template


def make_nda_in_force(parties: DealParties, deal: Deal, *, method: str = NDAMethod.IN_APP) -> NDA:
    """Ask for an NDA as the inquirer and have the owner accept (or confirm the signed file)."""
    ensure_nda_template()
    nda = services.nda_request(user=parties.inquirer, deal=deal, method=method)
    if method == NDAMethod.IN_APP:
        return services.nda_accept(user=parties.owner, nda=nda)
    from techex.listings.tests.uploads import pdf_upload

    nda = services.nda_upload_signed(user=parties.inquirer, nda=nda, file=pdf_upload("nda-da-ky.pdf"))
    return services.nda_confirm_signed(user=parties.owner, nda=nda)
