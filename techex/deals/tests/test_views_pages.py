"""The pages a member reads: my deals, a deal (what each side sees), the inquiry form, the listing's entry point."""

from html import escape

import pytest
from django.conf import settings
from django.urls import reverse

from techex.deals.choices import DealStage
from techex.deals.models import Deal
from techex.deals.tests.factories import deal_parties, inquiry_data, make_deal, member_of
from techex.listings import services as listing_services
from techex.listings.tests.factories import make_listing
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

MINE = reverse("deals:mine")
# Session, user, memberships, the awaiting deals (deals, open proposals, NDAs), the count, the page and its
# prefetches; it must not grow with the number of deals.
MINE_BUDGET = 12


def text(response) -> str:
    return response.content.decode()


def new_url(listing) -> str:
    return reverse("deals:new", kwargs={"listing_code": listing.reference_code})


def inquiry_post(organization, **overrides) -> dict:
    return {"organization": organization.pk, **inquiry_data(**overrides)}


# --- my deals --------------------------------------------------------------------------------------------------------


def test_my_deals_needs_sign_in(client, db):
    response = client.get(MINE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_my_deals_puts_what_awaits_me_first(client, parties):
    waiting = make_deal(parties)
    other = deal_parties()
    agreed = make_deal(other, stage=DealStage.AGREED)
    client.force_login(parties.owner)
    page = text(client.get(MINE))
    assert "1 deal awaits you" in page
    awaiting = page.split('id="awaiting-title"')[1].split('id="all-title"')[0]
    assert waiting.reference_code in awaiting
    assert agreed.reference_code not in page  # another organisation's deal

    client.force_login(parties.inquirer)
    page = text(client.get(MINE))
    assert "awaits you" not in page  # the owner answers next
    assert waiting.reference_code in page and parties.listing.title in page


def test_my_deals_filters_by_stage_and_ignores_an_unknown_one(client, parties):
    inquiry = make_deal(parties)
    client.force_login(parties.inquirer)
    assert inquiry.reference_code in text(client.get(MINE, {"stage": "inquiry"}))
    page = text(client.get(MINE, {"stage": "completed"}))
    assert inquiry.reference_code not in page and "You have no deal at this stage." in page
    assert inquiry.reference_code in text(client.get(MINE, {"stage": "<script>"}))


def test_my_deals_query_count_does_not_grow(client, parties, count_queries):
    def count() -> int:
        with count_queries() as queries:
            assert client.get(MINE).status_code == 200
        return len(queries.captured_queries)

    client.force_login(parties.owner)
    make_deal(parties, stage=DealStage.NEGOTIATING)
    few = count()
    for stage in (DealStage.INQUIRY, DealStage.AGREED, DealStage.SIGNED, DealStage.ACCEPTED):
        buyer = OrganizationFactory()
        parties.inquirer_org, parties.inquirer = buyer, member_of(buyer)
        make_deal(parties, stage=stage)
    assert Deal.objects.filter(owner_organization=parties.owner_org).count() == 5
    assert count() == few
    assert few <= MINE_BUDGET


# --- the deal page ---------------------------------------------------------------------------------------------------


def test_owner_reads_the_inquiry_and_may_accept_or_decline(client, parties, inquiry):
    client.force_login(parties.owner)
    page = text(client.get(inquiry.get_absolute_url()))
    for answer in inquiry_data().values():
        assert answer in page
    assert reverse("deals:action", args=[inquiry.reference_code, "accept"]) in page
    assert reverse("deals:close", args=[inquiry.reference_code, "decline"]) in page
    assert reverse("deals:close", args=[inquiry.reference_code, "withdraw"]) not in page
    assert 'class="current" aria-current="step">Inquiry<' in page


def test_contacts_are_shown_only_after_acceptance(client, parties, inquiry):
    client.force_login(parties.inquirer)
    page = text(client.get(inquiry.get_absolute_url()))
    assert parties.owner_org.email not in page and parties.owner.email not in page
    assert "Both sides see each other's contacts once the inquiry is accepted." in page
    assert reverse("deals:close", args=[inquiry.reference_code, "withdraw"]) in page

    client.force_login(parties.owner)
    client.post(reverse("deals:action", args=[inquiry.reference_code, "accept"]))
    client.force_login(parties.inquirer)
    page = text(client.get(inquiry.get_absolute_url()))
    assert parties.owner_org.email in page and parties.owner.email in page and "0292 111 222" in page
    client.force_login(parties.owner)
    page = text(client.get(inquiry.get_absolute_url()))
    assert parties.inquirer.email in page and "0909 333 444" in page


def test_anonymous_owner_is_named_to_the_inquirer_only_after_acceptance(client, reference_data):
    parties = deal_parties(anonymous=True)
    deal = make_deal(parties)
    client.force_login(parties.inquirer)
    page = text(client.get(deal.get_absolute_url()))
    assert parties.owner_org.name not in page
    assert "Anonymous organisation (through the exchange)" in page
    client.force_login(parties.owner)
    client.post(reverse("deals:action", args=[deal.reference_code, "accept"]))
    client.force_login(parties.inquirer)
    assert parties.owner_org.name in text(client.get(deal.get_absolute_url()))


def test_each_party_sees_the_broker(client, brokered):
    deal = make_deal(brokered, stage=DealStage.ACCEPTED)
    for user in (brokered.owner, brokered.inquirer, brokered.broker):
        client.force_login(user)
        page = text(client.get(deal.get_absolute_url()))
        assert escape(brokered.broker_org.name) in page


def test_history_lists_the_recorded_steps(client, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    client.force_login(parties.inquirer)
    page = text(client.get(deal.get_absolute_url()))
    for label in ("Inquiry sent", "Inquiry accepted", "Negotiation started", "Proposal", "Proposal accepted"):
        assert label in page


# --- the expression of interest --------------------------------------------------------------------------------------


def test_inquiry_form_offers_only_the_users_other_organisations(client, parties):
    member_of_both = member_of(parties.owner_org)
    second = OrganizationFactory(name="Công ty Thứ Hai")
    second.memberships.create(user=member_of_both, role="member")
    client.force_login(member_of_both)
    page = text(client.get(new_url(parties.listing)))
    assert "Công ty Thứ Hai" in page
    assert f'value="{parties.owner_org.pk}"' not in page


def test_inquiry_is_sent_and_leads_to_the_deal(client, parties):
    client.force_login(parties.inquirer)
    response = client.post(new_url(parties.listing), inquiry_post(parties.inquirer_org), follow=True)
    deal = Deal.objects.get()
    assert response.redirect_chain[-1][0] == deal.get_absolute_url()
    assert "Your expression of interest was sent to the listing&#x27;s owner." in text(response)
    assert (deal.stage, deal.inquirer, deal.inquirer_organization) == (
        "inquiry",
        parties.inquirer,
        parties.inquirer_org,
    )
    assert deal.who_we_are == inquiry_data()["who_we_are"]


def test_inquiry_needs_the_three_answers_and_a_message(client, parties):
    client.force_login(parties.inquirer)
    data = inquiry_post(parties.inquirer_org, who_we_are="  ", timeline_budget="")
    del data["message"]
    response = client.post(new_url(parties.listing), data)
    assert response.status_code == 200
    assert text(response).count("This field is required.") == 3
    assert not Deal.objects.exists()


def test_inquiry_on_an_anonymous_brokered_listing_goes_to_the_broker(client, brokered):
    client.force_login(brokered.inquirer)
    response = client.post(new_url(brokered.listing), inquiry_post(brokered.inquirer_org), follow=True)
    assert "was sent to the exchange&#x27;s broker" in text(response)
    assert Deal.objects.get().forwarded_at is None


def test_no_inquiry_on_ones_own_listing(client, parties):
    client.force_login(parties.owner)
    page = text(client.get(new_url(parties.listing)))
    assert "This is your organisation's own listing" in page
    response = client.post(new_url(parties.listing), inquiry_post(parties.owner_org))
    assert response.status_code == 200 and "This is your organisation's own listing" in text(response)
    assert not Deal.objects.exists()


def test_no_inquiry_on_a_listing_no_longer_live(client, parties):
    listing_services.listing_withdraw(listing=parties.listing, user=parties.owner)
    client.force_login(parties.inquirer)
    assert client.get(new_url(parties.listing)).status_code == 404  # not public any more
    assert client.post(new_url(parties.listing), inquiry_post(parties.inquirer_org)).status_code == 404
    assert not Deal.objects.exists()


def test_no_inquiry_when_the_listing_is_closed_for_inquiries(client, parties):
    from techex.listings.models import Listing

    Listing.objects.filter(pk=parties.listing.pk).update(open_for_inquiries=False)
    client.force_login(parties.inquirer)
    assert "This listing is not open for inquiries at the moment." in text(client.get(new_url(parties.listing)))
    response = client.post(new_url(parties.listing), inquiry_post(parties.inquirer_org))
    assert "The listing is no longer open for inquiries." in text(response)
    assert not Deal.objects.exists()


def test_a_second_inquiry_leads_to_the_open_deal(client, parties, inquiry):
    client.force_login(parties.inquirer)
    response = client.post(new_url(parties.listing), inquiry_post(parties.inquirer_org), follow=True)
    assert response.redirect_chain[-1][0] == inquiry.get_absolute_url()
    assert "Your organisation already has an open deal on this listing." in text(response)
    assert Deal.objects.count() == 1


def test_inquiry_page_for_a_draft_is_a_404(client, parties):
    draft = make_listing(user=parties.owner, organization=parties.owner_org)
    client.force_login(parties.inquirer)
    assert client.get(new_url(draft)).status_code == 404
    assert client.get(reverse("deals:new", kwargs={"listing_code": "CT-TO-2099-99999"})).status_code == 404


def test_inquiry_without_an_organisation_points_to_registration(client, parties):
    from techex.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    page = text(client.get(new_url(parties.listing)))
    assert reverse("organizations:create") in page and "<textarea" not in page


# --- the listing page's entry point ----------------------------------------------------------------------------------


def test_listing_page_invites_members_of_other_organisations(client, parties):
    client.force_login(parties.inquirer)
    page = text(client.get(parties.listing.get_absolute_url()))
    assert new_url(parties.listing) in page and "Express interest" in page


def test_listing_page_links_to_the_open_deal(client, parties, inquiry):
    client.force_login(parties.inquirer)
    page = text(client.get(parties.listing.get_absolute_url()))
    assert inquiry.get_absolute_url() in page and new_url(parties.listing) not in page


def test_listing_page_has_no_invitation_for_its_owners_and_asks_visitors_to_sign_in(client, parties):
    client.force_login(parties.owner)
    assert new_url(parties.listing) not in text(client.get(parties.listing.get_absolute_url()))
    client.logout()
    page = text(client.get(parties.listing.get_absolute_url()))
    assert new_url(parties.listing) not in page
    assert "To express interest in this listing, sign in first." in page


def test_the_deal_page_in_vietnamese_writes_amounts_the_vietnamese_way(client, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(parties.owner)
    page = text(client.get(deal.get_absolute_url()))
    assert '<html lang="vi">' in page
    assert "750.000.000 ₫" in page  # the agreed value
    assert 'value="750.000.000"' in page  # the contract form, pre-filled from the agreed terms
