"""Staff pages: every deal with filters, the funnel with values, the standard NDA text."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techex.deals import services
from techex.deals.choices import DealStage
from techex.deals.models import NDATemplate
from techex.deals.tests.factories import STAGES, deal_parties, ensure_nda_template, make_deal, make_intermediary
from techex.reference.models import Province

pytestmark = pytest.mark.django_db

LIST = reverse("deals:staff_list")
NDA_PAGE = reverse("deals:nda_template")
# Session, user, the filter form's choices (fields, brokers, provinces), the funnel, the count, the page and its
# prefetches, and (lead staff) each department's count for the queue chips (issue 17); it must not grow with the
# number of deals.
LIST_BUDGET = 13


def text(response) -> str:
    return response.content.decode()


def funnel(page: str) -> dict[str, tuple[str, str, str]]:
    """The funnel's rows: stage -> (count, value, conversion)."""
    rows = re.findall(
        r'<tr data-stage="(\w+)"><th scope="row">[^<]*</th><td class="num"[^>]*>(\d+)</td>'
        r'<td class="num"[^>]*>([^<]*)</td><td class="num"[^>]*>([^<]*)</td>',
        page,
    )
    return {stage: (count, value, conversion) for stage, count, value, conversion in rows}


@pytest.fixture
def every_stage(reference_data, staff):
    """One deal at each stage of the funnel, on listings of different organisations, and one declined."""
    deals = {stage: make_deal(deal_parties(staff=staff), stage=stage) for stage in STAGES}
    parties = deal_parties(staff=staff, province=Province.objects.get(code="91"))
    deals["declined"] = make_deal(parties)
    services.deal_decline(user=parties.owner, deal=deals["declined"], reason="Không phù hợp.")
    return deals


def test_staff_see_every_deal_and_the_funnel_with_values(client, staff, every_stage):
    client.force_login(staff)
    page = text(client.get(LIST))
    for deal in every_stage.values():
        assert deal.reference_code in page
    assert funnel(page) == {
        "inquiry": ("7", "2,250,000,000 ₫", "—"),
        "accepted": ("5", "2,250,000,000 ₫", "71 %"),
        "negotiating": ("4", "2,250,000,000 ₫", "80 %"),
        "agreed": ("3", "2,250,000,000 ₫", "75 %"),
        "signed": ("2", "1,500,000,000 ₫", "67 %"),
        "completed": ("1", "750,000,000 ₫", "50 %"),
    }


def test_filters_narrow_the_list_and_the_funnel(client, staff, every_stage):
    client.force_login(staff)
    page = text(client.get(LIST, {"stage": "signed"}))
    assert every_stage["signed"].reference_code in page and every_stage["completed"].reference_code not in page
    assert funnel(page)["inquiry"][0] == "1" and funnel(page)["signed"][0] == "1"

    page = text(client.get(LIST, {"province": "91"}))
    assert every_stage["declined"].reference_code in page and funnel(page)["inquiry"][0] == "1"
    assert every_stage["inquiry"].reference_code not in page

    assert funnel(text(client.get(LIST, {"field": "4"})))["inquiry"][0] == "7"
    assert funnel(text(client.get(LIST, {"field": "1"})))["inquiry"][0] == "0"

    page = text(client.get(LIST, {"q": every_stage["signed"].reference_code}))
    assert funnel(page)["inquiry"][0] == "1" and every_stage["signed"].reference_code in page

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    assert "No deal matches these filters." in text(client.get(LIST, {"date_from": tomorrow}))
    assert funnel(text(client.get(LIST, {"date_from": today, "date_to": today})))["inquiry"][0] == "7"


def test_broker_filter(client, staff, every_stage):
    broker = make_intermediary()
    deal = every_stage["accepted"]
    services.deal_assign_broker(user=staff, deal=deal, broker=broker)
    client.force_login(staff)
    page = text(client.get(LIST, {"broker": broker.pk}))
    assert deal.reference_code in page and funnel(page)["inquiry"][0] == "1"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"stage": "nonsense"}, "Select a valid choice."),
        ({"province": "XX"}, "Select a valid choice."),
        ({"field": "999"}, "Unknown S&amp;T field."),
        ({"broker": "abc"}, "Select a valid choice."),
        ({"date_from": "31/02/2026"}, "Enter a valid date."),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "The end date is before the start date."),
    ],
)
def test_bad_filters_say_what_is_wrong(client, staff, every_stage, params, error):
    client.force_login(staff)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert error in text(response)
    assert funnel(text(response))  # the page still works


def test_staff_list_query_count_does_not_grow(client, staff, reference_data, count_queries):
    def count() -> int:
        with count_queries() as queries:
            assert client.get(LIST).status_code == 200
        return len(queries.captured_queries)

    client.force_login(staff)
    make_deal(deal_parties(staff=staff), stage=DealStage.SIGNED)
    few = count()
    for stage in (DealStage.INQUIRY, DealStage.NEGOTIATING, DealStage.COMPLETED, DealStage.ACCEPTED):
        make_deal(deal_parties(staff=staff), stage=stage)
    assert count() == few
    assert few <= LIST_BUDGET


def test_staff_publish_a_new_version_of_the_standard_nda(client, staff, db):
    current = ensure_nda_template()
    client.force_login(staff)
    page = text(client.get(NDA_PAGE))
    assert f"Version {current.version}" in page
    response = client.post(
        NDA_PAGE, {"title": "Thỏa thuận bảo mật (bản 2026)", "body": "Điều 1. Thông tin bảo mật …"}, follow=True
    )
    assert f"Version {current.version + 1} of the standard NDA is published." in text(response)
    newest = NDATemplate.objects.order_by("-version").first()
    assert (newest.version, newest.title) == (current.version + 1, "Thỏa thuận bảo mật (bản 2026)")


def test_the_nda_text_cannot_be_empty(client, staff, db):
    before = NDATemplate.objects.count()
    client.force_login(staff)
    response = client.post(NDA_PAGE, {"title": "Tiêu đề", "body": "   "})
    assert response.status_code == 200 and "This field is required." in text(response)
    assert NDATemplate.objects.count() == before


ODD_QUERIES = [
    "q=%00",
    "q=" + "x" * 5000,
    "page=abc",
    "page=999999999999999999999",
    "stage=%00",
    "province=92%00",
    "province=%3Cscript%3E",
    "field=%27%20OR%201%3D1--",
    "field=4%00",
    "broker=1%00",
    "broker=99999999999999999999999",
    "date_from=%00",
    "date_to=9999-99-99",
    "stage[]=x",
]


@pytest.mark.parametrize("path", [LIST, reverse("deals:mine")])
def test_odd_queries_get_an_answer(client, staff, reference_data, path):
    make_deal(deal_parties(staff=staff))
    client.force_login(staff)
    for query in ODD_QUERIES:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, f"{path}?{query[:40]} answered {response.status_code}"
