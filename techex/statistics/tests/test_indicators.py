"""Each indicator's exact figures on a known exchange (both databases), per department adding up to the region."""

import datetime
from decimal import Decimal

import pytest

from techex.organizations.tests.factories import OrganizationFactory
from techex.search.services import search_query_record
from techex.statistics import selectors
from techex.statistics.filtersets import Criteria
from techex.statistics.indicators import INDICATORS
from techex.statistics.types import SUPPRESSED

from .factories import build_world, contract, deal, listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return build_world()


def year_2025(department=None) -> Criteria:
    return Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), department=department)


def rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_listings_by_month(world):
    table = rows(selectors.listings_by_month(criteria=year_2025()))
    # published, renewed, expired, live at the month's end
    assert table["2025-01"] == [1, 0, 0, 1]
    assert table["2025-02"] == [2, 0, 0, 3]
    assert table["2025-04"] == [1, 0, 0, 4]
    assert table["2025-05"] == [0, 0, 1, 3]
    assert table["2025-06"] == [0, 1, 0, 3]
    assert table["2025-12"] == [0, 0, 0, 3]
    assert len(table) == 12
    # A period ending mid-month counts the last month at the period's end: L2 expires on 10 May, after it.
    cut = rows(selectors.listings_by_month(criteria=Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 5, 9))))
    assert cut["2025-05"] == [0, 0, 0, 4]


def test_live_at_month_end_keeps_listings_without_an_end_and_leaves_withdrawn_ones_out(world):
    org = world.listings["l1"].organization
    common = {"kind": "offer", "organization": org, "province": "92", "department": world.lead, "field": "4"}
    listing(**common, published="2025-03-15")  # no valid_until: live until it leaves
    listing(**common, published="2025-01-10", valid_until="2026-01-10", status="withdrawn", is_live=False)
    table = rows(selectors.listings_by_month(criteria=year_2025()))
    assert table["2025-01"] == [2, 0, 0, 1]  # the withdrawn one counts as published, never as live
    assert table["2025-03"] == [1, 0, 0, 4]
    assert table["2025-12"] == [0, 0, 0, 4]


def test_listings_by_dimension(world):
    criteria = year_2025()
    by_field = rows(selectors.listings_by_field(criteria=criteria))
    assert [v for v in by_field.values()] == [[1, 1, 2], [1, 1, 2]]  # fields 1 and 4: offers, needs, total
    by_province = rows(selectors.listings_by_province(criteria=criteria))
    assert by_province == {"An Giang": [1, 1, 2], "Cần Thơ": [1, 1, 2]}
    by_type = rows(selectors.listings_by_organization_type(criteria=criteria))
    assert by_type == {"University": [1, 0, 1], "Research institute": [1, 0, 1], "Enterprise": [0, 2, 2]}
    by_trl = rows(selectors.listings_by_trl(criteria=criteria))
    assert by_trl == {"TRL 5": [1, 0, 1], "TRL 7": [1, 0, 1], "Not given": [0, 2, 2]}
    by_form = rows(selectors.listings_by_transfer_form(criteria=criteria))
    assert by_form == {
        "Assignment (outright sale)": [1, 0, 1],
        "Non-exclusive licence": [1, 0, 1],
        "Technical service": [1, 0, 1],
    }


def test_live_breakdown_counts_only_live_listings(world):
    by_province = rows(selectors.listings_by_province(criteria=year_2025(), live=True))
    assert by_province == {"An Giang": [0, 1, 1], "Cần Thơ": [1, 1, 2]}


def test_needs_answered(world):
    table = rows(selectors.needs_answered(criteria=year_2025()))
    assert table["2025-Q1"] == [1, 1, 1, Decimal("1.0000")]
    assert table["2025-Q2"] == [1, 1, 0, Decimal("0.0000")]
    assert table["2025-Q3"] == [0, 0, 0, None]


def test_deal_funnel(world):
    table = rows(selectors.deal_funnel(criteria=year_2025()))
    assert table["Inquiry"] == [4, None, None]
    assert table["Accepted"] == [3, Decimal("0.7500"), Decimal("5.0")]
    assert table["Negotiating"] == [2, Decimal("0.6667"), Decimal("7.0")]
    assert table["Agreed"] == [2, Decimal("1.0000"), Decimal("12.0")]
    assert table["Contract signed"] == [2, Decimal("1.0000"), Decimal("19.0")]
    assert table["Completed"] == [0, Decimal("0.0000"), None]


