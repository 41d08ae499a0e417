"""The pages: the list, marking read, the bell, e-mail settings and the unsubscribe link."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.notifications.choices import EmailFrequency
from techex.notifications.models import Notification, NotificationPreference
from techex.notifications.tokens import unsubscribe_token

from .factories import make_many, make_notification

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
PREFERENCES = reverse("notifications:preferences")
HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user, the bell's count, the paginator's count, the page of notifications.
LIST_BUDGET = 5


def text(response) -> str:
    return response.content.decode()


def read_url(notification) -> str:
    return reverse("notifications:read", kwargs={"pk": notification.pk})


def go_url(notification) -> str:
    return reverse("notifications:go", kwargs={"pk": notification.pk})


def unsubscribe_url(token: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": token})


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


# --- the list ----------------------------------------------------------------------------------------------------


def test_the_list_needs_signing_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_my_notifications_newest_first_unread_highlighted(signed_in, user):
    old = make_notification(user, listing="Tin cũ")
    new = make_notification(user, listing="Tin mới")
    make_notification(UserFactory(), listing="Tin của người khác")
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    page = text(signed_in.get(LIST))
    assert page.index("Tin mới") < page.index("Tin cũ")
    assert "Tin của người khác" not in page
    assert f'class="card notification unread" id="notification-{new.pk}"' in page
    assert f'class="card notification" id="notification-{old.pk}"' in page
    assert read_url(new) in page and read_url(old) not in page
    assert go_url(new) in page and PREFERENCES in page


def test_the_list_can_show_only_unread(signed_in, user):
    read = make_notification(user, listing="Đã đọc")
    make_notification(user, listing="Chưa đọc")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    page = text(signed_in.get(LIST, {"unread": "1"}))
    assert "Chưa đọc" in page and "Đã đọc" not in page
    Notification.objects.update(read_at=timezone.now())
    assert "You have no unread notifications." in text(signed_in.get(LIST, {"unread": "1"}))


def test_an_empty_list_says_so(signed_in):
    assert "You have no notifications yet." in text(signed_in.get(LIST))


def test_the_list_is_paginated_and_pages_in_place_with_htmx(signed_in, user):
    make_many(user, 25)
    first = text(signed_in.get(LIST))
    assert first.count('class="card notification unread"') == 20 and "Page 1 of 2" in first
    second = signed_in.get(LIST, {"page": "2"}, **HTMX)
    assert text(second).count('class="card notification unread"') == 5
    assert "<html" not in text(second) and 'hx-target="#notification-list"' in text(second)
    for odd in ["abc", "-1", "999999999999999999999"]:
        assert signed_in.get(LIST, {"page": odd}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(signed_in, user, django_assert_max_num_queries, count_queries):
    make_many(user, 3)
    with django_assert_max_num_queries(LIST_BUDGET), count_queries() as few:
        signed_in.get(LIST)
    make_many(user, 30)
    with django_assert_max_num_queries(LIST_BUDGET), count_queries() as many:
        assert text(signed_in.get(LIST)).count('class="card notification unread"') == 20
    assert len(many) == len(few)


# --- marking read ------------------------------------------------------------------------------------------------


def test_mark_one_read_and_go_back(signed_in, user):
    notification = make_notification(user)
    response = signed_in.post(read_url(notification), {"next": f"{LIST}?page=1"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None and notification.email_after is None
    response = signed_in.post(read_url(notification), {"next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_mark_one_read_with_htmx_swaps_the_item_and_the_count(signed_in, user):
    notification, _other = make_many(user, 2)
    page = text(signed_in.post(read_url(notification), **HTMX))
    assert f'class="card notification" id="notification-{notification.pk}"' in page
    assert 'id="notification-bell-count" hx-swap-oob="true"' in page
    assert '<span class="badge">1<span class="visually-hidden"> unread</span>' in page


def test_mark_all_read(signed_in, user):
    make_many(user, 3)
    other = make_notification(UserFactory())
    response = signed_in.post(READ_ALL, follow=True)
    assert "3 notifications were marked as read." in text(response)
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert "You had no unread notifications." in text(signed_in.post(READ_ALL, follow=True))


def test_mark_all_read_with_htmx_returns_the_list(signed_in, user):
    make_many(user, 2)
    page = text(signed_in.post(READ_ALL, **HTMX))
    assert page.count('class="card notification"') == 2 and "unread" not in page.split("notification-bell-count")[0]
    assert 'id="notification-bell-count" hx-swap-oob="true"></span>' in page


def test_nobody_marks_anybody_elses_notification(signed_in, user):
    theirs = make_notification(UserFactory())
    for url in [read_url(theirs), go_url(theirs), "/notifications/0/read/", "/notifications/9999999999/go/"]:
        response = signed_in.post(url) if url.endswith("/read/") else signed_in.get(url)
        assert response.status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert signed_in.post("/notifications/1234567890123456789012/read/").status_code == 404
    assert signed_in.get(read_url(make_notification(user))).status_code == 405


def test_go_marks_read_and_leads_to_the_page(signed_in, user):
    notification = make_notification(user, url="/listings/CT-TO-2026-00001/")
    response = signed_in.get(go_url(notification))
    assert response.status_code == 302 and response["Location"] == "/listings/CT-TO-2026-00001/"
    notification.refresh_from_db()
    assert notification.read_at is not None


# --- the bell ----------------------------------------------------------------------------------------------------


def _notification_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]


def test_the_bell_shows_the_unread_count_on_every_page(signed_in, user, count_queries):
    make_many(user, 2)
    with count_queries() as queries:
        page = text(signed_in.get(reverse("home")))
    assert LIST in page and '<span class="badge">2<span class="visually-hidden"> unread</span>' in page
    assert len(_notification_queries(queries)) == 1


def test_the_bell_says_99_plus_past_99(signed_in, user):
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="deal.completed", url="/", params={}) for _ in range(120)
    )
    assert '<span class="badge">99+<span' in text(signed_in.get(reverse("home")))


def test_visitors_see_no_bell_and_cost_no_query(client, db, count_queries):
    with count_queries() as queries:
        page = text(client.get(reverse("home")))
    assert LIST not in page
    assert _notification_queries(queries) == []


# --- e-mail settings ---------------------------------------------------------------------------------------------


def test_preferences_are_reached_from_the_list_and_saved(signed_in, user):
    page = text(signed_in.get(PREFERENCES))
    assert 'value="batched" id="id_email_frequency_0" required checked' in page
    response = signed_in.post(PREFERENCES, {"email_frequency": "daily"}, follow=True)
    assert "Your e-mail settings were saved." in text(response)
    assert NotificationPreference.objects.get(user=user).email_frequency == EmailFrequency.DAILY
    assert 'value="daily" id="id_email_frequency_1" required checked' in text(response)


def test_a_bad_preference_is_refused_with_a_message(signed_in, user):
    response = signed_in.post(PREFERENCES, {"email_frequency": "hourly"})
    assert response.status_code == 200
    assert "Choose one of the options shown." in text(response)
    assert signed_in.post(PREFERENCES, {}).context["form"].errors == {
        "email_frequency": ["Choose how often you want e-mails."]
    }
    assert not NotificationPreference.objects.exists()


def test_preferences_need_signing_in(client, db):
    assert client.get(PREFERENCES).status_code == 302


# --- unsubscribe -------------------------------------------------------------------------------------------------


def test_unsubscribe_link_asks_first_then_turns_e_mail_off_without_signing_in(client, user):
    url = unsubscribe_url(unsubscribe_token(user))
    page = text(client.get(url))
    masked = f"{user.email[0]}•••@example.vn"
    assert "Stop sending notification e-mails to" in page and masked in page and user.email not in page
    assert not NotificationPreference.objects.exists()  # opening the link changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "will no longer get notification e-mails" in text(response)
    assert NotificationPreference.objects.get(user=user).email_frequency == EmailFrequency.OFF
    entry = AuditEntry.objects.get(action="notifications.preference")
    assert entry.actor is None and entry.data == {"from": "batched", "to": "off", "via": "unsubscribe"}
    assert client.post(url).status_code == 200  # twice is harmless
    assert AuditEntry.objects.filter(action="notifications.preference").count() == 1


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user: unsubscribe_token(user)[:-2] + "xx",  # tampered signature
        lambda user: unsubscribe_token(user).replace(unsubscribe_token(user).split(":")[0], "eyJ1IjoyfQ"),  # other id
        lambda user: signing.dumps({"u": user.pk}, salt="another.purpose"),  # signed for something else
        lambda user: "nonsense",
        lambda user: "x" * 300,
    ],
)
def test_a_bad_unsubscribe_token_gives_a_clear_error_and_changes_nothing(client, user, make_token):
    url = unsubscribe_url(make_token(user))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in text(response)
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.filter(action="notifications.preference").exists()


def test_unsubscribe_of_a_closed_account_is_refused(client, user):
    token = unsubscribe_token(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert client.post(unsubscribe_url(token)).status_code == 400
