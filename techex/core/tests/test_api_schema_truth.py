"""The schema says what the API does with query strings: empty values, page sizes, null characters."""

import pytest

from techex.core.tests.api import api

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/api/v1/organizations/"


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "null", "٣"])
def test_a_bad_page_size_is_a_400_naming_it(org, value):
    response = api().get(ORGANIZATIONS, {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number from 1."]}


@pytest.mark.parametrize(
    ("value", "size"), [("", 20), ("1", 1), ("007", 7), ("100", 100), ("101", 100), ("9" * 5000, 100)]
)
def test_a_page_size_gives_that_many_at_most_100(value, size):
    from techex.organizations.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(2)
    response = api().get(ORGANIZATIONS, {"page_size": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(size, 2)


def test_empty_query_values_mean_not_given(org):
    response = api().get(ORGANIZATIONS, {"type": "", "q": "", "mine": "", "page": "", "province": ""})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_schema_accepts_empty_query_values_and_documents_the_400(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/organizations/"]["get"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    empty = {"type": "string", "maxLength": 0}
    assert parameters["q"] == {"type": "string", "maxLength": 100, "pattern": "^[^\\x00]*$"}  # no minLength
    assert parameters["type"]["anyOf"][1] == empty
    assert parameters["page_size"] == {"anyOf": [{"type": "integer", "minimum": 1}, empty]}
    categories = schema["paths"]["/api/v1/service-categories/"]["get"]["responses"]
    assert "400" in categories  # a bad page_size
