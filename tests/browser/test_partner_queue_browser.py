"""A partner department's staff member at work on a 360 px phone (issue 17's "done when"): they sign in, see only
their province's review queue, publish a listing from it, and another province's listing answers 404."""

from playwright.sync_api import Page, expect

from techex.accounts.tests.factories import UserFactory
from techex.departments.tests.factories import make_partner, make_staff
from techex.listings import services
from techex.listings.choices import ListingStatus
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing
from techex.organizations.services import organization_create
from techex.reference.models import Province

from .test_deals_journey import sign_in
from .test_journeys import assert_fits_phone


def _submitted(province_code: str, title: str) -> Listing:
    owner = UserFactory()
    province = Province.objects.get(pk=province_code)
    organization = organization_create(
        user=owner, data={"name": f"Hợp tác xã Nông nghiệp {title[:24]}", "type": "cooperative", "province": province}
    )
    listing = make_listing(user=owner, organization=organization, province=province, title=title)
    return services.listing_submit(listing=listing, user=owner)


def test_a_partner_publishes_from_their_provinces_queue_on_a_phone(phone_page: Page, reference_data):
    an_giang, _dong_thap = make_partner("an-giang"), make_partner("dong-thap")
    partner = make_staff(an_giang, email="can-bo@sokhcn.angiang.example.vn", full_name="Nguyễn Thị Kiểm Duyệt")
    mine = _submitted("91", "Máy gặt đập liên hợp cỡ nhỏ cho ruộng bậc thang Tri Tôn")
    elsewhere = _submitted("82", "Quy trình nuôi tôm càng xanh toàn đực ở Tháp Mười")
    page = phone_page

    sign_in(page, partner.email)
    page.goto("/listings/staff/review/")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    cards = page.locator("article.listing-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(mine.title)
    expect(page.locator("main")).not_to_contain_text(elsewhere.title)
    expect(page.get_by_role("link", name=f"My queue · {an_giang.name}")).to_be_visible()
    expect(page.get_by_role("link", name="All queues")).to_have_count(0)  # only the lead chooses another queue
    assert_fits_phone(page)

    page.get_by_role("link", name=mine.title).click()
    assert_fits_phone(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text(f"{mine.reference_code} was published.")
    expect(page.locator("article.listing-card")).to_have_count(0)
    assert_fits_phone(page)
    published = Listing.objects.get(pk=mine.pk)
    assert published.status == ListingStatus.PUBLISHED and published.moderated_by_department == an_giang

    # The public page names the department that published it.
    page.goto(mine.get_absolute_url())
    expect(page.get_by_role("link", name=an_giang.name)).to_be_visible()
    assert_fits_phone(page)

    # Another province's listing, not yet public: its review page and its page answer 404, and it stays submitted.
    for url in (f"/listings/staff/review/{elsewhere.reference_code}/", elsewhere.get_absolute_url()):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
    assert Listing.objects.get(pk=elsewhere.pk).status == ListingStatus.SUBMITTED
