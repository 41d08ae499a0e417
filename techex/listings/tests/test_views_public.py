"""The public pages: browsing, a listing's page and its files, for every kind of visitor."""

import pytest
from django.urls import reverse

from techex.listings import services
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing, make_published
from techex.listings.tests.uploads import pdf_upload, png_upload
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

BROWSE = reverse("listings:browse")
# The browse page's queries: the count, the page of listings, their fields and images, the facets' counts (kind,
# field and its labels, province, TRL, IP, transfer form, organisation type), and for a signed-in user the session,
# the user, their memberships and the notification bell's count. A field filter adds two: the form checks the code,
# the facet counts the field.
BROWSE_BUDGET = 16
FIELD_FILTER_QUERIES = 2


def detail_url(listing) -> str:
    return reverse("listings:detail", kwargs={"reference_code": listing.reference_code})


def page_text(response) -> str:
    return response.content.decode()


# --- browse ------------------------------------------------------------------------------------------------------


def test_browse_shows_live_listings_only(client, published_offer, owner, org):
    draft = make_listing(user=owner, organization=org, title="Bản nháp chưa duyệt")
    response = client.get(BROWSE)
    assert response.status_code == 200
    assert published_offer.title in page_text(response)
    assert draft.title not in page_text(response)
    assert "1 listing" in page_text(response)


def test_browse_filters(client, reference_data, owner, org, staff):
    from techex.reference.models import Province

    offer = make_published(
        user=owner,
        organization=org,
        staff=staff,
        title="Máy bóc vỏ dừa",
        trl=8,
        province=Province.objects.get(code="92"),
        ip_type="patent",
    )
    need = make_published(user=owner, organization=org, staff=staff, kind="need", title="Cần máy lọc nước mặn")

    def titles(**params) -> str:
        return page_text(client.get(BROWSE, params))

    assert offer.title in titles(kind="offer") and need.title not in titles(kind="offer")
    assert need.title in titles(kind="need") and offer.title not in titles(kind="need")
    assert offer.title in titles(province="92") and need.title not in titles(province="92")
    assert offer.title in titles(ip_type="patent") and need.title not in titles(ip_type="patent")
    assert offer.title in titles(trl="8")
    assert offer.title not in titles(trl="9")
    assert offer.title in titles(field="4") and offer.title in titles(field="402")
    assert offer.title not in titles(field="1")
    assert offer.title in titles(transfer_form="technical_service")
    assert offer.title not in titles(transfer_form="exclusive_licence")


def test_browse_ignores_malformed_filters(client, published_offer):
    response = client.get(BROWSE, {"trl": "abc", "kind": "<script>", "province": "x" * 500, "page": "-1"})
    assert response.status_code == 200
    assert published_offer.title in page_text(response)
    assert "<script>" not in page_text(response)


