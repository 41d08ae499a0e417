"""A small exchange with known dates, built row by row (not through the services) so every date is the one the
figures are asserted against."""

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from techex.deals.choices import ContractForm, CrossBorder, DealStage, Side
from techex.deals.models import Contract, Deal
from techex.departments.models import Department
from techex.departments.selectors import lead_department
from techex.departments.tests.factories import make_partner
from techex.listings.choices import IPType, ListingKind, ListingStatus
from techex.listings.models import Listing
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Organization
from techex.organizations.tests.factories import OrganizationFactory
from techex.reference.models import STField

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str) -> datetime.datetime:
    """Noon on a day, local time: far from any month's or quarter's boundary."""
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12), tzinfo=TZ)


_seq = iter(range(1, 100_000))


def listing(
    *,
    kind: str,
    organization: Organization,
    province: str,
    department: Department,
    field: str,
    published: str | None,
    valid_until: str | None = None,
    status: str = ListingStatus.PUBLISHED,
    is_live: bool = True,
    **fields: Any,
) -> Listing:
    n = next(_seq)
    row = Listing.objects.create(
        reference_code=f"CT-{'TO' if kind == ListingKind.OFFER else 'TN'}-2025-{n:05d}",
        kind=kind,
        organization=organization,
        title=f"Công nghệ {n}",
        summary="Tóm tắt",
        province_id=province,
        department=department,
        status=status,
        is_live=is_live,
        published_at=at(published) if published else None,
        valid_until=at(valid_until) if valid_until else None,
        **fields,
    )
    row.fields.set([STField.objects.get(pk=field)])
    return row


def deal(*, on: Listing, inquirer: Organization, created: str, stage: str = DealStage.INQUIRY, **reached: str) -> Deal:
    n = next(_seq)
    row = Deal.objects.create(
        reference_code=f"CT-GD-2025-{n:05d}",
        listing=on,
        owner_organization=on.organization,
        inquirer_organization=inquirer,
        stage=stage,
        message="Quan tâm",
        who_we_are="Chúng tôi",
        intended_use="Ứng dụng",
        timeline_budget="Sáu tháng",
        department=on.department,
        **{f"reached_{name}_at": at(day) for name, day in reached.items()},
    )
    Deal.objects.filter(pk=row.pk).update(created_at=at(created))
    return row


def contract(*, of: Deal, signed: str, value: int | None, cross_border: str = CrossBorder.DOMESTIC, **terms: Any):
    return Contract.objects.create(
        deal=of,
        contract_form=terms.pop("contract_form", ContractForm.STANDALONE),
        transfer_objects=["know_how"],
        licence="non_exclusive_licence",
        transferor_name="Bên giao",
        transferee_name="Bên nhận",
        value_vnd=value,
        signed_on=datetime.date.fromisoformat(signed),
        cross_border=cross_border,
        recorded_side=Side.STAFF,
        **terms,
    )


@dataclass
class World:
    lead: Department
    an_giang: Department
    listings: dict
    deals: dict


def build_world() -> World:
    """Cần Thơ (the lead, 92) and An Giang (a partner, 91); 2025 figures known by hand (the tests say which)."""
    lead = lead_department()
    assert lead is not None
    an_giang = make_partner("an-giang")
    institute = OrganizationFactory.create(type=OrganizationType.INSTITUTE, province_id="92")
    university = OrganizationFactory.create(type=OrganizationType.UNIVERSITY, province_id="91")
    enterprise = OrganizationFactory.create(type=OrganizationType.ENTERPRISE, province_id="91")
    OrganizationFactory.create(type=OrganizationType.ENTERPRISE, verification_status="pending")
    offer = ListingKind.OFFER
    need = ListingKind.NEED
    listings = {
        "l1": listing(
            kind=offer, organization=institute, province="92", department=lead, field="4",
            published="2025-01-15", valid_until="2026-01-15", trl=7,
            transfer_forms=["non_exclusive_licence", "technical_service"],
        ),
        "l2": listing(
            kind=offer, organization=university, province="91", department=an_giang, field="1",
            published="2025-02-10", valid_until="2025-05-10", status=ListingStatus.EXPIRED, is_live=False, trl=5,
            transfer_forms=["assignment"], ip_type=IPType.PATENT,
        ),
        "l3": listing(
            kind=need, organization=enterprise, province="91", department=an_giang, field="4",
            published="2025-02-20", valid_until="2026-02-20", renewed_at=at("2025-06-01"),
        ),
        "l4": listing(
            kind=need, organization=enterprise, province="92", department=lead, field="1",
            published="2025-04-01", valid_until="2026-04-01",
        ),
        "draft": listing(
            kind=offer, organization=institute, province="92", department=lead, field="4",
            published=None, status=ListingStatus.DRAFT, is_live=False,
        ),
    }  # fmt: skip
    l1, l2, l3, l4 = (listings[k] for k in ("l1", "l2", "l3", "l4"))
    deals = {
        "d1": deal(
            on=l1, inquirer=enterprise, created="2025-03-01", stage=DealStage.SIGNED,
            accepted="2025-03-05", negotiating="2025-03-10", agreed="2025-03-20", signed="2025-04-01",
        ),
        "d2": deal(on=l3, inquirer=university, created="2025-03-02", stage=DealStage.ACCEPTED, accepted="2025-03-12"),
        "d3": deal(on=l4, inquirer=institute, created="2025-05-01"),
        "d4": deal(
            on=l2, inquirer=enterprise, created="2025-02-15", stage=DealStage.SIGNED,
            accepted="2025-02-20", negotiating="2025-03-01", agreed="2025-03-15", signed="2025-04-10",
        ),
        "d5": deal(
            on=l1, inquirer=university, created="2024-03-01", stage=DealStage.SIGNED,
            accepted="2024-03-02", negotiating="2024-03-03", agreed="2024-04-01", signed="2024-05-01",
        ),
    }  # fmt: skip
    contract(of=deals["d1"], signed="2025-04-01", value=100_000_000)
    contract(of=deals["d4"], signed="2025-04-10", value=300_000_000, contract_form=ContractForm.IP_TRANSFER)
    contract(of=deals["d5"], signed="2024-05-20", value=200_000_000, cross_border=CrossBorder.INTO_VIETNAM)
    return World(lead=lead, an_giang=an_giang, listings=listings, deals=deals)
