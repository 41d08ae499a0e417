"""Departments, public face (issue 17): a listing's and an organisation's page name the department that moderated
it, linked to the department's page; stored rows get it from the audit trail."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from techex.accounts.tests.factories import StaffFactory
from techex.departments.migration_helpers import backfill_moderated_by
from techex.departments.models import Department
from techex.departments.services import route
from techex.departments.tests.factories import make_partner, make_staff
from techex.listings.models import Listing
from techex.listings.services import NewListing, listings_bulk_create
from techex.listings.tests.factories import make_published, offer_data
from techex.organizations.models import Organization
from techex.organizations.services import organization_verify
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_giang(reference_data):
    return make_partner("an-giang")


@pytest.fixture
def ag_org(owner, an_giang):
    organization = OrganizationFactory(name="Hợp tác xã Lúa Thoại Sơn", province_id="91")
    route(obj=organization)
    MembershipFactory(user=owner, organization=organization)
    return organization


def _lead() -> Department:
    return Department.objects.get(is_lead=True)


def test_a_listing_names_the_partner_department_that_published_it(client, an_giang, ag_org, owner):
    listing = make_published(
        user=owner, organization=ag_org, staff=make_staff(an_giang), province=Province.objects.get(pk="91")
    )
    assert listing.moderated_by_department == an_giang
    html = client.get(listing.get_absolute_url()).content.decode()
    assert f'<a href="{an_giang.get_absolute_url()}">{escape(an_giang.label)}</a>' in html


def test_lead_staff_acting_on_a_partners_queue_leave_the_leads_name(client, an_giang, ag_org, owner):
    listing = make_published(
        user=owner, organization=ag_org, staff=StaffFactory(), province=Province.objects.get(pk="91")
    )
    # The item stays routed to An Giang; the lead acted, so the lead's name is on it.
    assert listing.department == an_giang and listing.moderated_by_department == _lead()
    html = client.get(listing.get_absolute_url()).content.decode()
    assert _lead().get_absolute_url() in html and an_giang.get_absolute_url() not in html


def test_an_inactive_departments_name_shows_without_a_link(client, an_giang, ag_org, owner):
    listing = make_published(user=owner, organization=ag_org, staff=make_staff(an_giang))
    Department.objects.filter(pk=an_giang.pk).update(is_active=False)
    html = client.get(listing.get_absolute_url()).content.decode()
    assert escape(an_giang.label) in html and an_giang.get_absolute_url() not in html


def test_a_verified_organisation_names_the_department_that_verified_it(client, an_giang, ag_org):
    organization_verify(organization=ag_org, user=make_staff(an_giang))
    ag_org.refresh_from_db()
    assert ag_org.moderated_by_department == an_giang
    html = client.get(reverse("organizations:detail", args=[ag_org.slug])).content.decode()
    assert f'<a href="{an_giang.get_absolute_url()}">{escape(an_giang.label)}</a>' in html


def test_the_detail_pages_pay_no_query_for_the_department(client, an_giang, ag_org, owner, count_queries):
    listing = make_published(user=owner, organization=ag_org, staff=make_staff(an_giang))
    Listing.objects.filter(pk=listing.pk).update(moderated_by_department=None)
    client.get(listing.get_absolute_url())  # the first view of a page does one-off work (the view count)
    with count_queries() as without:
        client.get(listing.get_absolute_url())
    Listing.objects.filter(pk=listing.pk).update(moderated_by_department=an_giang)
    with count_queries() as with_department:
        client.get(listing.get_absolute_url())
    assert len(with_department) == len(without)


def test_an_import_published_at_once_names_the_importers_department(an_giang, ag_org, owner):
    place = Province.objects.get(pk="91")
    items = [
        NewListing(kind="offer", organization=ag_org, data=offer_data(title=f"Máy sấy {n}", province=place))
        for n in range(2)
    ]
    listings = listings_bulk_create(user=make_staff(an_giang), items=items, publish=True)
    assert {x.moderated_by_department_id for x in Listing.objects.filter(pk__in=[x.pk for x in listings])} == {
        an_giang.pk
    }


def test_the_data_migration_reads_the_department_that_acted_from_the_audit_trail(an_giang, ag_org, owner):
    by_partner = make_published(user=owner, organization=ag_org, staff=make_staff(an_giang))
    by_lead = make_published(user=owner, organization=ag_org, staff=StaffFactory())
    by_superuser = make_published(user=owner, organization=ag_org, staff=make_staff(an_giang, is_superuser=True))
    organization_verify(organization=ag_org, user=make_staff(an_giang))
    unaudited = OrganizationFactory(province_id="91", verification_status="verified")
    Organization.objects.filter(pk=unaudited.pk).update(department=an_giang)
    Listing.objects.update(moderated_by_department=None)
    Organization.objects.update(moderated_by_department=None)

    backfill_moderated_by(
        apps, model="listings.Listing", action="listing.publish", moderated={"published_at__isnull": False}
    )
    backfill_moderated_by(
        apps,
        model="organizations.Organization",
        action="organization.verify",
        moderated={"verification_status": "verified"},
    )

    moderated = dict(Listing.objects.values_list("pk", "moderated_by_department_id"))
    assert moderated[by_partner.pk] == an_giang.pk
    assert moderated[by_lead.pk] == _lead().pk
    assert moderated[by_superuser.pk] == _lead().pk  # a superuser acts as lead staff
    orgs = dict(Organization.objects.values_list("pk", "moderated_by_department_id"))
    assert orgs[ag_org.pk] == an_giang.pk
    assert orgs[unaudited.pk] == an_giang.pk  # no audit entry: the department whose queue it was in
