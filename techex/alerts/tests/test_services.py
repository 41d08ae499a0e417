"""Saved searches: keeping them, their alerts (once, batched in the daily digest), one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from techex.alerts import services as saved_services
from techex.alerts.models import SavedSearch, SavedSearchHit
from techex.alerts.selectors import saved_search_listings
from techex.core.models import AuditEntry
from techex.listings import services as listing_services
from techex.notifications.models import Notification
from techex.notifications.services import notifications_send_due
from techex.reference.models import Province

from .factories import member_of, publish, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(reference_data):
    return member_of(full_name="Lê Thị Thu")


# --- keeping a search --------------------------------------------------------------------------------------------


def test_a_search_is_kept_with_its_words_and_filters_and_a_name_from_them(reader):
    saved = save(reader, "  máy sấy lúa ", kind="offer", province="92", trl=5)
    assert saved.q == "máy sấy lúa"
    assert saved.filters == {"kind": "offer", "province": "92", "trl": 5}
    # The labels are in the language of the page the search was saved from (English in the tests).
    assert saved.name == "máy sấy lúa · Technology offer · Can Tho · TRL 5 or higher"
    assert saved.is_active and len(saved.token) >= 32


def test_nfd_words_are_kept_in_nfc(reader):
    import unicodedata

    saved = save(reader, unicodedata.normalize("NFD", "sấy lúa"))
    assert saved.q == unicodedata.normalize("NFC", "sấy lúa")


def test_bad_filters_are_refused_each_with_its_message(reader):
    with pytest.raises(ValidationError) as caught:
        saved_services.saved_search_create(
            user=reader, q="lúa", filters={"kind": "both", "province": "99", "trl": 12, "colour": "red"}
        )
    assert caught.value.message_dict == {
        "kind": ["Choose an offer or a need."],
        "province": ["Unknown province."],
        "trl": ["Give a TRL from 1 to 9."],
        "colour": ["This filter does not exist."],
    }
    assert not SavedSearch.objects.exists()


def test_the_same_search_twice_is_refused_naming_the_first(reader):
    save(reader, "sấy lúa", kind="offer")
    with pytest.raises(ValidationError, match="You have already saved this search, as “sấy lúa · Technology offer”."):
        save(reader, "sấy lúa", kind="offer")


def test_names_stay_unique_per_person(reader):
    first = saved_services.saved_search_create(user=reader, q="tôm", name="Ao tôm")
    with pytest.raises(ValidationError) as caught:
        saved_services.saved_search_create(user=reader, q="tôm mặn", name="Ao tôm")
    assert caught.value.message_dict == {"name": ["You already have a saved search with this name."]}
    # A name made from the words gets a number when taken.
    saved_services.saved_search_rename(saved_search=first, user=reader, name="tôm mặn")
    assert save(reader, "tôm mặn").name == "tôm mặn (2)"


def test_a_search_without_words_or_filters_alerts_every_new_listing(reader):
    assert save(reader).name == "All new listings"


def test_at_most_fifty_saved_searches(reader, settings, monkeypatch):
    monkeypatch.setattr(saved_services, "MAX_SAVED_SEARCHES", 2)
    save(reader, "lúa")
    save(reader, "tôm")
    with pytest.raises(ValidationError, match="You can keep at most 2 saved searches"):
        save(reader, "xoài")


def test_rename_refuses_an_empty_or_taken_name(reader):
    saved, other = save(reader, "lúa"), save(reader, "tôm")
    with pytest.raises(ValidationError, match="Give the search a name."):
        saved_services.saved_search_rename(saved_search=saved, user=reader, name="   ")
    with pytest.raises(ValidationError, match="You already have a saved search with this name."):
        saved_services.saved_search_rename(saved_search=saved, user=reader, name=other.name)
    saved_services.saved_search_rename(saved_search=saved, user=reader, name="Lúa gạo")
    assert SavedSearch.objects.get(pk=saved.pk).name == "Lúa gạo"


def test_only_the_owner_changes_a_saved_search(reader):
    saved = save(reader, "lúa")
    stranger = member_of()
    with pytest.raises(ValidationError, match="This saved search is not yours."):
        saved_services.saved_search_rename(saved_search=saved, user=stranger, name="Của tôi")
    with pytest.raises(ValidationError, match="This saved search is not yours."):
        saved_services.saved_search_delete(saved_search=saved, user=stranger)
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


# --- what a saved search finds -----------------------------------------------------------------------------------


def test_a_saved_search_finds_live_listings_with_every_word_and_its_filters(reader, staff):
    dryer = publish(staff)
    publish(staff, kind="need")
    draft_org_member = member_of()
    from techex.listings.tests.factories import make_listing

    make_listing(user=draft_org_member, organization=draft_org_member.memberships.get().organization)
    assert list(saved_search_listings(saved_search=save(reader, "may say lua"))) == [dryer]
    assert list(saved_search_listings(saved_search=save(reader, "máy sấy", kind="need"))) == []
    # Every word, not any of them (the browse page would fall back to "any word").
    assert list(saved_search_listings(saved_search=save(reader, "máy lọc"))) == []


def test_long_descriptions_need_all_words_but_one(reader, staff):
    dryer = publish(staff)
    assert list(saved_search_listings(saved_search=save(reader, "máy sấy lúa trấu xoài"))) == [dryer]
    assert list(saved_search_listings(saved_search=save(reader, "máy sấy xoài sầu riêng"))) == []


# --- alerts ------------------------------------------------------------------------------------------------------


def test_a_new_listing_is_alerted_once_to_each_search_that_finds_it(reader, staff):
    finds = save(reader, "sấy lúa")
    save(reader, "nuôi tôm")
    other_reader = member_of()
    theirs = save(other_reader, "trấu", kind="offer")
    dryer = publish(staff)

    assert saved_services.saved_search_alert_for_listing(listing=dryer) == 2
    assert set(SavedSearchHit.objects.values_list("saved_search_id", flat=True)) == {finds.pk, theirs.pk}
    notification = Notification.objects.get(recipient=reader)
    assert notification.kind == "saved_search.match"
    assert notification.text == "New listing “Máy sấy lúa tầng sôi dùng trấu” matches your saved search “sấy lúa”."
    assert notification.url == f"/matching/saved/{finds.token}/"
    assert SavedSearch.objects.get(pk=finds.pk).last_alerted_at is not None

    # Renewing, or a revision approved later, does not alert the same search again.
    assert saved_services.saved_search_alert_for_listing(listing=dryer) == 0
    assert Notification.objects.count() == 2


def test_no_alert_for_a_listing_that_is_not_live(reader, staff):
    save(reader, "sấy lúa")
    dryer = publish(staff)
    owner = dryer.organization.memberships.first().user
    listing_services.listing_withdraw(listing=dryer, user=owner)
    assert saved_services.saved_search_alert_for_listing(listing=dryer) == 0
    assert not Notification.objects.exists()


def test_no_alert_when_alerts_are_off_or_the_account_is_closed(reader, staff):
    off = save(reader, "sấy lúa")
    saved_services.saved_search_set_alerts(saved_search=off, user=reader, active=False)
    closed = member_of()
    save(closed, "sấy lúa")
    closed.is_active = False
    closed.save()
    assert saved_services.saved_search_alert_for_listing(listing=publish(staff)) == 0


def test_nobody_is_alerted_about_their_own_organisations_listing(reader, staff):
    organization = reader.memberships.get().organization
    save(reader, "sấy lúa")
    assert saved_services.saved_search_alert_for_listing(listing=publish(staff, organization=organization)) == 0


def test_publishing_queues_the_alerts_after_commit(reader, staff, django_capture_on_commit_callbacks):
    save(reader, "sấy lúa", province="92")
    with django_capture_on_commit_callbacks(execute=True):
        publish(staff, province=Province.objects.get(code="92"))
    assert Notification.objects.filter(recipient=reader, kind="saved_search.match").count() == 1


def test_alerts_are_batched_in_one_daily_digest(reader, staff, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    saved = save(reader, "sấy")
    first = publish(staff, title="Máy sấy lúa tầng sôi")
    second = publish(staff, title="Máy sấy xoài năng lượng mặt trời")
    for listing in (first, second):
        saved_services.saved_search_alert_for_listing(listing=listing)
    notifications = list(Notification.objects.filter(recipient=reader))
    assert len(notifications) == 2
    # A digest kind: both wait for the next digest hour, whatever the reader's (batched) preference.
    due = {n.email_after for n in notifications}
    assert len(due) == 1
    [when] = due
    assert timezone.localtime(when).hour == 7 and when > timezone.now()

    notifications_send_due(now=when - timedelta(minutes=1))
    assert mail.outbox == []
    notifications_send_due(now=when)
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "Máy sấy lúa tầng sôi" in message.body and "Máy sấy xoài năng lượng mặt trời" in message.body
    assert f"/matching/saved/{saved.token}/" in message.body


# --- nothing confidential leaks ----------------------------------------------------------------------------------


def test_alerts_carry_only_the_approved_public_text(reader, staff):
    from techex.listings.tests.uploads import pdf_upload
    from techex.organizations.tests.factories import OrganizationFactory

    secret_org = OrganizationFactory(name="Viện Công Nghệ Kín Đáo")
    save(reader, "sấy lúa")
    dryer = publish(staff, organization=secret_org, is_anonymous=True, description="Quy trình sấy lúa công khai.")
    owner = secret_org.memberships.get().user
    listing_services.attachment_add(
        listing=dryer,
        user=owner,
        file=pdf_upload("ban-ve-mat.pdf"),
        kind="document",
        is_confidential=True,
        caption="Bản vẽ tuyệt mật",
    )
    listing_services.listing_update(listing=dryer, user=owner, data={"title": "Tiêu đề chưa được duyệt"})

    saved_services.saved_search_alert_for_listing(listing=dryer)
    notification = Notification.objects.get(recipient=reader)
    notifications_send_due(now=notification.email_after)
    [message] = mail.outbox
    for leaked in ("Kín Đáo", "tuyệt mật", "ban-ve-mat", "chưa được duyệt"):
        assert leaked not in notification.text
        assert leaked not in message.body
        assert leaked not in message.subject
    assert "Máy sấy lúa tầng sôi dùng trấu" in notification.text


# --- one-click unsubscribe ---------------------------------------------------------------------------------------


def test_unsubscribe_by_token_turns_the_alerts_off_and_is_audited(reader, staff):
    saved = save(reader, "sấy lúa")
    other = save(reader, "nuôi tôm")
    saved_services.saved_search_unsubscribe(token=saved.token)
    saved.refresh_from_db()
    other.refresh_from_db()
    assert not saved.is_active and other.is_active
    entry = AuditEntry.objects.get(action="matching.saved_search_alerts")
    assert entry.actor is None and entry.data == {"active": False, "via": "unsubscribe"}
    assert saved_services.saved_search_alert_for_listing(listing=publish(staff)) == 0
    # A second click changes nothing and records nothing.
    saved_services.saved_search_unsubscribe(token=saved.token)
    assert AuditEntry.objects.filter(action="matching.saved_search_alerts").count() == 1


@pytest.mark.parametrize("token", ["", "x" * 20, "a" * 200, "../../etc/passwd", "tôm-tôm-tôm-tôm-tôm"])
def test_a_bad_token_is_refused_with_a_clear_message(reader, token):
    save(reader, "lúa")
    with pytest.raises(ValidationError, match="This link is not valid"):
        saved_services.saved_search_unsubscribe(token=token)
    assert SavedSearch.objects.get().is_active


def test_listings_published_by_an_import_are_alerted_in_batches(
    reader, staff, tmp_path, django_capture_on_commit_callbacks
):
    from techex.listings.importer import import_listings_file
    from techex.listings.tests.test_import import TAX_CODE, offer_row, write_jsonl
    from techex.organizations.tests.factories import OrganizationFactory

    OrganizationFactory(name="Viện Lúa Đồng bằng sông Cửu Long", tax_code=TAX_CODE)
    finds = save(reader, "sấy lúa")
    rows = [offer_row(external_ref=f"src-{i}", title=f"Máy sấy lúa tầng sôi số {i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_listings_file(path=write_jsonl(tmp_path / "a.jsonl", rows), user=staff, publish=True)

    # One task for the batch, run by the tests' immediate backend after the import's commit.
    assert len(callbacks) >= 1
    assert SavedSearchHit.objects.filter(saved_search=finds).count() == 3
    assert Notification.objects.filter(recipient=reader, kind="saved_search.match").count() == 3
