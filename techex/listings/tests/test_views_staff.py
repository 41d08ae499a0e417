"""The staff pages: the review queue and the review of new listings and revisions."""

import pytest
from django.urls import reverse

from techex.listings import services
from techex.listings.choices import ListingStatus
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing, make_published
from techex.listings.tests.uploads import png_upload
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("listings:review_queue")
# Session, user, the notification bell's count, the count, the page of listings, their fields and images; since
# departments (issue 17) the staff scope (the user's department and the lead, once per request) and, for lead
# staff, every department's queue with its count (one query).
QUEUE_BUDGET = 9


def review_url(listing) -> str:
    return reverse("listings:review", kwargs={"reference_code": listing.reference_code})


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def submitted(offer, owner):
    return services.listing_submit(listing=offer, user=owner)


@pytest.fixture
def revision(published_offer, owner):
    return services.listing_update(
        listing=published_offer,
        user=owner,
        data={"title": "Máy sấy lúa thế hệ hai", "trl": 8, "transfer_forms": ["assignment"], "price_min": None},
    )


def test_staff_pages_are_404_for_everyone_else(client, submitted, owner, outsider):
    for user in (None, owner, outsider):
        if user:
            client.force_login(user)
        assert client.get(QUEUE).status_code == 404
        assert client.get(review_url(submitted)).status_code == 404
        assert client.post(review_url(submitted), {"decision": "publish"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.SUBMITTED


def test_queue_shows_new_listings_and_revisions(client, staff, submitted, revision, reference_data, owner, org):
    draft = make_listing(user=owner, organization=org, title="Bản nháp không vào hàng đợi")
    client.force_login(staff)
    page = text(client.get(QUEUE))
    assert submitted.title in page and "Máy sấy lúa thế hệ hai" not in page
    assert revision.reference_code in page
    assert draft.title not in page
    assert page.count("Revision of a published listing") == 1 and page.count("New listing") == 1
    assert "2 listings await review" in page


def test_queue_query_count_does_not_grow(client, staff, reference_data, count_queries):
    def add(n: int) -> None:
        for _i in range(n):
            member = MembershipFactory.create(organization=OrganizationFactory.create()).user
            listing = make_listing(user=member, organization=member.memberships.get().organization)
            services.attachment_add(listing=listing, user=member, file=png_upload(), kind="image")
            services.listing_submit(listing=listing, user=member)

    def count() -> int:
        with count_queries() as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries.captured_queries)

    client.force_login(staff)
    add(5)
    with_five = count()
    add(10)
    assert Listing.objects.filter(status="submitted").count() == 15
    assert count() == with_five <= QUEUE_BUDGET


def test_review_of_revision_shows_the_changes(client, staff, revision):
    client.force_login(staff)
    page = text(client.get(review_url(revision)))
    assert "Changes proposed" in page
    assert "<del>Máy sấy lúa tầng sôi tiết kiệm năng lượng</del>" not in page  # a word diff, not the whole line
    assert "<ins>thế</ins>" in page or "<ins>thế hệ hai</ins>" in page
    assert "<del>7</del>" in page and "<ins>8</ins>" in page
    assert "Non-exclusive licence, Technical service" in page and "<ins>Assignment (outright sale)</ins>" in page
    # The listing below the changes is the approved version.
    assert page.count("Máy sấy lúa tầng sôi tiết kiệm năng lượng") >= 1


def test_review_escapes_html_in_the_diff(client, staff, published_offer, owner):
    services.listing_update(listing=published_offer, user=owner, data={"summary": "<script>alert(1)</script>"})
    client.force_login(staff)
    page = text(client.get(review_url(published_offer)))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_publish_from_review(client, staff, submitted):
    client.force_login(staff)
    response = client.post(review_url(submitted), {"decision": "publish"}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert f"{submitted.reference_code} was published." in text(response)
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.PUBLISHED and submitted.is_live


def test_request_changes_needs_a_note(client, staff, submitted):
    client.force_login(staff)
    response = client.post(review_url(submitted), {"decision": "request_changes", "note": "  "})
    assert response.status_code == 200
    assert "Say what the owner should change." in text(response)
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.SUBMITTED
    client.post(review_url(submitted), {"decision": "request_changes", "note": "Bổ sung giá chuyển giao."})
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.CHANGES_REQUESTED and submitted.review_note == "Bổ sung giá chuyển giao."


def test_reject_needs_a_reason(client, staff, submitted):
    client.force_login(staff)
    response = client.post(review_url(submitted), {"decision": "reject", "note": ""})
    assert "Give the reason for the rejection." in text(response)
    client.post(review_url(submitted), {"decision": "reject", "note": "Trùng với tin đã đăng."})
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.REJECTED


def test_rejecting_a_revision_keeps_the_approved_version(client, staff, revision):
    client.force_login(staff)
    client.post(review_url(revision), {"decision": "reject", "note": "Tiêu đề không phù hợp."})
    revision.refresh_from_db()
    assert revision.status == ListingStatus.PUBLISHED and revision.is_live and revision.pending_changes is None
    assert revision.title == "Máy sấy lúa tầng sôi tiết kiệm năng lượng"


def test_decision_on_a_listing_not_awaiting_review_is_an_error_not_a_500(client, staff, offer):
    client.force_login(staff)
    page = text(client.get(review_url(offer)))
    assert "This listing is not awaiting review." in page
    response = client.post(review_url(offer), {"decision": "publish"})
    assert response.status_code == 200
    assert "A listing that is “Draft” cannot be published." in text(response)
    response = client.post(review_url(offer), {"decision": "delete_everything"})
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == ListingStatus.DRAFT


def test_overlong_note_is_a_field_error(client, staff, submitted):
    client.force_login(staff)
    response = client.post(review_url(submitted), {"decision": "reject", "note": "x" * 2500})
    assert "Keep this under 2,000 characters (it has 2,500)." in text(response)
    submitted.refresh_from_db()
    assert submitted.status == ListingStatus.SUBMITTED


def test_staff_sees_new_files_awaiting_approval(client, staff, published_offer, owner):
    attachment = services.attachment_add(listing=published_offer, user=owner, file=png_upload(), kind="image")
    services.listing_revise(listing=published_offer, user=owner)
    client.force_login(staff)
    page = text(client.get(review_url(published_offer)))
    assert "New files awaiting approval" in page
    assert attachment.get_absolute_url() in page
    client.post(review_url(published_offer), {"decision": "publish"})
    attachment.refresh_from_db()
    assert attachment.is_approved


def test_staff_archives_a_withdrawn_listing_from_its_page(client, staff, reference_data, owner, org):
    listing = make_published(user=owner, organization=org, staff=staff)
    services.listing_withdraw(listing=listing, user=owner)
    client.force_login(staff)
    detail = listing.get_absolute_url()
    assert reverse("listings:action", args=[listing.reference_code, "archive"]) in text(client.get(detail))
    response = client.post(reverse("listings:action", args=[listing.reference_code, "archive"]), {"next": detail})
    assert response["Location"] == detail
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ARCHIVED
