"""The departments' public pages in Chromium on a 360 px phone: in Vietnamese, and nothing scrolls sideways."""

from techex.departments.tests.factories import make_partner
from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

from .test_journeys import assert_fits_phone


def test_department_pages_fit_a_phone_in_vietnamese(
    new_phone_page, live_server, settings, reference_data, owner, staff
):
    ca_mau = make_partner("ca-mau")
    organization = OrganizationFactory(name="Công ty Cổ phần Thủy sản Sao Biển Tây Năm Căn Cà Mau", province_id="96")
    MembershipFactory(user=owner, organization=organization)
    make_published(user=owner, organization=organization, staff=staff, province=Province.objects.get(pk="96"))
    page = new_phone_page()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi", "url": live_server.url}])
    page.goto("/so-khcn/")
    assert page.locator("h1").inner_text() == "Các sở khoa học và công nghệ"
    assert_fits_phone(page)
    page.get_by_role("link", name=ca_mau.name).first.click()
    page.wait_for_url(f"**{ca_mau.get_absolute_url()}")
    assert "Tổ chức tại Cà Mau" in page.content()
    assert_fits_phone(page)
