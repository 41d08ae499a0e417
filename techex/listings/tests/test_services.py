"""Every lifecycle transition of a listing, allowed and refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techex.core.models import AuditEntry
from techex.core.services import audit_verify_chain
from techex.listings import services
from techex.listings.choices import ListingStatus
from techex.listings.models import Listing
from techex.listings.selectors import listing_list_public
from techex.listings.tests.factories import make_listing, make_published, need_data, offer_data

pytestmark = pytest.mark.django_db


def test_create_assigns_reference_code_and_folded_search_text(offer):
    year = timezone.localdate().year
    assert offer.reference_code == f"CT-TO-{year}-00001"
    assert offer.status == ListingStatus.DRAFT
    assert not offer.is_live
    assert "may say lua tang soi" in offer.search_text
    assert AuditEntry.objects.filter(action="listing.create", target_id=str(offer.pk)).exists()


def test_reference_codes_count_per_kind(reference_data, owner, org):
    year = timezone.localdate().year
    first = make_listing(user=owner, organization=org)
    need = make_listing(user=owner, organization=org, kind="need")
    second = make_listing(user=owner, organization=org)
    assert (first.reference_code, need.reference_code, second.reference_code) == (
        f"CT-TO-{year}-00001",
        f"CT-TN-{year}-00001",
        f"CT-TO-{year}-00002",
    )


def test_create_refused_for_non_member(reference_data, outsider, org):
    with pytest.raises(PermissionDenied, match="Only members"):
        services.listing_create(user=outsider, organization=org, kind="offer", data=offer_data())
    assert not Listing.objects.exists()


def test_create_stores_nfc_text(reference_data, owner, org):
    import unicodedata

    listing = make_listing(user=owner, organization=org, title=unicodedata.normalize("NFD", "Máy sấy lúa"))
    assert listing.title == unicodedata.normalize("NFC", "Máy sấy lúa")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "x" * 257}, "title"),
        ({"summary": "x" * 501}, "summary"),
        ({"keywords": [f"k{i}" for i in range(11)]}, "keywords"),
        ({"trl": 10}, "trl"),
        ({"transfer_forms": ["sell_everything"]}, "transfer_forms"),
        ({"price_type": "range", "price_min": 10, "price_max": 5}, "price_max"),
        ({"price_type": "fixed", "price_min": None}, "price_min"),
        ({"min_trl": 4}, "min_trl"),
    ],
)
def test_create_rejects_bad_data(reference_data, owner, org, overrides, field):
    with pytest.raises(ValidationError) as error:
        make_listing(user=owner, organization=org, **overrides)
    assert field in error.value.message_dict
    assert not Listing.objects.exists()


def test_ward_must_belong_to_province(reference_data, owner, org):
    from techex.reference.models import Province, Ward

    with pytest.raises(ValidationError) as error:
        make_listing(
            user=owner,
            organization=org,
            province=Province.objects.get(code="92"),
            ward=Ward.objects.exclude(province_id="92").first(),
        )
    assert error.value.message_dict["ward"] == ["This commune does not belong to the chosen province."]


def test_submit_requires_complete_listing(reference_data, owner, org):
    listing = make_listing(user=owner, organization=org, description="", fields=[])
    with pytest.raises(ValidationError) as error:
        services.listing_submit(listing=listing, user=owner)
    assert set(error.value.message_dict) == {"description", "fields"}
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_full_review_path(offer, owner, staff, django_capture_on_commit_callbacks):
    services.listing_submit(listing=offer, user=owner)
    offer.refresh_from_db()
    assert offer.status == ListingStatus.SUBMITTED and offer.submitted_at
    services.listing_request_changes(listing=offer, user=staff, note="Thêm hình ảnh sản phẩm.")
    offer.refresh_from_db()
    assert offer.status == ListingStatus.CHANGES_REQUESTED
    assert offer.review_note == "Thêm hình ảnh sản phẩm."
    services.listing_submit(listing=offer, user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        listing = services.listing_publish(listing=offer, user=staff)
    assert listing.status == ListingStatus.PUBLISHED and listing.is_live
    assert listing.valid_until - listing.published_at >= timedelta(days=364)
    assert list(listing_list_public()) == [listing]
    assert mail.outbox[-1].subject == f"[{listing.reference_code}] Your listing is published"
    assert owner.email in mail.outbox[-1].to
    assert audit_verify_chain() == []


def test_only_staff_publish_and_review(offer, owner):
    services.listing_submit(listing=offer, user=owner)
    for call in (
        lambda: services.listing_publish(listing=offer, user=owner),
        lambda: services.listing_reject(listing=offer, user=owner, reason="no"),
        lambda: services.listing_request_changes(listing=offer, user=owner, note="no"),
    ):
        with pytest.raises(PermissionDenied, match="staff"):
            call()
    offer.refresh_from_db()
    assert offer.status == ListingStatus.SUBMITTED


def test_reject_needs_reason(offer, owner, staff):
    services.listing_submit(listing=offer, user=owner)
    with pytest.raises(ValidationError) as error:
        services.listing_reject(listing=offer, user=staff, reason="   ")
    assert error.value.message_dict["reason"] == ["Give the reason for the rejection."]
    services.listing_reject(listing=offer, user=staff, reason="Trùng lặp với tin CT-TO-2026-00001.")
    offer.refresh_from_db()
    assert offer.status == ListingStatus.REJECTED and not offer.is_live


def test_illegal_transition_names_both_states(offer, staff):
    with pytest.raises(ValidationError, match="“Draft” cannot be published"):
        services.listing_publish(listing=offer, user=staff)


def test_revision_of_live_listing_waits_for_review(published_offer, owner, staff):
    original_title = published_offer.title
    services.listing_update(listing=published_offer, user=owner, data={"title": "Máy sấy lúa thế hệ mới"})
    listing = Listing.objects.get(pk=published_offer.pk)
    assert listing.status == ListingStatus.SUBMITTED
    assert listing.is_live, "the approved version stays public"
    assert listing.title == original_title
    assert listing_list_public().get().title == original_title
    services.listing_publish(listing=listing, user=staff)
    listing.refresh_from_db()
    assert listing.title == "Máy sấy lúa thế hệ mới"
    assert "the he moi" in listing.search_text
    assert listing.pending_changes is None


def test_rejected_revision_keeps_approved_version(published_offer, owner, staff):
    services.listing_update(listing=published_offer, user=owner, data={"title": "Tiêu đề sai"})
    services.listing_reject(listing=published_offer, user=staff, reason="Tiêu đề không phù hợp.")
    listing = Listing.objects.get(pk=published_offer.pk)
    assert listing.status == ListingStatus.PUBLISHED and listing.is_live
    assert listing.title != "Tiêu đề sai" and listing.pending_changes is None


def test_withdraw_hides_and_reopen_returns_to_draft(published_offer, owner):
    services.listing_withdraw(listing=published_offer, user=owner)
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.WITHDRAWN and not published_offer.is_live
    assert not listing_list_public().exists()
    services.listing_reopen(listing=published_offer, user=owner)
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.DRAFT


def test_withdraw_refused_to_other_organisation(published_offer, outsider):
    with pytest.raises(PermissionDenied):
        services.listing_withdraw(listing=published_offer, user=outsider)
    published_offer.refresh_from_db()
    assert published_offer.is_live


def test_expiry_reminder_then_expire_then_renew(published_offer, owner, django_capture_on_commit_callbacks):
    now = timezone.now()
    Listing.objects.filter(pk=published_offer.pk).update(valid_until=now + timedelta(days=10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.listings_send_expiry_reminders() == 1
    assert services.listings_send_expiry_reminders() == 0, "one reminder only"
    assert len(mail.outbox) == 1 and "expire" in mail.outbox[0].subject
    assert owner.email in mail.outbox[0].to
    assert services.listings_expire_due() == 0
    Listing.objects.filter(pk=published_offer.pk).update(valid_until=now - timedelta(seconds=1))
    assert services.listings_expire_due() == 1
    listing = Listing.objects.get(pk=published_offer.pk)
    assert listing.status == ListingStatus.EXPIRED and not listing.is_live
    services.listing_renew(listing=listing, user=owner)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED and listing.is_live
    assert listing.valid_until > now + timedelta(days=360)


def test_expire_refused_while_valid(published_offer):
    with pytest.raises(ValidationError, match="still valid"):
        services.listing_expire(listing=published_offer)


def test_archive_only_from_finished_states(published_offer, owner, staff):
    with pytest.raises(ValidationError, match="cannot be archived"):
        services.listing_archive(listing=published_offer, user=owner)
    services.listing_withdraw(listing=published_offer, user=owner)
    services.listing_archive(listing=published_offer, user=staff)
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.ARCHIVED


def test_edit_refused_when_withdrawn(published_offer, owner):
    services.listing_withdraw(listing=published_offer, user=owner)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.listing_update(listing=published_offer, user=owner, data={"title": "Mới"})


def test_need_keeps_budget(reference_data, owner, org, staff):
    need = make_published(user=owner, organization=org, staff=staff, kind="need")
    assert need.reference_code.startswith("CT-TN-")
    assert (need.price_min, need.price_max, need.min_trl) == (100_000_000, 500_000_000, 6)
    assert need_data()["title"] == need.title


def test_view_counted_once_per_session(published_offer):
    services.listing_record_view(listing=published_offer, session_key="abc")
    services.listing_record_view(listing=published_offer, session_key="abc")
    services.listing_record_view(listing=published_offer, session_key="def")
    published_offer.refresh_from_db()
    assert published_offer.view_count == 2
