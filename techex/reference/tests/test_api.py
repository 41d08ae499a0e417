"""The reference API: read-only lists, their filters, paging and query budgets."""

import pytest
from rest_framework.test import APIClient

from techex.reference.models import TRL, IPCClass, Province, STField, VSICCode, Ward

pytestmark = pytest.mark.django_db

API = "/api/v1/"


@pytest.fixture
def client(reference_data) -> APIClient:
    return APIClient()


def test_provinces_come_whole_mekong_delta_first(client):
    data = client.get(f"{API}provinces/").json()
    assert len(data) == Province.objects.count() == 34
    assert all(row["is_mekong"] for row in data[:6]) and not data[6]["is_mekong"]
    can_tho = next(row for row in data if row["code"] == "92")
    assert can_tho == {
        "code": "92",
        "name": "Cần Thơ",
        "name_en": "Can Tho",
        "full_name": "Thành phố Cần Thơ",
        "unit_type": "Thành phố trực thuộc trung ương",
        "is_mekong": True,
    }


def test_wards_are_paged_and_filtered_by_province(client):
    data = client.get(f"{API}wards/").json()
    assert data["count"] == Ward.objects.count()
    assert len(data["results"]) == 100 and data["next"]
    can_tho = client.get(f"{API}wards/", {"province": "92", "page_size": 1000}).json()
    assert can_tho["count"] == Ward.objects.filter(province_id="92").count() > 0
    assert {row["province"] for row in can_tho["results"]} == {"92"}
    names = [row["name"] for row in can_tho["results"]]
    assert names == sorted(names)
    assert client.get(f"{API}wards/", {"province": "00"}).json()["count"] == 0


def test_st_fields_filter_by_level_and_parent(client):
    top = client.get(f"{API}st-fields/", {"level": 1}).json()
    assert [row["code"] for row in top["results"]] == list(
        STField.objects.filter(level=1).order_by("code").values_list("code", flat=True)
    )
    children = client.get(f"{API}st-fields/", {"parent": "4"}).json()["results"]
    assert children and {row["parent"] for row in children} == {"4"}
    assert {row["level"] for row in children} == {2}


def test_trl_lists_nine_levels(client):
    data = client.get(f"{API}trl/").json()
    assert [row["level"] for row in data] == list(range(1, 10))
    assert data[0]["name_en"] == TRL.objects.get(level=1).name_en


def test_ipc_filter_by_level_and_parent(client):
    sections = client.get(f"{API}ipc/", {"level": "section"}).json()
    assert sections["count"] == IPCClass.objects.filter(level="section").count() == 8
    classes = client.get(f"{API}ipc/", {"parent": "A"}).json()["results"]
    assert classes and {row["parent"] for row in classes} == {"A"} and {row["level"] for row in classes} == {"class"}


def test_vsic_comes_whole_and_filters(client):
    data = client.get(f"{API}vsic/").json()
    assert len(data) == VSICCode.objects.count()
    sections = client.get(f"{API}vsic/", {"level": 1}).json()
    assert {row["level"] for row in sections} == {1} and all(row["parent"] is None for row in sections)


@pytest.mark.parametrize(
    ("path", "params", "errors"),
    [
        ("st-fields", {"level": 4}, {"level": ["Ensure this value is less than or equal to 3."]}),
        ("st-fields", {"level": "one"}, {"level": ["A valid integer is required."]}),
        ("ipc", {"level": "group"}, {"level": ['"group" is not a valid choice.']}),
        ("vsic", {"level": 0}, {"level": ["Ensure this value is greater than or equal to 1."]}),
        ("wards", {"province": "12345"}, {"province": ["Ensure this field has no more than 4 characters."]}),
    ],
)
def test_bad_filters_are_field_errors(client, path, params, errors):
    response = client.get(f"{API}{path}/", params)
    assert response.status_code == 400
    assert response.json() == errors


def test_page_past_the_end_is_404(client):
    response = client.get(f"{API}wards/", {"page": 1000})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_reference_data_is_read_only(client, method):
    response = getattr(client, method)(f"{API}provinces/", {}, format="json")
    assert response.status_code == 405
    assert Province.objects.count() == 34


@pytest.mark.parametrize(
    ("path", "few", "many", "budget"),
    [
        # The whole tables: one query, whatever the size.
        ("provinces", {}, {}, 1),
        ("trl", {}, {}, 1),
        ("vsic", {"level": 1}, {}, 1),
        # Paged lists: the count and the page, 10 rows or 1,000.
        ("wards", {"page_size": 10}, {"page_size": 1000}, 2),
        ("st-fields", {"page_size": 10}, {"page_size": 1000}, 2),
        ("ipc", {"page_size": 10}, {"page_size": 1000}, 2),
    ],
)
def test_query_count_does_not_grow_with_rows(client, count_queries, path, few, many, budget):
    for params in (few, many):
        with count_queries() as queries:
            assert client.get(f"{API}{path}/", params).status_code == 200
        assert len(queries) == budget
