"""Routing: every item goes to the queue of its province's department; reassignment is audited and checked.

These tests build organisations, listings and deals (domains above departments) through their services, which
are the callers of route().
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.core.models import AuditEntry
from techex.deals.models import Deal
from techex.deals.tests.factories import deal_parties, make_deal
from techex.departments.models import Department
from techex.departments.scope import can_act
from techex.departments.selectors import department_for_province, lead_department
from techex.departments.services import department_reassign, reroute_stored, route
from techex.listings import services as listing_services
from techex.listings.models import Listing
from techex.listings.services import NewListing
from techex.listings.tests.factories import make_listing, offer_data
from techex.organizations import services as organization_services
from techex.organizations.models import Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

from .factories import PROVINCE_CODES, make_partner, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(reference_data):
    return {code: make_partner(code) for code in PROVINCE_CODES}


@pytest.mark.parametrize("code", sorted(PROVINCE_CODES))
def test_each_partner_province_goes_to_its_department(partners, code):
    assert department_for_province(province_code=PROVINCE_CODES[code]) == partners[code]


def test_the_leads_province_and_provinces_without_a_partner_go_to_the_lead(partners):
    lead = lead_department()
    assert department_for_province(province_code="92") == lead
    assert department_for_province(province_code="80") == lead  # Tây Ninh: Mekong-flagged, no partner
    assert department_for_province(province_code="01") == lead  # Hà Nội
    assert department_for_province(province_code=None) == lead


def test_an_inactive_partners_province_goes_to_the_lead(partners):
    Department.objects.filter(pk=partners["ca-mau"].pk).update(is_active=False)
    assert department_for_province(province_code="96") == lead_department()


def test_a_new_organisation_goes_to_its_provinces_department(partners):
    user = UserFactory()
    organization = organization_services.organization_create(
        user=user, data={"name": "Công ty Tôm Cà Mau", "type": "enterprise", "province": Province.objects.get(pk="96")}
    )
    assert organization.department == partners["ca-mau"]
    assert Organization.objects.get(pk=organization.pk).department == partners["ca-mau"]


def test_a_listing_is_routed_by_its_own_place_before_its_organisations(partners):
    owner = UserFactory()
    organization = OrganizationFactory(province_id="92")
    MembershipFactory(user=owner, organization=organization)
    placed = make_listing(user=owner, organization=organization, province=Province.objects.get(pk="86"))
    unplaced = make_listing(user=owner, organization=organization)
    assert Listing.objects.get(pk=placed.pk).department == partners["vinh-long"]
    assert Listing.objects.get(pk=unplaced.pk).department == lead_department()


def test_a_listing_without_a_place_follows_its_organisations_province(partners):
    owner = UserFactory()
    organization = OrganizationFactory(province_id="82")
    MembershipFactory(user=owner, organization=organization)
    listing = make_listing(user=owner, organization=organization)
    assert Listing.objects.get(pk=listing.pk).department == partners["dong-thap"]


def test_imported_listings_are_routed_in_bulk(partners):
    organization = OrganizationFactory(province_id="91")
    places = (Province.objects.get(pk="96"), None)
    items = [
        NewListing(kind="offer", organization=organization, data=offer_data(title=f"Máy sấy {n}", province=place))
        for n, place in enumerate(places)
    ]
    created = listing_services.listings_bulk_create(user=StaffFactory(), items=items)
    routed = dict(Listing.objects.filter(pk__in=[x.pk for x in created]).values_list("title", "department"))
    assert routed == {"Máy sấy 0": partners["ca-mau"].pk, "Máy sấy 1": partners["an-giang"].pk}


def test_a_deal_follows_its_listings_department(partners):
    parties = deal_parties(province=Province.objects.get(pk="91"))
    assert parties.listing.department == partners["an-giang"]
    deal = make_deal(parties)
    assert Deal.objects.get(pk=deal.pk).department == partners["an-giang"]


def test_in_scope_on_listings_and_deals(partners):
    deal = make_deal(deal_parties(province=Province.objects.get(pk="91")))
    other = make_deal(deal_parties(province=Province.objects.get(pk="92"), title="Quy trình nuôi tôm khác"))
    partner = make_staff(partners["an-giang"])
    assert list(Listing.objects.in_scope(partner)) == [deal.listing]
    assert list(Deal.objects.in_scope(partner)) == [deal]
    assert can_act(partner, deal) and not can_act(partner, other)
    assert set(Deal.objects.in_scope(StaffFactory())) == {deal, other}
    assert not Deal.objects.in_scope(deal_parties_member(deal)).exists()


def deal_parties_member(deal: Deal):
    return deal.inquirer


def test_lead_staff_reassign_an_item_with_an_audit_entry(partners):
    organization = OrganizationFactory(province_id="92")
    route(obj=organization)
    lead_staff = StaffFactory()
    department_reassign(user=lead_staff, obj=organization, department=partners["ca-mau"], reason="  Trụ sở ở Cà Mau ")
    assert Organization.objects.get(pk=organization.pk).department == partners["ca-mau"]
    entry = AuditEntry.objects.filter(action="department.reassign").get()
    assert entry.actor == lead_staff and entry.target_id == str(organization.pk)
    assert entry.data == {"from": lead_department().pk, "to": partners["ca-mau"].pk, "reason": "Trụ sở ở Cà Mau"}


def test_a_partner_hands_over_its_own_items_but_not_others(partners):
    mine = OrganizationFactory(province_id="91")
    other = OrganizationFactory(province_id="96")
    for organization in (mine, other):
        route(obj=organization)
    partner = make_staff(partners["an-giang"])
    department_reassign(user=partner, obj=mine, department=lead_department(), reason="Thuộc Cần Thơ")
    assert Organization.objects.get(pk=mine.pk).department == lead_department()
    with pytest.raises(Http404):
        department_reassign(user=partner, obj=other, department=partners["an-giang"], reason="Của tôi")
    with pytest.raises(Http404):
        department_reassign(user=UserFactory(), obj=other, department=partners["an-giang"], reason="Của tôi")
    assert AuditEntry.objects.filter(action="department.reassign").count() == 1


def test_reassignment_needs_a_reason_and_an_active_other_department(partners):
    organization = OrganizationFactory(province_id="92")
    route(obj=organization)
    staff = StaffFactory()
    with pytest.raises(ValidationError) as error:
        department_reassign(user=staff, obj=organization, department=partners["ca-mau"], reason="   ")
    assert error.value.message_dict == {"reason": ["Say why the item goes to another department."]}
    with pytest.raises(ValidationError, match="already in this department"):
        department_reassign(user=staff, obj=organization, department=lead_department(), reason="Vì sao")
    Department.objects.filter(pk=partners["ca-mau"].pk).update(is_active=False)
    partners["ca-mau"].refresh_from_db()
    with pytest.raises(ValidationError, match="not active"):
        department_reassign(user=staff, obj=organization, department=partners["ca-mau"], reason="Vì sao")


def test_stored_items_move_to_a_partner_that_joins_later(reference_data):
    owner = UserFactory()
    organization = OrganizationFactory(province_id="92")
    MembershipFactory(user=owner, organization=organization)
    placed = make_listing(user=owner, organization=organization, province=Province.objects.get(pk="86"))
    unplaced = make_listing(user=owner, organization=organization)
    assert Listing.objects.get(pk=placed.pk).department == lead_department()
    vinh_long = make_partner("vinh-long")
    organization.province_id = "86"
    organization.save()
    moved = reroute_stored(querysets=[Listing.objects.all()])
    # The placed listing moves; the unplaced one follows its organisation, now in Vĩnh Long, too.
    assert moved == 2
    assert {Listing.objects.get(pk=x.pk).department for x in (placed, unplaced)} == {vinh_long}
