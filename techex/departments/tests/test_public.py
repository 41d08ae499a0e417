"""The departments' public pages."""

import pytest
from django.urls import reverse

from techex.departments.models import Department
from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

from .factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def ca_mau(reference_data):
    return make_partner("ca-mau")


def test_the_list_shows_the_departments_and_the_regions_provinces(client, ca_mau, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("departments:list")).content.decode()
    assert "Sở Khoa học và Công nghệ thành phố Cần Thơ" in html and "Sở KH&amp;CN ca-mau" in html
    assert "Các tỉnh, thành trong vùng" in html
    for province in ("Cà Mau", "Vĩnh Long", "Tây Ninh", "Đồng Tháp", "An Giang"):
        assert province in html
    assert f'href="{ca_mau.get_absolute_url()}"' in html


def test_the_vietnamese_address_leads_to_the_list(client, reference_data):
    response = client.get("/so-khcn/")
    assert response.status_code == 302 and response["Location"] == reverse("departments:list")


def test_a_department_page_shows_its_provinces_listings_and_organisations(client, ca_mau, owner, staff):
    organization = OrganizationFactory(name="Công ty Tôm Năm Căn", province_id="96")
    MembershipFactory(user=owner, organization=organization)
    make_published(user=owner, organization=organization, staff=staff, province=Province.objects.get(pk="96"))
    elsewhere = OrganizationFactory(name="Công ty Cần Thơ", province_id="92")
    response = client.get(ca_mau.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công ty Tôm Năm Căn" in html and "Công ty Cần Thơ" not in html
    assert response.context["listing_count"] == 1 and response.context["organization_count"] == 1
    assert elsewhere.name not in html


def test_the_leads_page_lists_the_provinces_it_serves(client, ca_mau):
    lead = Department.objects.get(is_lead=True)
    served = [p.pk for p in client.get(lead.get_absolute_url()).context["served"]]
    assert "92" in served and "80" in served and "96" not in served


@pytest.mark.parametrize("code", ["khong-co", "ca-mau"])
def test_unknown_and_inactive_departments_answer_404(client, ca_mau, code):
    Department.objects.filter(pk=ca_mau.pk).update(is_active=False)
    assert client.get(reverse("departments:detail", kwargs={"code": code})).status_code == 404


def test_the_department_page_query_count_does_not_grow(client, ca_mau, owner, staff, count_queries):
    organization = OrganizationFactory(province_id="96")
    MembershipFactory(user=owner, organization=organization)
    url = ca_mau.get_absolute_url()

    def count() -> int:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_published(user=owner, organization=organization, staff=staff, province=Province.objects.get(pk="96"))
    few = count()
    for n in range(3):
        make_published(
            user=owner, organization=organization, staff=staff, province=Province.objects.get(pk="96"), title=f"T{n}"
        )
    OrganizationFactory.create_batch(3, province_id="96")
    assert count() == few <= 10


def test_a_department_page_lists_its_provinces_events(client, ca_mau, staff, settings):
    from techex.events.tests.factories import make_event

    make_event(user=staff, title="Ngày hội công nghệ tôm Cà Mau", province="96")
    make_event(user=staff, title="Techmart Cần Thơ", province="92")
    make_event(user=staff, title="Bản nháp Cà Mau", province="96", publish=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(ca_mau.get_absolute_url()).content.decode()
    assert "Sự kiện tại Cà Mau" in html
    assert "Ngày hội công nghệ tôm Cà Mau" in html
    assert "Techmart Cần Thơ" not in html and "Bản nháp Cà Mau" not in html
    assert f'href="{reverse("events:list")}?province=96"' in html
