"""Two people acting on the same deal at the same moment, on PostgreSQL with real concurrent connections.

Each service locks the deal's row (``SELECT … FOR UPDATE``) before it reads the proposal, so of two answers to
one proposal exactly one wins and the other is refused with a clear message; messages posted meanwhile are kept.
SQLite serialises every writer on its own and has no row locks to test, so these run on PostgreSQL only.
"""

import pytest
from django.db import connection

from techex.core.services import audit_verify_chain
from techex.core.tests.concurrency import at_the_same_moment
from techex.deals import services
from techex.deals.choices import DealStage, ProposalStatus
from techex.deals.models import Deal, DealMessage, Proposal
from techex.deals.states import DealError
from techex.deals.tests.factories import deal_parties, inquiry_data, make_deal, member_of, proposal_terms

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (SQLite serialises writers); run with DATABASE_URL=postgres://…")


def _race_accept_and_counter(round_number: int) -> None:
    parties = deal_parties()
    colleague = member_of(parties.owner_org, full_name=f"Đồng nghiệp {round_number}")
    deal = make_deal(parties, stage="negotiating")
    proposal = deal.proposals.get()

    accept, counter, owner_message, inquirer_message = at_the_same_moment(
        lambda: services.proposal_accept(user=parties.owner, proposal=proposal),
        lambda: services.proposal_counter(
            user=colleague, proposal=proposal, terms=proposal_terms(price_vnd=990_000_000)
        ),
        lambda: services.deal_message_post(user=colleague, deal=deal, body="Bên bán: đã xem đề xuất."),
        lambda: services.deal_message_post(user=parties.inquirer, deal=deal, body="Bên mua: chờ trả lời."),
    )

    assert sorted([accept[0], counter[0]]) == ["error", "ok"], (accept, counter)
    loser = accept if accept[0] == "error" else counter
    assert isinstance(loser[1], DealError)
    assert loser[1].messages == ["This proposal has already been answered."]

    deal = Deal.objects.get(pk=deal.pk)
    proposal.refresh_from_db()
    if accept[0] == "ok":
        assert (proposal.status, deal.stage, deal.value_vnd) == ("accepted", DealStage.AGREED, 750_000_000)
        assert deal.proposals.count() == 1
    else:
        assert (proposal.status, deal.stage) == ("countered", DealStage.NEGOTIATING)
        open_ones = deal.proposals.filter(status=ProposalStatus.OPEN)
        assert list(open_ones.values_list("counter_of", flat=True)) == [proposal.pk]
    assert Proposal.objects.filter(deal=deal, status=ProposalStatus.OPEN).count() <= 1

    assert owner_message[0] == inquirer_message[0] == "ok", (owner_message, inquirer_message)
    assert set(DealMessage.objects.filter(deal=deal).values_list("body", flat=True)) == {
        "Bên bán: đã xem đề xuất.",
        "Bên mua: chờ trả lời.",
    }


def test_accept_and_counter_of_one_proposal_leave_exactly_one_outcome(reference_data):
    for round_number in range(ROUNDS):
        _race_accept_and_counter(round_number)
    # Every write went through the deal's lock, so the hash chain of the audit trail is unbroken.
    assert audit_verify_chain() == []


def test_the_two_parties_accepting_and_withdrawing_one_proposal(reference_data):
    parties = deal_parties()
    deal = make_deal(parties, stage="negotiating")
    proposal = deal.proposals.get()  # the inquirer's
    accept, withdraw = at_the_same_moment(
        lambda: services.proposal_accept(user=parties.owner, proposal=proposal),
        lambda: services.proposal_withdraw(user=parties.inquirer, proposal=proposal),
    )
    assert sorted([accept[0], withdraw[0]]) == ["error", "ok"]
    proposal.refresh_from_db()
    deal.refresh_from_db()
    if accept[0] == "ok":
        assert (proposal.status, deal.stage) == ("accepted", "agreed")
    else:
        assert (proposal.status, deal.stage) == ("withdrawn", "negotiating")


def test_two_inquiries_of_one_organisation_at_once_make_one_deal(reference_data):
    parties = deal_parties()
    colleague = member_of(parties.inquirer_org)
    first, second = at_the_same_moment(
        *(
            lambda user=user: services.deal_inquire(
                user=user, listing=parties.listing, organization=parties.inquirer_org, **inquiry_data()
            )
            for user in (parties.inquirer, colleague)
        )
    )
    assert sorted([first[0], second[0]]) == ["error", "ok"]
    loser = first if first[0] == "error" else second
    assert "already has an open deal on this listing" in loser[1].messages[0]
    assert Deal.objects.filter(listing=parties.listing).count() == 1
    parties.listing.refresh_from_db()
    assert parties.listing.inquiry_count == 1
