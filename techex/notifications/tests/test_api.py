"""The API of the signed-in user's notifications."""

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from techex.accounts.tests.factories import UserFactory
from techex.core.tests.api import NOT_FOUND, NOT_SIGNED_IN, api
from techex.notifications import kinds
from techex.notifications.models import Notification

from .factories import make_many, make_notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"
# Token, the count, the page.
LIST_BUDGET = 3


@pytest.fixture
def user(db):
    return UserFactory()


def test_list_my_notifications_newest_first_with_their_text(user):
    old = make_notification(user, listing="Tin cũ")
    new = make_notification(user, kind="deal.completed", listing="Tin mới")
    make_notification(UserFactory(), listing="Tin của người khác")
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    response = api(user).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first == {
        "id": new.pk,
        "kind": "deal.completed",
        "text": "Deal CT-GD-2026-00001 about “Tin mới” is completed.",
        "url": "/deals/CT-GD-2026-00001/",
        "created_at": first["created_at"],
        "read": False,
        "read_at": None,
    }
    assert second["id"] == old.pk and second["read"] is True and second["read_at"]


def test_the_text_follows_the_language_of_the_request(user, monkeypatch):
    # A kind whose message the catalogue already translates, so the test does not wait for new translations.
    monkeypatch.setitem(kinds._REGISTRY, "test.gone", kinds.Kind(key="test.gone", message=gettext_lazy("Not found.")))
    Notification.objects.create(recipient=user, kind="test.gone", url="/")
    assert api(user).get(LIST, HTTP_ACCEPT_LANGUAGE="vi").json()["results"][0]["text"] == "Không tìm thấy."
    assert api(user).get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["text"] == "Not found."


def test_only_unread(user):
    read, unread = make_many(user, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    body = api(user).get(LIST, {"unread": "true"}).json()
    assert [row["id"] for row in body["results"]] == [unread.pk]
    response = api(user).get(LIST, {"unread": "maybe"})
    assert response.status_code == 400 and response.json() == {"unread": ["Must be a valid boolean."]}


def test_signing_in_is_needed(db):
    for response in (api().get(LIST), api().post(READ_ALL)):
        assert response.status_code == 401 and response.json() == NOT_SIGNED_IN


def test_mark_one_read(user):
    notification = make_notification(user)
    response = api(user).post(f"{LIST}{notification.pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None and notification.email_after is None
    again = api(user).post(f"{LIST}{notification.pk}/read/")
    assert again.json()["read_at"] == response.json()["read_at"]


def test_mark_all_read(user):
    make_many(user, 3)
    theirs = make_notification(UserFactory())
    response = api(user).post(READ_ALL)
    assert response.status_code == 200 and response.json() == {"marked": 3}
    assert api(user).post(READ_ALL).json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_nobody_sees_or_marks_anybody_elses(user):
    theirs = make_notification(UserFactory())
    client = api(user)
    for response in (
        client.get(f"{LIST}{theirs.pk}/"),
        client.post(f"{LIST}{theirs.pk}/read/"),
        client.get(f"{LIST}0/"),
        client.post(f"{LIST}999999999999999999/read/"),
        client.post(f"{LIST}9999999999999999999999/read/"),
    ):
        assert response.status_code == 404 and response.json() == NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mine = make_notification(user)
    assert client.get(f"{LIST}{mine.pk}/").json()["id"] == mine.pk


def test_list_query_count_does_not_grow_with_rows(user, django_assert_max_num_queries, count_queries):
    make_many(user, 3)
    client = api(user)
    with django_assert_max_num_queries(LIST_BUDGET), count_queries() as few:
        client.get(LIST)
    make_many(user, 30)
    with django_assert_max_num_queries(LIST_BUDGET), count_queries() as many:
        assert len(client.get(LIST).json()["results"]) == 20
    assert len(many) == len(few)
