"""The Matches panel of a listing, opening a match, the staff's activity page.

The match alert threshold is a form of the saved-searches page: techex/alerts/tests/test_views.py."""

import pytest
from django.urls import reverse

from techex.deals.services import deal_inquire
from techex.deals.tests.factories import inquiry_data
from techex.listings import services as listing_services
from techex.listings.tests.uploads import pdf_upload
from techex.matching.models import Match
from techex.matching.services import match_listing
from techex.organizations.tests.factories import OrganizationFactory
from techex.reference.models import Province

from .factories import member_of
from .factories import publish_plain as publish

pytestmark = pytest.mark.django_db

# The listing, its fields and images (the page's selector), the matches with their other listing, and the
# provinces and fields the reasons name; for a signed-in user the session, the user and their memberships.
PANEL_BUDGET = 9


def panel_url(listing) -> str:
    return reverse("matching:listing_matches", kwargs={"reference_code": listing.reference_code})


def open_url(listing, counterpart) -> str:
    return reverse(
        "matching:open",
        kwargs={"reference_code": listing.reference_code, "counterpart_code": counterpart.reference_code},
    )


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def can_tho(reference_data):
    return Province.objects.get(code="92")


@pytest.fixture
def need(staff, can_tho):
    return publish(
        staff,
        kind="need",
        title="Cần máy sấy lúa cho hợp tác xã",
        summary="Hợp tác xã cần máy sấy lúa tầng sôi, đốt trấu, 10 tấn mỗi mẻ.",
        description="Thay sân phơi lúa; sấy lúa sau thu hoạch.",
        keywords=["sấy lúa", "trấu"],
        min_trl=5,
        province=can_tho,
    )


@pytest.fixture
def offer(staff, can_tho):
    return publish(staff, province=can_tho, trl=7)


@pytest.fixture
def match(need, offer):
    match_listing(listing=need, notify_owners=False)
    return Match.objects.get(need=need, offer=offer)


def owner_of(listing):
    return listing.organization.memberships.get().user


# --- the panel ---------------------------------------------------------------------------------------------------


def test_the_listing_page_loads_the_panel_with_htmx(client, need):
    page = text(client.get(need.get_absolute_url()))
    assert f'hx-get="{panel_url(need)}"' in page
    assert "Offers that could meet this need" in page


def test_a_listing_that_is_not_live_has_no_panel(client, staff):
    member = member_of()
    from techex.listings.tests.factories import make_listing

    draft = make_listing(user=member, organization=member.memberships.get().organization)
    client.force_login(member)
    assert panel_url(draft) not in text(client.get(draft.get_absolute_url()))


