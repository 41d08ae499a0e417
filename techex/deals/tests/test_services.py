"""The deal's stages: every transition, allowed and refused (wrong stage, wrong party, listing no longer live)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from techex.core.models import AuditEntry
from techex.core.services import audit_verify_chain
from techex.deals import selectors, services
from techex.deals.choices import DealStage
from techex.deals.models import Deal
from techex.deals.states import TRANSITIONS, DealError, allowed_transitions
from techex.deals.tests.factories import (
    contract_terms,
    deal_parties,
    inquiry_data,
    make_deal,
    make_intermediary,
    member_of,
)
from techex.listings import services as listing_services
from techex.listings.models import Listing
from techex.notifications.models import Notification
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def inquire(parties, **overrides):
    return services.deal_inquire(
        user=parties.inquirer,
        listing=parties.listing,
        organization=parties.inquirer_org,
        **inquiry_data(**overrides),
    )


def actions(deal):
    return list(
        AuditEntry.objects.filter(target_type="deals.deal", target_id=str(deal.pk))
        .values_list("action", flat=True)
        .order_by("id")
    )


def notified(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


# --- the table ---------------------------------------------------------------------------------------------------


def test_transition_table_names_both_stages():
    assert set(allowed_transitions(DealStage.INQUIRY)) == {"accept", "decline", "withdraw", "drop"}
    assert allowed_transitions(DealStage.COMPLETED) == []
    assert allowed_transitions(DealStage.SIGNED) == ["complete", "drop"]
    with pytest.raises(DealError) as error:
        from techex.deals.states import target_stage

        target_stage(DealStage.ACCEPTED, "complete")
    assert error.value.messages == ["A deal cannot go from “Accepted” to “Completed”."]
    # every closed stage is a dead end
    for stage in (DealStage.DECLINED, DealStage.WITHDRAWN, DealStage.DROPPED, DealStage.COMPLETED):
        assert not any(stage in sources for sources, _target in TRANSITIONS.values())


# --- inquiry -----------------------------------------------------------------------------------------------------


def test_inquiry_creates_a_deal_for_the_owner(parties, run_on_commit):
    deal = run_on_commit(inquire, parties)
    year = timezone.localdate().year
    assert deal.reference_code == f"CT-GD-{year}-00001"
    assert deal.stage == DealStage.INQUIRY
    assert (deal.owner_organization, deal.inquirer_organization, deal.inquirer) == (
        parties.owner_org,
        parties.inquirer_org,
        parties.inquirer,
    )
    assert deal.forwarded_at is not None and deal.broker is None
    assert deal.who_we_are == "Hợp tác xã 120 thành viên ở Thới Lai, Cần Thơ."
    assert Listing.objects.get(pk=parties.listing.pk).inquiry_count == 1
    assert actions(deal) == ["deal.inquire"]
    assert notified(parties.owner, "deal.inquiry") == 1
    assert notified(parties.inquirer, "deal.inquiry") == 0
    note = Notification.objects.get(recipient=parties.owner)
    assert note.params["organization"] == parties.inquirer_org.name
    assert note.url == f"/deals/{deal.reference_code}/"
    second = make_deal(deal_parties())
    assert second.reference_code == f"CT-GD-{year}-00002"


def test_inquiry_text_is_cleaned_and_required(parties):
    with pytest.raises(ValidationError) as error:
        inquire(parties, who_we_are="  ", intended_use="", timeline_budget="x" * 2001)
    assert error.value.message_dict == {"who_we_are": ["Say who you are."]}
    with pytest.raises(ValidationError) as error:
        inquire(parties, timeline_budget="x" * 2001)
    assert error.value.message_dict == {"timeline_budget": ["Keep this under 2,000 characters (it has 2,001)."]}
    assert not Deal.objects.exists()


def test_inquiry_on_own_listing_is_refused(parties):
    with pytest.raises(ValidationError, match="your own organisation's listing"):
        services.deal_inquire(
            user=parties.owner, listing=parties.listing, organization=parties.owner_org, **inquiry_data()
        )
    # A member of both organisations cannot inquire for the other one either.
    both = member_of(parties.owner_org)
    from techex.organizations.tests.factories import MembershipFactory

    MembershipFactory(user=both, organization=parties.inquirer_org)
    with pytest.raises(ValidationError, match="your own organisation's listing"):
        services.deal_inquire(user=both, listing=parties.listing, organization=parties.inquirer_org, **inquiry_data())
    assert not Deal.objects.exists()


def test_inquiry_for_an_organisation_one_does_not_belong_to_is_refused(parties):
    stranger_org = OrganizationFactory(name="Công ty Lạ")
    with pytest.raises(PermissionDenied, match="an organisation you belong to"):
        services.deal_inquire(
            user=parties.inquirer, listing=parties.listing, organization=stranger_org, **inquiry_data()
        )
    assert not Deal.objects.exists()


def test_second_open_inquiry_of_an_organisation_is_refused(parties):
    first = inquire(parties)
    colleague = member_of(parties.inquirer_org)
    with pytest.raises(ValidationError) as error:
        services.deal_inquire(
            user=colleague, listing=parties.listing, organization=parties.inquirer_org, **inquiry_data()
        )
    assert error.value.messages == [
        f"Your organisation already has an open deal on this listing: {first.reference_code}."
    ]
    # Once the first is closed, a new inquiry is welcome.
    services.deal_withdraw(user=parties.inquirer, deal=first, reason="Chưa đủ vốn.")
    assert inquire(parties).stage == DealStage.INQUIRY
    assert Deal.objects.count() == 2


@pytest.mark.parametrize("how", ["expired", "withdrawn", "closed_for_inquiries", "validity_passed"])
def test_inquiry_on_a_listing_no_longer_live_is_refused(parties, how):
    listing = parties.listing
    if how == "expired":
        Listing.objects.filter(pk=listing.pk).update(valid_until=timezone.now() - timedelta(days=1))
        listing_services.listing_expire(listing=listing)
    elif how == "withdrawn":
        listing_services.listing_withdraw(listing=listing, user=parties.owner)
    elif how == "closed_for_inquiries":
        Listing.objects.filter(pk=listing.pk).update(open_for_inquiries=False)
    else:
        # Past its validity but not yet expired by the nightly job.
        Listing.objects.filter(pk=listing.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    parties.listing.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        inquire(parties)
    assert error.value.messages == ["The listing is no longer open for inquiries."]
    assert not Deal.objects.exists()


# --- answering ---------------------------------------------------------------------------------------------------


def test_owner_accepts_and_contacts_are_revealed(parties, inquiry, run_on_commit):
    assert not selectors.contacts_visible(user=parties.inquirer, deal=inquiry)
    assert [c.side for c in selectors.deal_contacts(user=parties.inquirer, deal=inquiry)] == []
    deal = run_on_commit(services.deal_accept, user=parties.owner, deal=inquiry)
    assert deal.stage == DealStage.ACCEPTED
    assert deal.accepted_at is not None and deal.reached_accepted_at == deal.accepted_at
    assert deal.accepted_by == parties.owner
    assert selectors.contacts_visible(user=parties.inquirer, deal=deal)
    contacts = {c.side: c for c in selectors.deal_contacts(user=parties.inquirer, deal=deal)}
    assert contacts["owner"].person_email == parties.owner.email
    assert contacts["owner"].organization_email == "vienlua@example.vn"
    assert contacts["inquirer"].person_phone == "0909 333 444"
    assert notified(parties.inquirer, "deal.accepted") == 1
    assert actions(deal)[-1] == "deal.accept"


def test_inquirer_cannot_accept_its_own_inquiry(parties, inquiry):
    with pytest.raises(PermissionDenied) as error:
        services.deal_accept(user=parties.inquirer, deal=inquiry)
    assert str(error.value) == "Only the listing's owners or the deal's broker may answer an inquiry."
    assert Deal.objects.get(pk=inquiry.pk).stage == DealStage.INQUIRY


def test_accepting_twice_names_both_stages(parties, accepted):
    with pytest.raises(DealError) as error:
        services.deal_accept(user=parties.owner, deal=accepted)
    assert error.value.messages == ["A deal cannot go from “Accepted” to “Accepted”."]


def test_accepting_after_the_listing_expired_is_refused(parties, inquiry):
    Listing.objects.filter(pk=parties.listing.pk).update(valid_until=timezone.now() - timedelta(days=1))
    listing_services.listing_expire(listing=parties.listing)
    with pytest.raises(DealError) as error:
        services.deal_accept(user=parties.owner, deal=inquiry)
    assert error.value.messages == ["The listing is no longer open for inquiries."]
    assert Deal.objects.get(pk=inquiry.pk).stage == DealStage.INQUIRY
    # Declining is still possible: the owner can close it cleanly.
    assert services.deal_decline(user=parties.owner, deal=inquiry, reason="Hết hạn.").stage == DealStage.DECLINED


def test_decline_needs_a_reason_and_the_owner_side(parties, inquiry, run_on_commit):
    with pytest.raises(ValidationError) as error:
        services.deal_decline(user=parties.owner, deal=inquiry, reason="   ")
    assert error.value.message_dict == {"reason": ["Give the reason."]}
    with pytest.raises(PermissionDenied, match="Only the listing's owners or the deal's broker may decline"):
        services.deal_decline(user=parties.inquirer, deal=inquiry, reason="x")
    assert Deal.objects.get(pk=inquiry.pk).stage == DealStage.INQUIRY
    deal = run_on_commit(
        services.deal_decline, user=parties.owner, deal=inquiry, reason="Công nghệ đã chuyển giao độc quyền."
    )
    assert (deal.stage, deal.close_reason) == (DealStage.DECLINED, "Công nghệ đã chuyển giao độc quyền.")
    assert deal.closed_at is not None
    assert notified(parties.inquirer, "deal.declined") == 1
    entry = AuditEntry.objects.filter(action="deal.decline").get()
    assert entry.data["reason"] == "Công nghệ đã chuyển giao độc quyền."
    assert (entry.data["from"], entry.data["to"]) == ("inquiry", "declined")


def test_withdraw_is_the_inquirers(parties, accepted):
    with pytest.raises(PermissionDenied, match="Only the inquirer may withdraw"):
        services.deal_withdraw(user=parties.owner, deal=accepted, reason="x")
    deal = services.deal_withdraw(user=parties.inquirer, deal=accepted, reason="Đã chọn nhà cung cấp khác.")
    assert deal.stage == DealStage.WITHDRAWN
    with pytest.raises(DealError, match="from “Withdrawn” to “Declined”"):
        services.deal_decline(user=parties.owner, deal=deal, reason="x")


@pytest.mark.parametrize("stage", ["inquiry", "accepted", "negotiating", "agreed"])
def test_decline_withdraw_and_drop_from_every_stage_before_the_contract(parties, stage):
    deal = make_deal(parties, stage=stage)
    assert services.deal_drop(user=parties.staff, deal=deal, reason="Không phản hồi 90 ngày.").stage == "dropped"
    assert Deal.objects.get(pk=deal.pk).reached_completed_at is None


def test_drop_is_for_staff_and_the_broker(parties, accepted):
    with pytest.raises(PermissionDenied, match="Only the exchange's staff or the deal's broker may drop"):
        services.deal_drop(user=parties.owner, deal=accepted, reason="x")
    with pytest.raises(ValidationError):
        services.deal_drop(user=parties.staff, deal=accepted, reason="")
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=accepted, broker=broker_org)
    assert services.deal_drop(user=broker, deal=accepted, reason="Hai bên không liên lạc.").stage == "dropped"


def test_signed_deal_only_staff_may_drop(parties):
    deal = make_deal(parties, stage="signed")
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=deal, broker=broker_org)
    with pytest.raises(PermissionDenied) as error:
        services.deal_drop(user=broker, deal=deal, reason="x")
    assert str(error.value) == "Once the contract is signed, only the exchange's staff may drop the deal."
    with pytest.raises(DealError, match="from “Contract signed” to “Declined”"):
        services.deal_decline(user=parties.owner, deal=deal, reason="x")
    assert services.deal_drop(user=parties.staff, deal=deal, reason="Hợp đồng bị hủy.").stage == "dropped"


def test_start_negotiation_is_for_the_parties(parties, accepted):
    others = deal_parties()
    with pytest.raises(DealError, match="from “Inquiry” to “Negotiating”"):
        services.deal_start_negotiation(user=others.owner, deal=make_deal(others))
    with pytest.raises(PermissionDenied, match="Only the two parties"):
        services.deal_start_negotiation(user=parties.staff, deal=accepted)
    deal = services.deal_start_negotiation(user=parties.inquirer, deal=accepted)
    assert deal.stage == DealStage.NEGOTIATING and deal.reached_negotiating_at is not None


def test_closed_deal_refuses_everything(parties, inquiry):
    services.deal_withdraw(user=parties.inquirer, deal=inquiry, reason="Thôi.")
    with pytest.raises(DealError, match="This deal is closed"):
        services.deal_message_post(user=parties.owner, deal=inquiry, body="Còn đó không?")
    with pytest.raises(DealError):
        services.deal_accept(user=parties.owner, deal=inquiry)
    with pytest.raises(DealError, match="from “Withdrawn” to “Dropped”"):
        services.deal_drop(user=parties.staff, deal=inquiry, reason="x")


# --- anonymous listings and brokers ------------------------------------------------------------------------------


def test_anonymous_listing_inquiry_goes_to_the_broker_first(brokered, run_on_commit):
    deal = run_on_commit(inquire, brokered)
    assert deal.broker == brokered.broker_org and deal.forwarded_at is None
    assert notified(brokered.broker, "deal.inquiry") == 1
    assert notified(brokered.owner, "deal.inquiry") == 0
    # The owner sees nothing yet: the same 404 as for a deal that does not exist.
    with pytest.raises(Http404):
        selectors.deal_get_for_user(user=brokered.owner, reference_code=deal.reference_code)
    with pytest.raises(PermissionDenied):
        services.deal_accept(user=brokered.owner, deal=deal)
    assert not selectors.owner_visible(user=brokered.inquirer, deal=deal)
    with pytest.raises(PermissionDenied, match="Only the deal's broker may forward"):
        services.deal_forward(user=brokered.inquirer, deal=deal)

    deal = run_on_commit(services.deal_forward, user=brokered.broker, deal=deal)
    assert deal.forwarded_at is not None
    assert notified(brokered.owner, "deal.forwarded") == 1
    assert selectors.deal_get_for_user(user=brokered.owner, reference_code=deal.reference_code) == deal
    with pytest.raises(DealError, match="already been forwarded"):
        services.deal_forward(user=brokered.broker, deal=deal)
    assert selectors.deal_actions_for_user(user=brokered.owner, deal=deal)[:2] == ["accept", "decline"]

    # The owner stays unnamed to the inquirer until the inquiry is accepted.
    assert not selectors.owner_visible(user=brokered.inquirer, deal=deal)
    deal = services.deal_accept(user=brokered.owner, deal=deal)
    assert selectors.owner_visible(user=brokered.inquirer, deal=deal)


def test_broker_may_accept_on_the_owners_behalf(brokered):
    deal = inquire(brokered)
    deal = services.deal_accept(user=brokered.broker, deal=deal)
    assert deal.stage == DealStage.ACCEPTED and deal.forwarded_at is not None
    assert AuditEntry.objects.filter(action="deal.accept").get().data["side"] == "broker"


def test_anonymous_listing_without_broker_goes_to_the_owner_unnamed(reference_data):
    parties = deal_parties(anonymous=True)
    deal = inquire(parties)
    assert deal.forwarded_at is not None and deal.broker is None
    assert not selectors.owner_visible(user=parties.inquirer, deal=deal)
    assert selectors.owner_visible(user=parties.owner, deal=deal)


def test_the_listings_broker_sees_nothing_until_assigned(reference_data, run_on_commit):
    parties = deal_parties(broker=True)  # a named listing with a broker
    deal = inquire(parties)
    assert deal.broker is None
    with pytest.raises(Http404):
        selectors.deal_get_for_user(user=parties.broker, reference_code=deal.reference_code)
    deal = run_on_commit(services.deal_assign_broker, user=parties.staff, deal=deal, broker=parties.broker_org)
    assert selectors.deal_get_for_user(user=parties.broker, reference_code=deal.reference_code) == deal
    assert notified(parties.owner, "deal.broker_assigned") == 1
    assert notified(parties.broker, "deal.broker_assigned") == 1
    contacts = {c.side: c for c in selectors.deal_contacts(user=parties.inquirer, deal=deal)}
    assert contacts["broker"].organization_name == parties.broker_org.name
    entry = AuditEntry.objects.filter(action="deal.assign_broker").get()
    assert entry.data == {"side": "staff", "previous": None, "broker": parties.broker_org.pk}


def test_assign_broker_refusals(parties, inquiry):
    with pytest.raises(PermissionDenied, match="Only the exchange's staff"):
        services.deal_assign_broker(user=parties.owner, deal=inquiry, broker=make_intermediary())
    with pytest.raises(ValidationError) as error:
        services.deal_assign_broker(user=parties.staff, deal=inquiry, broker=OrganizationFactory(name="Công ty A"))
    assert error.value.message_dict == {"broker": ["Choose an intermediary organisation as the broker."]}
    broker_org = make_intermediary()
    services.deal_assign_broker(user=parties.staff, deal=inquiry, broker=broker_org)
    with pytest.raises(ValidationError, match="already the deal's broker"):
        services.deal_assign_broker(user=parties.staff, deal=inquiry, broker=broker_org)
    assert services.deal_assign_broker(user=parties.staff, deal=inquiry, broker=None).broker is None
    services.deal_withdraw(user=parties.inquirer, deal=inquiry, reason="Thôi.")
    with pytest.raises(DealError, match="This deal is closed"):
        services.deal_assign_broker(user=parties.staff, deal=inquiry, broker=broker_org)


def test_removing_the_broker_of_a_waiting_inquiry_forwards_it(brokered):
    deal = inquire(brokered)
    deal = services.deal_assign_broker(user=brokered.staff, deal=deal, broker=None)
    assert deal.forwarded_at is not None
    assert selectors.deal_get_for_user(user=brokered.owner, reference_code=deal.reference_code) == deal


def test_a_party_cannot_be_the_broker(reference_data):
    parties = deal_parties()
    intermediary = make_intermediary(name="Công ty Tư vấn")
    inquirer = member_of(intermediary)
    deal = services.deal_inquire(user=inquirer, listing=parties.listing, organization=intermediary, **inquiry_data())
    with pytest.raises(ValidationError) as error:
        services.deal_assign_broker(user=parties.staff, deal=deal, broker=intermediary)
    assert error.value.message_dict == {"broker": ["A party to the deal cannot be its broker."]}


# --- completion --------------------------------------------------------------------------------------------------


def test_complete_a_signed_deal_in_force(parties, run_on_commit):
    deal = make_deal(parties, stage="signed")
    with pytest.raises(PermissionDenied):
        services.deal_complete(user=member_of(OrganizationFactory(name="Ai đó")), deal=deal)
    deal = run_on_commit(services.deal_complete, user=parties.inquirer, deal=deal)
    assert deal.stage == DealStage.COMPLETED and deal.reached_completed_at is not None and deal.closed_at
    assert notified(parties.owner, "deal.completed") == 1


def test_complete_waits_for_a_compulsory_registration(parties):
    deal = make_deal(parties, stage="agreed")
    contract = services.contract_record(
        user=parties.owner, deal=deal, terms=contract_terms(cross_border="out_of_vietnam")
    )
    with pytest.raises(DealError) as error:
        services.deal_complete(user=parties.owner, deal=deal)
    assert error.value.messages == [
        "The contract is not in force until its registration is certified (Law 07/2017, Art. 31)."
    ]
    services.contract_registration_update(user=parties.owner, contract=contract, status="submitted")
    services.contract_registration_update(
        user=parties.staff,
        contract=contract,
        status="certified",
        number="45/GCN-SKHCN",
        certified_on=timezone.localdate(),
    )
    assert services.deal_complete(user=parties.owner, deal=deal).stage == DealStage.COMPLETED


@pytest.mark.parametrize("stage", ["inquiry", "accepted", "negotiating", "agreed"])
def test_complete_before_signing_names_the_stage(parties, stage):
    deal = make_deal(parties, stage=stage)
    with pytest.raises(DealError) as error:
        services.deal_complete(user=parties.owner, deal=deal)
    label = DealStage(stage).label
    assert error.value.messages == [f"A deal cannot go from “{label}” to “Completed”."]


# --- the funnel, the audit trail, the awaiting list ------------------------------------------------------------


def test_funnel_counts_every_stage_reached_and_its_value(reference_data, count_queries):
    make_deal(deal_parties(), stage="inquiry")
    make_deal(deal_parties(), stage="negotiating")
    dropped = make_deal(deal_parties(), stage="agreed")
    parties = deal_parties()
    services.deal_drop(user=parties.staff, deal=dropped, reason="Bên mua phá sản.")
    make_deal(parties, stage="completed")
    with count_queries() as queries:
        funnel = selectors.deal_funnel(deals=Deal.objects.all())
    assert len(queries) == 1
    assert [(row.stage, row.count, row.value_vnd) for row in funnel] == [
        ("inquiry", 4, 1_500_000_000),
        ("accepted", 3, 1_500_000_000),
        ("negotiating", 3, 1_500_000_000),
        ("agreed", 2, 1_500_000_000),
        ("signed", 1, 750_000_000),
        ("completed", 1, 750_000_000),
    ]


def test_every_step_is_in_an_unbroken_audit_trail_and_the_timeline(parties):
    deal = make_deal(parties, stage="completed")
    assert actions(deal) == [
        "deal.inquire",
        "deal.accept",
        "deal.start_negotiation",
        "deal.proposal",
        "deal.proposal.accept",
        "deal.agree",
        "deal.contract.record",
        "deal.sign",
        "deal.complete",
    ]
    assert audit_verify_chain() == []
    timeline = selectors.deal_timeline(deal=deal, user=parties.inquirer)
    assert [entry.label for entry in timeline][:3] == ["Inquiry sent", "Inquiry accepted", "Negotiation started"]
    assert timeline[3].proposal is not None and timeline[3].proposal.price_vnd == 750_000_000
    entry = AuditEntry.objects.filter(action="deal.accept").get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")


def test_timeline_hides_the_other_sides_people_until_accepted(parties, inquiry):
    services.deal_message_post(user=parties.owner, deal=inquiry, body="Anh cần bao nhiêu máy?")
    before = selectors.deal_timeline(deal=inquiry, user=parties.inquirer)
    assert before[-1].actor is None and before[-1].message.body == "Anh cần bao nhiêu máy?"
    assert selectors.deal_timeline(deal=inquiry, user=parties.owner)[-1].actor == parties.owner
    deal = services.deal_accept(user=parties.owner, deal=inquiry)
    assert selectors.deal_timeline(deal=deal, user=parties.inquirer)[-2].actor == parties.owner


def test_awaiting_lists_what_waits_for_the_user(parties):
    waiting = make_deal(parties)
    other = deal_parties()
    assert selectors.deal_awaiting(user=parties.owner) == [waiting]
    assert selectors.deal_awaiting(user=parties.inquirer) == []
    assert list(selectors.deal_list_for_user(user=parties.owner, awaiting=True)) == [waiting]
    assert selectors.deal_awaiting(user=other.owner) == []
    services.deal_accept(user=parties.owner, deal=waiting)
    # Now the next move is anybody's (a proposal, an NDA): nothing is waiting for one side only.
    assert selectors.deal_awaiting(user=parties.owner) == []
    assert selectors.deal_actions_for_user(user=parties.inquirer, deal=Deal.objects.get(pk=waiting.pk)) == [
        "withdraw",
        "start_negotiation",
        "message",
        "propose",
        "nda_request",
    ]