def test_contracts_by_quarter_and_growth(world):
    table = rows(selectors.contracts_by_quarter(criteria=year_2025()))
    # contracts, value, value a year before, growth, the 1158 target for 2025
    assert table["2025-Q2"] == [2, 400_000_000, 200_000_000, Decimal("1.0000"), Decimal("0.25")]
    assert table["2025-Q1"] == [0, 0, 0, None, Decimal("0.25")]
    table_2026 = rows(
        selectors.contracts_by_quarter(criteria=Criteria(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    )
    assert table_2026["2026-Q1"][-1] == Decimal("0.30")


def test_ip_and_institutes_shares(world):
    ip = rows(selectors.ip_share(criteria=year_2025()))
    assert ip["2025"] == [2, 1, Decimal("0.5000"), Decimal("0.15")]
    research = rows(selectors.institutes_share(criteria=year_2025()))
    assert research["2025"] == [2, 2, Decimal("1.0000"), Decimal("0.35")]
    earlier = rows(
        selectors.institutes_share(criteria=Criteria(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)))
    )
    assert earlier["2024"] == [0, 0, None, Decimal("0.35")]  # the 2024 contract came from abroad


def test_filters_field_province_and_type(world):
    criteria = Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), field_code="4")
    assert rows(selectors.listings_by_province(criteria=criteria)) == {"An Giang": [0, 1, 1], "Cần Thơ": [1, 0, 1]}
    criteria = Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), province_code="91")
    assert rows(selectors.contracts_by_quarter(criteria=criteria))["2025-Q2"][:2] == [1, 300_000_000]
    criteria = Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), organization_type="enterprise")
    assert rows(selectors.deal_funnel(criteria=criteria))["Inquiry"] == [2, None, None]


def _numbers(table) -> list:
    return [[cell if isinstance(cell, int) else 0 for cell in row[1:]] for row in table.rows]


@pytest.mark.parametrize("indicator", [i for i in INDICATORS if not i.key.startswith("search")], ids=lambda i: i.key)
def test_departments_add_up_to_the_region(world, indicator):
    region = indicator.table(year_2025())
    lead = indicator.table(year_2025(world.lead))
    partner = indicator.table(year_2025(world.an_giang))
    count_columns = [n for n, c in enumerate(region.columns) if c.kind in ("count", "vnd") and c.key != "total"]
    region_rows = {row[0]: row for row in region.rows}
    for label, row in region_rows.items():
        lead_row = next((r for r in lead.rows if r[0] == label), None)
        partner_row = next((r for r in partner.rows if r[0] == label), None)
        for n in count_columns:
            if region.columns[n].key == "value_year_before":
                continue
            parts = [(r[n] or 0) if r else 0 for r in (lead_row, partner_row)]
            assert sum(parts) == (row[n] or 0), (label, region.columns[n].key)


def test_search_demand(world):
    day = datetime.date(2025, 3, 1)
    for _ in range(3):
        search_query_record(q="Sấy  lúa", found=5, day=day)
    search_query_record(q="máy bóc vỏ dừa", found=0, day=day)
    search_query_record(q="máy bóc vỏ dừa", found=0, day=datetime.date(2025, 3, 2))
    assert not search_query_record(q="gọi 0909 123 456", found=0, day=day)  # a phone number is never kept
    assert not search_query_record(q="a@b.vn", found=0, day=day)
    top = selectors.search_top_queries(criteria=year_2025())
    assert top.rows == [["sấy lúa", 3, 0], ["máy bóc vỏ dừa", 2, 2]]
    assert selectors.search_empty_queries(criteria=year_2025()).rows == [["máy bóc vỏ dừa", 2]]
    assert (
        selectors.search_top_queries(criteria=Criteria(datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))).rows == []
    )


def test_public_contracts_withhold_small_cells(world):
    table = selectors.public_contracts_by_quarter(criteria=year_2025())
    by_quarter = rows(table)
    assert by_quarter["2025-Q2"] == [SUPPRESSED, SUPPRESSED]  # two contracts: withheld
    assert by_quarter["Total"] == [SUPPRESSED, SUPPRESSED]
    assert by_quarter["2025-Q1"] == [0, 0]
    assert table.notes


def test_public_contracts_withhold_a_second_cell_when_one_could_be_worked_out(world):
    for n in range(3):
        extra = deal(on=world.listings["l4"], inquirer=OrganizationFactory.create(), created="2025-07-01")
        contract(of=extra, signed=f"2025-08-0{n + 1}", value=10_000_000)
    for n in range(4):
        extra = deal(on=world.listings["l3"], inquirer=OrganizationFactory.create(), created="2025-10-01")
        contract(of=extra, signed=f"2025-11-0{n + 1}", value=20_000_000)
    by_quarter = rows(selectors.public_contracts_by_quarter(criteria=year_2025()))
    assert by_quarter["2025-Q2"] == [SUPPRESSED, SUPPRESSED]
    assert by_quarter["2025-Q3"] == [SUPPRESSED, SUPPRESSED]  # the smallest other: Q2 = total − Q3 − Q4 otherwise
    assert by_quarter["2025-Q4"] == [4, 80_000_000]
    assert by_quarter["Total"] == [9, 510_000_000]


def test_headline_numbers(world):
    assert selectors.headline_numbers() == {"offers": 1, "needs": 2, "organizations": 3}


def test_charts_are_accessible_and_leave_the_total_out(world):
    from techex.statistics.charts import bar_chart

    table = selectors.public_contracts_by_quarter(criteria=year_2025())
    svg = bar_chart(table, title="Hợp đồng <theo> quý", chart_id="c")
    assert 'role="img"' in svg and 'aria-labelledby="c-t c-d"' in svg
    assert '<title id="c-t">Hợp đồng &lt;theo&gt; quý</title>' in svg
    assert "Total" not in svg  # the total row is in the table only
    assert svg.count("<rect") == 4  # one bar per quarter, a withheld one drawn empty


