"""The dashboard, CSV downloads, the public page and the API: scope, suppression, content, query budgets."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from techex.accounts.tests.factories import UserFactory
from techex.departments.tests.factories import make_partner, make_staff
from techex.organizations.tests.factories import OrganizationFactory

from .factories import build_world, contract, deal

pytestmark = pytest.mark.django_db

YEAR = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
DASHBOARD = reverse("statistics:dashboard")


@pytest.fixture
def world(reference_data):
    return build_world()


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def test_dashboard_shows_every_indicator_with_a_chart_and_a_table(client, staff, world, vietnamese):
    client.force_login(staff)
    response = client.get(DASHBOARD, YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart"') == 13  # the two search tables are empty: no chart for nothing
    assert html.count("<table") == 15
    assert 'role="img"' in html
    assert "Thống kê" in html  # the page speaks Vietnamese by default
    assert reverse("statistics:csv", args=["contracts-by-quarter"]) in html


def test_dashboard_is_staff_only(client, world):
    assert client.get(DASHBOARD).status_code == 404
    client.force_login(UserFactory())
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("statistics:csv", args=["deal-funnel"])).status_code == 404


def test_partner_staff_read_their_department_only(client, world):
    partner = make_staff(world.an_giang)
    client.force_login(partner)
    response = client.get(reverse("statistics:csv", args=["deal-funnel"]), YEAR)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["Inquiry", "2"]  # D2 and D4 are An Giang's
    assert client.get(DASHBOARD, {**YEAR, "department": world.an_giang.code}).status_code == 200
    assert client.get(DASHBOARD, {**YEAR, "department": world.lead.code}).status_code == 404
    assert client.get(DASHBOARD, {**YEAR, "department": "all"}).status_code == 404
    api = reverse("api-statistics-indicators")
    assert client.get(api, {"department": world.lead.code}).status_code == 404
    assert client.get(api, {"department": world.an_giang.code}).status_code == 200


def test_lead_staff_choose_a_department_or_the_region(client, staff, world):
    client.force_login(staff)
    url = reverse("statistics:csv", args=["deal-funnel"])
    counts = {}
    for department in ("", "all", world.lead.code, world.an_giang.code):
        response = client.get(url, {**YEAR, "department": department})
        counts[department] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1][1]
    assert counts == {"": "4", "all": "4", world.lead.code: "2", world.an_giang.code: "2"}
    assert client.get(DASHBOARD, {"department": "khong-co"}).status_code == 404


def test_inactive_partner_staff_see_nothing(client, world):
    sleeping = make_partner("dong-thap", is_active=False)
    client.force_login(make_staff(sleeping))
    assert client.get(DASHBOARD).status_code == 404


def test_csv_content(client, staff, world):
    client.force_login(staff)
    with translation.override("en"):
        response = client.get(reverse("statistics:csv", args=["contracts-by-quarter"]), {**YEAR, "language": "en"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "contracts-by-quarter_region_2025-01-01_2025-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert rows[2] == ["2025-Q2", "2", "400000000", "200000000", "1.0000", "0.25"]
    assert client.get(reverse("statistics:csv", args=["khong-co"])).status_code == 404


def test_bad_filters_are_shown_and_change_nothing(client, staff, world, vietnamese):
    client.force_login(staff)
    response = client.get(DASHBOARD, {"date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert response.status_code == 200
    assert "Ngày kết thúc kỳ trước ngày bắt đầu." in response.content.decode()
    response = client.get(DASHBOARD, {"date_from": "ngày mai", "organization_type": "x"})
    assert response.status_code == 200
    api = client.get(reverse("api-statistics-indicators"), {"date_from": "2000-01-01", "date_to": "2025-01-01"})
    assert api.status_code == 400
    assert "date_from" in api.json()


def test_a_date_far_outside_the_exchange_s_years_is_refused_on_the_page_and_the_apis(client, staff, world, vietnamese):
    # 0001-01-01 once overflowed the month edges computed a step before the period: a 500.
    far = {"date_from": "0001-01-01", "date_to": "0001-01-01"}
    public = client.get(reverse("api-statistics-public"), far)
    assert public.status_code == 400
    assert public.json()["date_from"] == ["Chọn một ngày trong các năm từ 2000 đến 2099."]
    assert (
        "Chọn một ngày trong các năm từ 2000 đến 2099."
        in client.get(reverse("statistics_public"), far).content.decode()
    )
    client.force_login(staff)
    assert client.get(reverse("api-statistics-indicators"), far).status_code == 400
    assert client.get(DASHBOARD, {"date_to": "2100-01-01"}).status_code == 200


def test_public_page_withholds_small_cells(client, world, vietnamese):
    response = client.get(reverse("statistics_public"), YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thống kê của sàn" in html
    assert "được ẩn" in html  # the note on withheld figures
    assert "400.000.000" not in html and "300.000.000" not in html  # no contract's value shows


def test_public_api(client, world):
    response = client.get(reverse("api-statistics-public"), YEAR)
    assert response.status_code == 200
    data = response.json()
    assert data["numbers"] == {"offers": 1, "needs": 2, "organizations": 3}
    contracts = next(i for i in data["indicators"] if i["key"] == "contracts")
    q2 = next(row for row in contracts["rows"] if row["quarter"] == "2025-Q2")
    assert q2 == {"quarter": "2025-Q2", "contracts": None, "value": None, "suppressed": ["contracts", "value"]}
    assert client.get(reverse("api-statistics-indicators")).status_code in (401, 403)


def test_staff_api(client, staff, world):
    client.force_login(staff)
    response = client.get(reverse("api-statistics-indicator", args=["ip-share"]), YEAR)
    assert response.status_code == 200
    (indicator,) = response.json()["indicators"]
    assert indicator["rows"] == [{"year": "2025", "contracts": 2, "ip": 1, "share": 0.5, "target": 0.15}]
    assert client.get(reverse("api-statistics-indicator", args=["khong-co"])).status_code == 404


def test_home_counters_come_from_the_statistics(client, world):
    html = client.get(reverse("home")).content.decode()
    numbers = reverse("api-statistics-public")
    assert client.get(numbers).json()["numbers"] == {"offers": 1, "needs": 2, "organizations": 3}
    assert "<strong>2</strong>" in html and "<strong>3</strong>" in html


def _count(client, count_queries, url) -> int:
    with count_queries() as queries:
        assert client.get(url, YEAR).status_code == 200
    return len(queries)


def test_query_budgets_do_not_grow_with_rows(client, staff, world, count_queries):
    """Each indicator is a fixed number of queries (one to four), whatever the number of rows."""
    client.force_login(staff)
    dashboard, api = DASHBOARD, reverse("api-statistics-indicators")
    client.get(dashboard, YEAR)  # the session and the lead department, once
    # 2 session and user, 1 scope, 3 filter choices (fields, provinces, departments), 26 for the 15 indicators
    # (events: events, registrations, meeting requests and meetings; services: one per step).
    assert _count(client, count_queries, dashboard) == 32
    assert _count(client, count_queries, api) == 28
    l3 = world.listings["l3"]
    for n in range(3):
        extra = deal(on=l3, inquirer=OrganizationFactory.create(), created="2025-09-01")
        contract(of=extra, signed=f"2025-09-0{n + 1}", value=10_000_000)
    assert _count(client, count_queries, dashboard) == 32
    assert _count(client, count_queries, api) == 28
    client.logout()
    assert _count(client, count_queries, reverse("statistics_public")) == 10


def test_the_api_schema_documents_the_statistics(client, db):
    schema = client.get(reverse("api-schema")).content.decode()
    for path in ("/api/v1/statistics/:", "/api/v1/statistics/indicators/:", "/api/v1/statistics/indicators/{key}/:"):
        assert path in schema
