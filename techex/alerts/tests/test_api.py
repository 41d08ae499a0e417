"""The API of saved searches: /api/v1/saved-searches/ for the signed-in user."""

import pytest

from techex.alerts.models import SavedSearch
from techex.core.tests.api import NOT_FOUND, NOT_SIGNED_IN, api

from .factories import member_of, save

pytestmark = pytest.mark.django_db

LIST = "/api/v1/saved-searches/"
# Token, the count, the page.
LIST_BUDGET = 3


@pytest.fixture
def reader(reference_data):
    return member_of()


def test_save_a_search(reader):
    response = api(reader).post(
        LIST, {"q": "máy sấy lúa", "filters": {"kind": "offer", "province": "92", "trl": 6}}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    saved = SavedSearch.objects.get(user=reader)
    assert body == {
        "id": saved.pk,
        "name": "máy sấy lúa · Technology offer · Can Tho · TRL 6 or higher",
        "q": "máy sấy lúa",
        "filters": {"kind": "offer", "province": "92", "trl": 6},
        "alerts": True,
        "created_at": body["created_at"],
        "last_alerted_at": None,
        "alerts_url": f"http://testserver/matching/saved/{saved.token}/",
        "feed_url": f"http://testserver/matching/saved/{saved.token}/feed/",
    }


def test_list_only_mine_newest_first(reader):
    old, new = save(reader, "lúa"), save(reader, "tôm")
    save(member_of(), "xoài")
    body = api(reader).get(LIST).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [new.pk, old.pk]


def test_the_list_costs_the_same_queries_for_many(reader, count_queries):
    save(reader, "lúa")
    client = api(reader)
    with count_queries() as few:
        client.get(LIST)
    for word in ("tôm", "xoài", "cá"):
        save(reader, word)
    with count_queries() as many:
        client.get(LIST)
    assert len(few) == len(many) <= LIST_BUDGET


def test_delete_mine_and_not_somebody_elses(reader):
    mine, theirs = save(reader, "lúa"), save(member_of(), "tôm")
    assert api(reader).delete(f"{LIST}{theirs.pk}/").json() == NOT_FOUND
    assert api(reader).get(f"{LIST}{theirs.pk}/").status_code == 404
    assert api(reader).delete(f"{LIST}{mine.pk}/").status_code == 204
    assert list(SavedSearch.objects.values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"q": 7}, {"q": ["Not a valid string."]}),
        ({"filters": {"kind": "both"}}, {"filters": ['"both" is not a valid choice.']}),
        ({"filters": {"trl": "5"}}, {"filters": ["A valid integer is required."]}),
        ({"filters": {"province": "99", "field": "0"}}, {"filters": ["Unknown S&T field.", "Unknown province."]}),
        ({"filters": {"colour": "red"}}, {"filters": ["This field is not accepted here."]}),
        ({"filters": []}, {"filters": ["Invalid data. Expected a dictionary, but got list."]}),
        ({"status": "draft"}, {"status": ["This field is not accepted here."]}),
        ({"name": "x" * 121}, {"name": ["Keep the name under 120 characters (it has 121)."]}),
    ],
)
def test_bad_input_is_a_400_naming_the_field(reader, payload, errors):
    response = api(reader).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not SavedSearch.objects.exists()


def test_the_same_search_twice_is_a_400(reader):
    save(reader, "lúa", kind="need")
    response = api(reader).post(LIST, {"q": "lúa", "filters": {"kind": "need"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You have already saved this search, as “lúa · Technology need”."]}


def test_only_signed_in_users(reference_data):
    assert api().get(LIST).json() == NOT_SIGNED_IN
    assert api().post(LIST, {"q": "lúa"}, format="json").status_code == 401