def test_browse_htmx_returns_results_partial(client, published_offer):
    response = client.get(BROWSE, {"kind": "offer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in page_text(response)
    assert published_offer.title in page_text(response)
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    restore = client.get(BROWSE, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in page_text(restore)


def test_browse_paginates_by_twenty(client, reference_data, owner, org, staff):
    for n in range(25):
        make_published(user=owner, organization=org, staff=staff, title=f"Công nghệ số {n:02d}")
    first = page_text(client.get(BROWSE))
    second = page_text(client.get(BROWSE, {"page": 2}))
    assert first.count('class="card listing-card"') == 20
    assert second.count('class="card listing-card"') == 5
    assert "Page 1 of 2" in first and "25 listings" in first
    assert "Công nghệ số 00" in second and "Công nghệ số 24" in first


def _publish_many(n, *, staff, start=0):
    """Listings of as many organisations, every third anonymous, each with an image."""
    for i in range(start, start + n):
        member = MembershipFactory(organization=OrganizationFactory()).user
        listing = make_listing(
            user=member, organization=member.memberships.get().organization, title=f"Tin {i}", is_anonymous=i % 3 == 0
        )
        services.attachment_add(listing=listing, user=member, file=png_upload(), kind="image")
        services.listing_submit(listing=listing, user=member)
        services.listing_publish(listing=listing, user=staff)


@pytest.mark.parametrize("signed_in", [False, True])
def test_browse_query_count_does_not_grow_with_rows(
    client, reference_data, staff, outsider, signed_in, django_assert_max_num_queries, count_queries
):
    def count(url, params=None) -> int:
        with count_queries() as queries:
            response = client.get(url, params or {})
        assert response.status_code == 200
        return len(queries)

    if signed_in:
        client.force_login(outsider)
    _publish_many(10, staff=staff)
    with_ten = count(BROWSE)
    _publish_many(15, staff=staff, start=10)
    assert Listing.objects.live().count() == 25
    with django_assert_max_num_queries(BROWSE_BUDGET):
        with_twenty = count(BROWSE)
    with_filter = count(BROWSE, {"field": "4", "kind": "offer"})
    assert with_ten == with_twenty == with_filter - FIELD_FILTER_QUERIES


# --- detail ------------------------------------------------------------------------------------------------------


def test_draft_detail_only_for_owner_and_staff(client, offer, owner, outsider, staff):
    assert client.get(detail_url(offer)).status_code == 404
    client.force_login(outsider)
    assert client.get(detail_url(offer)).status_code == 404
    for user in (owner, staff):
        client.force_login(user)
        response = client.get(detail_url(offer))
        assert response.status_code == 200
        assert offer.title in page_text(response)
        assert "Draft" in page_text(response)


def test_missing_listing_is_404(client, db):
    assert client.get(reverse("listings:detail", kwargs={"reference_code": "CT-TO-2026-99999"})).status_code == 404


def test_published_detail_shows_fields_with_labels(client, published_offer):
    response = client.get(detail_url(published_offer))
    text = page_text(response)
    assert response.status_code == 200
    assert published_offer.title in text and published_offer.reference_code in text
    assert "Technology offer" in text
    assert "TRL 7" in text
    assert "Non-exclusive licence, Technical service" in text
    assert "Negotiable" in text
    assert published_offer.organization.name in text
    assert "sấy lúa, tầng sôi, trấu" in text
    # Visitors get no management panel.
    assert "Manage this listing" not in text and "Withdraw" not in text


def test_detail_formats_vnd_prices(client, reference_data, owner, org, staff):
    need = make_published(user=owner, organization=org, staff=staff, kind="need")
    text = page_text(client.get(detail_url(need)))
    assert "100,000,000 ₫ to 500,000,000 ₫" in text
    assert "Budget" in text


def test_vietnamese_pages_group_thousands_with_dots(client, reference_data, owner, org, staff):
    from django.conf import settings

    need = make_published(user=owner, organization=org, staff=staff, kind="need")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    for url in (detail_url(need), BROWSE):
        response = client.get(url)
        assert response["Content-Language"] == "vi"
        assert "100.000.000 ₫" in page_text(response)


def test_detail_counts_one_view_per_session(client, published_offer, owner):
    client.get(detail_url(published_offer))
    client.get(detail_url(published_offer))
    published_offer.refresh_from_db()
    assert published_offer.view_count == 1
    other = client.__class__()
    other.get(detail_url(published_offer))
    published_offer.refresh_from_db()
    assert published_offer.view_count == 2
    # The owners' own visits are not counted.
    client.force_login(owner)
    client.get(detail_url(published_offer))
    published_offer.refresh_from_db()
    assert published_offer.view_count == 2


def test_anonymous_listing_hides_organisation(client, reference_data, owner, org, staff, outsider):
    listing = make_published(user=owner, organization=org, staff=staff, is_anonymous=True)
    for user in (None, outsider):
        if user:
            client.force_login(user)
        text = page_text(client.get(detail_url(listing)))
        assert org.name not in text
        assert "Anonymous organisation" in text
        assert org.name not in page_text(client.get(BROWSE))
    for user in (owner, staff):
        client.force_login(user)
        assert org.name in page_text(client.get(detail_url(listing)))


def test_html_is_stored_as_text_and_escaped(client, reference_data, owner, org, staff):
    listing = make_published(
        user=owner,
        organization=org,
        staff=staff,
        title="<script>alert('x')</script> Máy sấy",
        description="<b>đậm</b>\n<img src=x onerror=alert(1)>",
    )
    assert listing.title.startswith("<script>")
    for url in (detail_url(listing), BROWSE):
        text = page_text(client.get(url))
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>đậm" not in text
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "&lt;b&gt;đậm&lt;/b&gt;" in page_text(client.get(detail_url(listing)))


def test_owner_and_staff_see_status_note_and_actions(client, published_offer, owner, staff):
    services.listing_update(listing=published_offer, user=owner, data={"title": "Tiêu đề mới chờ duyệt"})
    client.force_login(owner)
    text = page_text(client.get(detail_url(published_offer)))
    assert "Awaiting review" in text
    assert "A revision of this listing is awaiting review" in text
    assert "Withdraw" in text and reverse("listings:edit_step", args=[published_offer.reference_code, "basics"]) in text
    client.force_login(staff)
    text = page_text(client.get(detail_url(published_offer)))
    assert reverse("listings:review", args=[published_offer.reference_code]) in text


def test_review_note_shown_to_owner(client, offer, owner, staff):
    services.listing_submit(listing=offer, user=owner)
    services.listing_request_changes(listing=offer, user=staff, note="Bổ sung hình ảnh thực tế.")
    client.force_login(owner)
    text = page_text(client.get(detail_url(offer)))
    assert "Changes requested" in text and "Bổ sung hình ảnh thực tế." in text


# --- files -------------------------------------------------------------------------------------------------------


@pytest.fixture
def files(published_offer, owner, staff):
    """A public image, a public document and a confidential document, approved by publishing a revision."""
    image = services.attachment_add(
        listing=published_offer, user=owner, file=png_upload(), kind="image", caption="Ảnh máy"
    )
    public_doc = services.attachment_add(
        listing=published_offer, user=owner, file=pdf_upload("Tờ rơi.pdf"), kind="document"
    )
    secret = services.attachment_add(
        listing=published_offer,
        user=owner,
        file=pdf_upload("Bản vẽ kỹ thuật.pdf"),
        kind="document",
        is_confidential=True,
    )
    services.listing_revise(listing=published_offer, user=owner)
    services.listing_publish(listing=published_offer, user=staff)
    return {"image": image, "public": public_doc, "secret": secret}


def _get_file(client, attachment):
    response = client.get(attachment.get_absolute_url())
    if response.status_code == 200:
        response.body = b"".join(response.streaming_content)
    return response


def test_public_image_served_inline_with_its_type(client, files):
    response = _get_file(client, files["image"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert response.body.startswith(b"\x89PNG")


def test_public_document_served_as_attachment(client, files):
    response = _get_file(client, files["public"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "T%E1%BB%9D%20r%C6%A1i.pdf" in response["Content-Disposition"]
    assert response.body.startswith(b"%PDF-")


def test_confidential_document_only_for_owner_and_staff(client, files, owner, staff, outsider):
    assert _get_file(client, files["secret"]).status_code == 404
    client.force_login(outsider)
    assert _get_file(client, files["secret"]).status_code == 404
    for user in (owner, staff):
        client.force_login(user)
        response = _get_file(client, files["secret"])
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_detail_lists_confidential_document_without_link(client, files, published_offer):
    text = page_text(client.get(detail_url(published_offer)))
    assert "Bản vẽ kỹ thuật.pdf" in text
    assert "available after an NDA" in text
    assert files["secret"].get_absolute_url() not in text
    assert files["public"].get_absolute_url() in text
    assert files["image"].get_absolute_url() in text


def test_unapproved_file_of_live_listing_hidden_from_visitors(client, published_offer, owner):
    pending = services.attachment_add(listing=published_offer, user=owner, file=png_upload(), kind="image")
    assert not pending.is_approved
    assert _get_file(client, pending).status_code == 404
    assert pending.get_absolute_url() not in page_text(client.get(detail_url(published_offer)))
    client.force_login(owner)
    assert _get_file(client, pending).status_code == 200


def test_draft_files_hidden_from_visitors(client, offer, owner, outsider):
    image = services.attachment_add(listing=offer, user=owner, file=png_upload(), kind="image")
    assert _get_file(client, image).status_code == 404
    client.force_login(outsider)
    assert _get_file(client, image).status_code == 404


def test_unknown_file_token_is_404(client, db):
    assert client.get(reverse("listings:attachment", kwargs={"token": "0" * 32})).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/listings/CT-TO-2026-0%00/",
        "/listings/CT-TO-2026-0%00/preview/",
        "/listings/CT-TO-2026-0%00/edit/content/",
        "/listings/files/ab%00cd/",
        "/listings/staff/review/CT%00/",
        "/listings/export.cs%00v",
    ],
)
def test_odd_characters_in_an_address_are_not_found(client, staff, path):
    # PostgreSQL refuses a NUL in a query outright: such addresses must not reach the database.
    client.force_login(staff)
    assert client.get(path).status_code == 404
