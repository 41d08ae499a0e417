"""Matching through the services: the lifecycle keeps matches, alerts reach the other side, nothing leaks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from techex.accounts.tests.factories import UserFactory
from techex.listings import services as listing_services
from techex.listings.models import Listing
from techex.matching import services
from techex.matching.models import Match, MatchPreference
from techex.matching.selectors import match_preference_for, matches_for_listing
from techex.notifications.models import Notification
from techex.notifications.services import notifications_send_due, unsubscribe
from techex.notifications.tokens import unsubscribe_token
from techex.organizations.tests.factories import OrganizationFactory

from .factories import (
    DESALINATION_OFFER,
    ENGLISH_DESALINATION_OFFER,
    SALINITY_NEED,
    UNRELATED_OFFER,
    member,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the services queue after commit (the matching task), as the worker would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def need_org(reference_data):
    return OrganizationFactory(name="Hợp tác xã Tôm Sạch Cà Mau")


@pytest.fixture
def need_owner(need_org):
    return member(need_org, full_name="Trần Văn Nam")


@pytest.fixture
def need(staff, need_org, need_owner, on_commit):
    return on_commit(publish, staff, kind="need", text=SALINITY_NEED, organization=need_org, owner=need_owner)


def _pair(need: Listing, offer: Listing) -> Match | None:
    return Match.objects.filter(need=need, offer=offer).first()


# --- the lifecycle keeps matches ------------------------------------------------------------------------------------


def test_publishing_an_offer_matches_it_with_the_needs_it_could_serve(staff, need, on_commit):
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    unrelated = on_commit(publish, staff, kind="offer", text=UNRELATED_OFFER)
    match = _pair(need, offer)
    assert match is not None and 0 < match.score <= 100
    codes = [reason["code"] for reason in match.reasons]
    assert "field" in codes and ("terms" in codes or "glossary" in codes)
    terms = next(r for r in match.reasons if r["code"] == "terms")["params"]["terms"]
    assert "nước" in terms  # shown as the listing writes it, with its diacritics
    glossary = next(r for r in match.reasons if r["code"] == "glossary")["params"]["concepts"]
    assert {"salinity", "desalination", "shrimp"} <= set(glossary)
    assert _pair(need, unrelated) is None


def test_one_match_serves_both_directions(staff, need, on_commit):
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    from_need = services.match_listing(listing=need)
    from_offer = services.match_listing(listing=offer)
    assert [m.pk for m in from_need] == [m.pk for m in from_offer] == [_pair(need, offer).pk]


def test_an_english_offer_matches_a_vietnamese_need(staff, need, on_commit):
    offer = on_commit(publish, staff, kind="offer", text=ENGLISH_DESALINATION_OFFER)
    match = _pair(need, offer)
    assert match is not None
    glossary = next(r for r in match.reasons if r["code"] == "glossary")
    assert {"desalination", "shrimp"} <= set(glossary["params"]["concepts"])


def test_withdrawing_or_expiring_a_listing_drops_its_matches(staff, need, on_commit):
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    other = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, title="Trạm khử mặn RO cho ao tôm")
    assert Match.objects.filter(need=need).count() == 2
    owner = offer.organization.memberships.first().user
    on_commit(listing_services.listing_withdraw, listing=offer, user=owner)
    assert list(Match.objects.filter(need=need).values_list("offer_id", flat=True)) == [other.pk]
    Listing.objects.filter(pk=other.pk).update(valid_until=timezone.now() - timedelta(days=1))
    on_commit(listing_services.listing_expire, listing=other)
    assert not Match.objects.exists()


def test_an_offer_far_below_the_needs_minimum_trl_is_no_match(staff, need_org, need_owner, on_commit):
    need = on_commit(publish, staff, kind="need", text=SALINITY_NEED, organization=need_org, min_trl=9)
    far = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, trl=5)
    close = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, trl=8)
    assert _pair(need, far) is None
    below = next(r for r in _pair(need, close).reasons if r["code"] == "trl_below")
    assert below["params"] == {"trl": 8, "min_trl": 9} and below["points"] < 0


def test_bulk_publishing_matches_every_listing(staff, need, on_commit):
    from techex.listings.services import NewListing, listings_bulk_create
    from techex.reference.models import STField

    organization = OrganizationFactory()
    data = {**DESALINATION_OFFER, "trl": 7, "fields": list(STField.objects.filter(code="20701"))}
    item = NewListing(organization=organization, kind="offer", data=data)
    created = on_commit(listings_bulk_create, user=staff, items=[item], publish=True, notify=False)
    assert _pair(need, created[0]) is not None


def test_the_full_recompute_finds_both_directions_and_drops_what_no_longer_matches(staff, need, on_commit):
    offer = publish(staff, kind="offer", text=DESALINATION_OFFER)  # no task run: not matched yet
    unrelated = publish(staff, kind="offer", text=UNRELATED_OFFER)
    stale = Match.objects.create(need=need, offer=unrelated, score=99, reasons=[])
    assert services.match_all(batch=1) >= 1
    assert _pair(need, offer) is not None
    assert not Match.objects.filter(pk=stale.pk).exists()


# --- alerts --------------------------------------------------------------------------------------------------------


def _alerts(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="match.new"))


def test_the_needs_owners_are_told_of_a_new_offer_reaching_their_threshold(staff, need, need_owner, on_commit):
    picky = member(need.organization)
    services.match_threshold_set(user=need_owner, threshold=20)
    services.match_threshold_set(user=picky, threshold=100)
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    score = _pair(need, offer).score
    assert 20 <= score < 100
    [alert] = _alerts(need_owner)
    assert alert.params == {"listing": need.title, "match": offer.title, "score": str(score)}
    assert alert.url == offer.get_absolute_url()
    assert alert.text == f"New match for your listing “{need.title}”: “{offer.title}” (score {score} of 100)."
    assert _alerts(picky) == []
    # Nobody on the offer's side is told about it: the need was there before.
    assert not Notification.objects.filter(recipient__memberships__organization=offer.organization).exists()


def test_the_offers_owners_are_told_of_a_new_need(staff, need_org, on_commit):
    offer_owner = member()
    services.match_threshold_set(user=offer_owner, threshold=20)
    offer = on_commit(
        publish,
        staff,
        kind="offer",
        text=DESALINATION_OFFER,
        owner=offer_owner,
        organization=offer_owner.memberships.first().organization,
    )
    need = on_commit(publish, staff, kind="need", text=SALINITY_NEED, organization=need_org)
    [alert] = _alerts(offer_owner)
    assert alert.params["listing"] == offer.title and alert.params["match"] == need.title


def test_with_alerts_off_nobody_is_told_without_a_setting_the_default_threshold_counts(
    staff, need, need_owner, on_commit
):
    services.match_threshold_set(user=need_owner, threshold=1, alerts_enabled=False)
    other = member(need.organization)  # no setting: the default threshold, 60
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    score = _pair(need, offer).score
    assert _alerts(need_owner) == []
    assert len(_alerts(other)) == (1 if score >= 60 else 0)


def test_a_recompute_does_not_alert_again(staff, need, need_owner, on_commit):
    services.match_threshold_set(user=need_owner, threshold=20)
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    services.match_listing(listing=offer)
    services.match_listing(listing=need)
    services.match_all()
    assert len(_alerts(need_owner)) == 1


def test_alerts_come_batched_in_one_daily_digest(settings, staff, need, need_owner, on_commit):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    services.match_threshold_set(user=need_owner, threshold=20)
    first = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    second = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, title="Trạm khử mặn RO cho ao tôm")
    alerts = _alerts(need_owner)
    assert len(alerts) == 2
    due = {alert.email_after for alert in alerts}
    assert len(due) == 1 and timezone.localtime(due.pop()).hour == 7
    assert notifications_send_due(now=timezone.now()) == (0, 0)  # not before the digest hour
    mail.outbox.clear()
    assert notifications_send_due(now=alerts[0].email_after) == (1, 0)
    [message] = mail.outbox
    assert message.to == [need_owner.email]
    assert first.title in message.body and second.title in message.body


def test_unsubscribing_stops_the_e_mails_of_match_alerts(staff, need, need_owner, on_commit):
    services.match_threshold_set(user=need_owner, threshold=20)
    unsubscribe(token=unsubscribe_token(need_owner))
    on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    [alert] = _alerts(need_owner)  # still shown in the app
    assert alert.email_after is None
    mail.outbox.clear()
    notifications_send_due(now=timezone.now() + timedelta(days=2))
    assert mail.outbox == []


# --- nothing confidential leaks --------------------------------------------------------------------------------------


def test_unreviewed_text_and_a_hidden_organisation_never_reach_reasons_or_e_mails(staff, need, need_owner, on_commit):
    services.match_threshold_set(user=need_owner, threshold=20)
    secret_org = OrganizationFactory(name="Viện Bí Mật Quốc Phòng")
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, organization=secret_org, is_anonymous=True)
    owner = secret_org.memberships.first().user
    # A revision awaiting review: the public (and matching) still see the approved text.
    listing_services.listing_update(
        listing=offer,
        user=owner,
        data={"summary": "Trạm khử mặn dùng màng graphene tuyệt mật XK-99 cho ao nuôi tôm."},
    )
    services.match_listing(listing=offer)
    match = _pair(need, offer)
    stored = str(match.reasons) + str(match.features)
    assert "graphene" not in stored and "XK" not in stored and "tuyệt mật" not in stored
    mail.outbox.clear()
    [alert] = _alerts(need_owner)
    notifications_send_due(now=alert.email_after)
    body = mail.outbox[0].body
    assert offer.title in body
    assert "Bí Mật" not in body and "graphene" not in body
    assert "Bí Mật" not in alert.text


# --- the alert setting and the selectors ----------------------------------------------------------------------------


def test_the_threshold_is_checked_and_kept(need_owner):
    assert match_preference_for(user=need_owner).threshold == 60
    for bad in (0, 101, "70", True, None):
        with pytest.raises(ValidationError) as caught:
            services.match_threshold_set(user=need_owner, threshold=bad)
        assert caught.value.message_dict == {"threshold": ["Choose a threshold from 1 to 100."]}
    services.match_threshold_set(user=need_owner, threshold=75, alerts_enabled=False)
    preference = MatchPreference.objects.get(user=need_owner)
    assert (preference.threshold, preference.alerts_enabled) == (75, False)
    assert match_preference_for(user=need_owner) == preference


def test_only_signed_in_people_have_a_threshold():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Sign in to change your match alerts."):
        services.match_threshold_set(user=AnonymousUser(), threshold=50)


def test_visitors_see_matches_with_live_listings_owners_and_staff_all(staff, need, need_owner, on_commit):
    offer = on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER)
    visitor = UserFactory()
    assert [m.offer_id for m in matches_for_listing(user=visitor, listing=need)] == [offer.pk]
    # Between a withdrawal and its recompute the stored match still names the offer: only owners and staff see it.
    Listing.objects.filter(pk=offer.pk).update(is_live=False, status="withdrawn")
    need.refresh_from_db()
    assert matches_for_listing(user=visitor, listing=need) == []
    assert [m.offer_id for m in matches_for_listing(user=need_owner, listing=need)] == [offer.pk]
    assert [m.offer_id for m in matches_for_listing(user=staff, listing=need)] == [offer.pk]


def test_a_listing_the_user_may_not_see_has_no_matches_to_show(staff, need_org, need_owner):
    from techex.listings.tests.factories import make_listing

    draft = make_listing(user=need_owner, organization=need_org, kind="need")
    with pytest.raises(Http404):
        matches_for_listing(user=UserFactory(), listing=draft)
    assert matches_for_listing(user=need_owner, listing=draft) == []


@pytest.mark.django_db(transaction=True)
def test_the_full_recompute_shares_the_work_among_processes(reference_data, staff):
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("forked processes cannot open an in-memory test database")
    needs = [publish(staff, kind="need", text=SALINITY_NEED) for _ in range(3)]
    offer = publish(staff, kind="offer", text=DESALINATION_OFFER)
    assert services.match_all(batch=1, workers=2) == 3
    assert {m.need_id for m in Match.objects.filter(offer=offer)} == {need.pk for need in needs}
