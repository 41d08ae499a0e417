"""``robots.txt`` points to ``sitemap.xml``, whose sections list every public page and nothing else."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from techex.events.tests.factories import make_event
from techex.listings import services as listing_services
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.choices import VerificationStatus
from techex.organizations.tests.factories import OrganizationFactory
from techex.services.tests.factories import make_category, make_provider

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
    return [element.text or "" for element in root.iter(f"{SITEMAP}loc")]


def section(name: str) -> str:
    return reverse("sitemap_section", kwargs={"section": name})


def test_robots_txt_keeps_crawlers_out_of_private_parts_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for private in ("/admin/", "/api/", "/me/", "/deals/", "/listings/staff/"):
        assert f"Disallow: {private}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_index_names_every_section(client):
    found = locations(client, "/sitemap.xml")
    names = ("pages", "listings", "organizations", "events", "services", "departments")
    assert found == [f"http://testserver{section(name)}" for name in names]


def test_listings_section_has_live_listings_only(client, owner, org, staff, published_offer):
    draft = make_listing(user=owner, organization=org, title="Bản nháp")
    withdrawn = make_published(user=owner, organization=org, staff=staff, title="Đã rút")
    listing_services.listing_withdraw(listing=withdrawn, user=owner)
    found = locations(client, section("listings"))
    assert found == [f"http://testserver{published_offer.get_absolute_url()}"]
    assert draft.get_absolute_url() not in str(found)


def test_organisations_section_leaves_out_refused_profiles(client, reference_data):
    shown = OrganizationFactory(name="Viện Lúa")
    refused = OrganizationFactory(name="Hồ sơ bị từ chối", verification_status=VerificationStatus.REJECTED)
    found = locations(client, section("organizations"))
    assert f"http://testserver{shown.get_absolute_url()}" in found
    assert f"http://testserver{refused.get_absolute_url()}" not in found


def test_events_and_services_sections_have_public_ones_only(client, reference_data):
    published = make_event(title="Techmart Cần Thơ")
    draft = make_event(title="Hội thảo nháp", publish=False)
    events = locations(client, section("events"))
    assert f"http://testserver{published.get_absolute_url()}" in events
    assert f"http://testserver{draft.get_absolute_url()}" not in events
    category = make_category()
    provider, _admin = make_provider(category=category)
    services = locations(client, section("services"))
    assert f"http://testserver{category.get_absolute_url()}" in services
    assert f"http://testserver{provider.get_absolute_url()}" in services


def test_pages_section_and_an_unknown_section(client):
    assert f"http://testserver{reverse('listings:browse')}" in locations(client, section("pages"))
    assert client.get(section("secrets")).status_code == 404
    assert client.get(section("listings") + "?p=abc").status_code == 404