def test_events_and_b2b_meetings_by_quarter(world):
    from techex.accounts.tests.factories import StaffFactory
    from techex.events import b2b
    from techex.events import services as event_services
    from techex.events.choices import MeetingStatus
    from techex.events.models import Event, Meeting
    from techex.events.tests.b2b_factories import b2b_member, make_b2b_event, user_of
    from techex.events.tests.factories import guest, make_event

    staff = StaffFactory()
    # Cần Thơ (the lead's queue): a techmart with three B2B participants, two meetings accepted, scheduled, one held.
    techmart = make_b2b_event(user=staff, title="Techmart Cần Thơ")
    an, binh, chi = (b2b_member(techmart, name) for name in ("An", "Bình", "Chi"))
    for sender, recipient in ((an, binh), (chi, an)):
        request = b2b.meeting_request_send(user=user_of(sender), event=techmart, recipient=recipient)
        b2b.meeting_request_accept(user=user_of(recipient), request=request)
    b2b.meeting_request_send(user=user_of(binh), event=techmart, recipient=chi)  # sent, not answered
    b2b.b2b_schedule_run(user=staff, event=techmart, time_limit=5)
    b2b.b2b_schedule_publish(user=staff, event=techmart)
    Meeting.objects.filter(pk=Meeting.objects.filter(event=techmart).first().pk).update(status=MeetingStatus.HELD)
    # An Giang (the partner's queue): a seminar with two guests confirmed; a draft event is not counted.
    seminar = make_event(user=staff, title="Hội thảo An Giang", province="91", capacity=10)
    for n in range(2):
        registration = event_services.registration_create(event=seminar, user=None, **guest(email=f"k{n}@example.vn"))
        event_services.registration_verify(token=event_services.verification_token(registration=registration))
    make_event(user=staff, publish=False, title="Bản nháp", province="91")
    Event.objects.filter(pk=techmart.pk).update(starts_at=datetime.datetime(2025, 5, 10, 8, tzinfo=datetime.UTC))
    Event.objects.exclude(pk=techmart.pk).update(starts_at=datetime.datetime(2025, 8, 1, 8, tzinfo=datetime.UTC))

    # events, confirmed registrations, meeting requests, meetings on agendas, meetings held
    region = rows(selectors.events_by_quarter(criteria=year_2025()))
    assert region["2025-Q2"] == [1, 3, 3, 2, 1]
    assert region["2025-Q3"] == [1, 2, 0, 0, 0]
    assert region["2025-Q1"] == region["2025-Q4"] == [0, 0, 0, 0, 0]
    assert rows(selectors.events_by_quarter(criteria=year_2025(world.an_giang)))["2025-Q2"] == [0, 0, 0, 0, 0]
    assert rows(selectors.events_by_quarter(criteria=year_2025(world.an_giang)))["2025-Q3"] == [1, 2, 0, 0, 0]
    assert rows(selectors.events_by_quarter(criteria=year_2025(world.lead)))["2025-Q2"] == [1, 3, 3, 2, 1]
    in_92 = Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), province_code="92")
    assert rows(selectors.events_by_quarter(criteria=in_92))["2025-Q3"] == [0, 0, 0, 0, 0]


def test_services_requested_and_delivered_by_quarter(world):
    from techex.services.choices import RequestState
    from techex.services.models import ServiceRequest
    from techex.services.tests.factories import make_request, request_parties

    def at(day: str) -> datetime.datetime:
        return datetime.datetime.fromisoformat(f"{day}T09:00:00+07:00")

    can_tho, an_giang = request_parties(province="92"), request_parties(province="91", provider_province="91")
    delivered = make_request(can_tho, state=RequestState.DELIVERED)
    waiting = make_request(can_tho)
    accepted = make_request(an_giang, state=RequestState.ACCEPTED)
    ServiceRequest.objects.filter(pk=delivered.pk).update(
        created_at=at("2025-02-03"), accepted_at=at("2025-02-20"), delivered_at=at("2025-05-06")
    )
    ServiceRequest.objects.filter(pk=waiting.pk).update(created_at=at("2025-05-07"))
    ServiceRequest.objects.filter(pk=accepted.pk).update(created_at=at("2025-04-01"), accepted_at=at("2025-08-01"))

    # submitted, quote accepted, delivered
    region = rows(selectors.services_by_quarter(criteria=year_2025()))
    assert region["2025-Q1"] == [1, 1, 0]
    assert region["2025-Q2"] == [2, 0, 1]
    assert region["2025-Q3"] == [0, 1, 0]
    assert rows(selectors.services_by_quarter(criteria=year_2025(world.an_giang)))["2025-Q2"] == [1, 0, 0]
    assert rows(selectors.services_by_quarter(criteria=year_2025(world.lead)))["2025-Q2"] == [1, 0, 1]
    in_91 = Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), province_code="91")
    assert rows(selectors.services_by_quarter(criteria=in_91))["2025-Q3"] == [0, 1, 0]