def test_visitors_see_each_match_with_its_score_and_reasons(client, need, offer, match):
    response = client.get(panel_url(need), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page  # a fragment for htmx
    assert offer.title in page
    assert f"{match.score}/100" in page
    assert f'<rect width="{match.score}" height="1"/>' in page  # the score bar, drawn without a style attribute
    assert "Same province: Can Tho" in page
    assert "TRL 7 meets the required 5" in page
    assert open_url(need, offer) in page
    # The other side sees the same match from its listing.
    assert need.title in text(client.get(panel_url(offer), HTTP_HX_REQUEST="true"))


def test_without_htmx_the_panel_is_a_page(client, need, match):
    page = text(client.get(panel_url(need)))
    assert "<html" in page and "Offers that could meet this need" in page


def test_a_listing_without_matches_says_so(client, offer, staff):
    lonely = publish(staff, kind="need", title="Cần giống xoài cát Hòa Lộc", summary="Cây giống xoài.", keywords=[])
    match_listing(listing=lonely, notify_owners=False)
    assert "No published offer matches this need yet." in text(client.get(panel_url(lonely), HTTP_HX_REQUEST="true"))


def test_the_panel_of_a_listing_nobody_may_see_is_not_found(client, staff):
    member = member_of()
    from techex.listings.tests.factories import make_listing

    draft = make_listing(user=member, organization=member.memberships.get().organization)
    assert client.get(panel_url(draft)).status_code == 404
    assert client.get("/matching/listing/CT-XX-0000-00000/").status_code == 404


def test_a_withdrawn_counterpart_is_shown_to_staff_only(client, need, offer, match, staff):
    listing_services.listing_withdraw(listing=offer, user=owner_of(offer))  # the recompute runs after commit
    assert offer.title not in text(client.get(panel_url(need), HTTP_HX_REQUEST="true"))
    client.force_login(owner_of(need))
    assert offer.title not in text(client.get(panel_url(need), HTTP_HX_REQUEST="true"))
    client.force_login(staff)
    page = text(client.get(panel_url(need), HTTP_HX_REQUEST="true"))
    assert offer.title in page and "Withdrawn" in page
    assert reverse("matching:staff_activity", kwargs={"reference_code": need.reference_code}) in page


def test_no_confidential_text_in_the_panel(client, need, staff, can_tho):
    hidden = OrganizationFactory(name="Viện Công Nghệ Kín Đáo")
    secret = publish(staff, organization=hidden, is_anonymous=True, province=can_tho, trl=6)
    owner = owner_of(secret)
    listing_services.attachment_add(
        listing=secret,
        user=owner,
        file=pdf_upload("ban-ve-mat.pdf"),
        kind="document",
        is_confidential=True,
        caption="Bản vẽ sấy lúa tuyệt mật",
    )
    listing_services.listing_update(listing=secret, user=owner, data={"title": "Sấy lúa: tiêu đề chưa được duyệt"})
    match_listing(listing=need, notify_owners=False)
    assert Match.objects.filter(need=need, offer=secret).exists()
    for viewer in (None, owner_of(need)):
        if viewer:
            client.force_login(viewer)
        page = text(client.get(panel_url(need), HTTP_HX_REQUEST="true"))
        assert secret.title in page and "Anonymous organisation" in page
        for leaked in ("Kín Đáo", "tuyệt mật", "ban-ve-mat", "chưa được duyệt"):
            assert leaked not in page


def test_the_panel_costs_the_same_queries_for_more_matches(client, need, offer, match, staff, can_tho, count_queries):
    with count_queries() as one:
        client.get(panel_url(need), HTTP_HX_REQUEST="true")
    # Unrelated listings keep the shared words rare, as they are on a real exchange.
    for topic in ("xoài cát", "cá tra", "nước mặn", "phân bón", "năng lượng mặt trời", "mật ong", "dừa sáp"):
        publish(staff, kind="need", title=f"Cần công nghệ {topic}", summary=f"Công nghệ {topic}.", keywords=[topic])
    for n in range(3):
        publish(staff, province=can_tho, trl=8, title=f"Máy sấy lúa đốt trấu mẫu {n}")
    match_listing(listing=need, notify_owners=False)
    assert Match.objects.filter(need=need).count() == 4
    with count_queries() as four:
        client.get(panel_url(need), HTTP_HX_REQUEST="true")
    assert len(four) == len(one) <= PANEL_BUDGET


# --- opening a match ---------------------------------------------------------------------------------------------


def test_opening_a_match_from_the_panel_records_that_the_owner_side_looked(client, need, offer, match):
    client.force_login(owner_of(need))
    response = client.get(open_url(need, offer))
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    match.refresh_from_db()
    assert match.need_viewed_at is not None and match.offer_viewed_at is None
    first = match.need_viewed_at
    client.get(open_url(need, offer))
    match.refresh_from_db()
    assert match.need_viewed_at == first  # the first time counts


def test_visitors_and_third_parties_open_without_recording(client, need, offer, match):
    assert client.get(open_url(need, offer))["Location"] == offer.get_absolute_url()
    client.force_login(member_of())
    client.get(open_url(need, offer))
    client.force_login(owner_of(offer))  # a member of the offer's side opening the offer from the need's panel
    client.get(open_url(need, offer))
    match.refresh_from_db()
    assert match.need_viewed_at is None and match.offer_viewed_at is None


def test_opening_a_listing_one_may_not_see_is_not_found(client, need, offer, match):
    listing_services.listing_withdraw(listing=offer, user=owner_of(offer))
    client.force_login(owner_of(need))
    assert client.get(open_url(need, offer)).status_code == 404


# --- staff: what the parties did ---------------------------------------------------------------------------------


def test_staff_see_idle_matches_then_views_and_deals(client, need, offer, match, staff):
    url = reverse("matching:staff_activity", kwargs={"reference_code": need.reference_code})
    client.force_login(staff)
    page = text(client.get(url))
    assert offer.title in page and f"{match.score}/100" in page
    assert "idle" in page and "not yet" in page and "none" in page

    client.force_login(owner_of(offer))
    client.get(open_url(offer, need))
    inquirer = owner_of(need)
    deal = deal_inquire(user=inquirer, listing=offer, organization=need.organization, **inquiry_data())

    client.force_login(staff)
    page = text(client.get(url))
    assert deal.reference_code in page and "Inquiry" in page
    assert 'class="badge idle"' not in page
    assert f"{offer.organization.name} opened this listing" in page


def test_the_activity_page_is_for_staff_only(client, need, match):
    url = reverse("matching:staff_activity", kwargs={"reference_code": need.reference_code})
    assert client.get(url).status_code == 404
    client.force_login(owner_of(need))
    assert client.get(url).status_code == 404
