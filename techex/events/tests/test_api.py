"""The events API: the same FilterSet and rules as the pages, own registrations only, the ICS file, query budgets."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from techex.events import services
from techex.events.choices import EventType, RegistrationStatus
from techex.events.models import Registration
from techex.events.tests.factories import guest, make_event

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
REGISTRATIONS = "/api/v1/event-registrations/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_upcoming_first_with_filters_and_drafts_hidden(lead):
    now = timezone.now()
    past = make_event(user=lead, title="Techmart 2025", type=EventType.TECHMART,
                      starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=29))  # fmt: skip
    soon = make_event(user=lead, title="Hội thảo An Giang", province="91", sessions=1)
    make_event(user=lead, title="Bản nháp", publish=False)
    body = api().get(EVENTS).json()
    assert [e["slug"] for e in body["results"]] == [soon.slug, past.slug]
    assert body["results"][0]["places_left"] == 50 and body["results"][0]["province"] == "91"
    assert [e["slug"] for e in api().get(EVENTS, {"type": "techmart"}).json()["results"]] == [past.slug]
    assert [e["slug"] for e in api().get(EVENTS, {"province": "91"}).json()["results"]] == [soon.slug]
    response = api().get(EVENTS, {"type": "nope", "date_from": "hôm qua"})
    assert response.status_code == 400 and set(response.json()) == {"type", "date_from"}


def test_detail_with_programme_and_drafts_only_for_their_staff(lead, an_giang_staff, dong_thap_staff, member):
    event = make_event(user=lead, sessions=2)
    body = api().get(f"{EVENTS}{event.slug}/").json()
    assert [s["title"] for s in body["sessions"]] == ["Phiên 1: Trình diễn công nghệ", "Phiên 2: Trình diễn công nghệ"]
    assert body["sessions"][0]["ics_url"].endswith("calendar.ics")
    draft = make_event(user=an_giang_staff, province="91", publish=False, title="Nháp An Giang")
    url = f"{EVENTS}{draft.slug}/"
    assert api().get(url).status_code == 404
    assert api(member).get(url).status_code == 404
    assert api(dong_thap_staff).get(url).status_code == 404
    assert api(an_giang_staff).get(url).status_code == 200
    assert api(lead).get(url).status_code == 200


def test_event_ics_parses_back(lead):
    event = make_event(user=lead)
    response = api().get(f"{EVENTS}{event.slug}/ics/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (component,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(component["summary"]) == event.title and component.decoded("dtstart") == event.starts_at
    assert api().get(f"{EVENTS}khong-co/ics/").status_code == 404


def test_member_registers_lists_and_cancels_own_registrations_only(lead, member):
    event = make_event(user=lead, sessions=1, capacity=1)
    organization = member.memberships.get().organization
    session = event.sessions.get()
    assert api().post(REGISTRATIONS, {"event": event.slug}, format="json").status_code == 401
    response = api(member).post(
        REGISTRATIONS,
        {"event": event.slug, "organization": organization.pk, "sessions": [session.pk], "role": "speaker"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    mine = response.json()
    assert mine["status"] == "confirmed" and mine["checkin_code"] and mine["organization"] == organization.name
    response = api(member).post(REGISTRATIONS, {"event": event.slug}, format="json")
    assert response.status_code == 400 and "already registered" in str(response.json())
    other = services.registration_create(event=event, user=None, **guest())
    assert api(member).get(f"{REGISTRATIONS}{other.pk}/").status_code == 404
    assert api(member).post(f"{REGISTRATIONS}{other.pk}/cancel/").status_code == 404
    assert [r["id"] for r in api(member).get(REGISTRATIONS).json()["results"]] == [mine["id"]]
    response = api(member).post(f"{REGISTRATIONS}{mine['id']}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=other.pk).status == RegistrationStatus.UNVERIFIED


def test_bad_input_is_refused_and_nothing_saved(lead, member):
    event = make_event(user=lead, sessions=1)
    other = make_event(user=lead, sessions=1, title="Sự kiện khác")
    cases = [
        ({"event": event.slug, "role": "vip"}, "role"),
        ({"event": event.slug, "sessions": [other.sessions.get().pk]}, "sessions"),
        ({"event": event.slug, "organization": 999999}, "organization"),
        ({"event": event.slug, "status": "confirmed"}, "status"),
        ({"event": event.slug, "wants_b2b": True}, "wants_b2b"),
    ]
    for data, field in cases:
        response = api(member).post(REGISTRATIONS, data, format="json")
        assert response.status_code == 400 and field in response.json(), (data, response.json())
    assert api(member).post(REGISTRATIONS, {"event": "khong-co"}, format="json").status_code == 404
    closed = make_event(user=lead, title="Đã đóng", registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = api(member).post(REGISTRATIONS, {"event": closed.slug}, format="json")
    assert response.status_code == 400 and "closed" in str(response.json())
    assert not Registration.objects.exists()


def test_list_query_budget(lead, count_queries):
    for n in range(8):
        make_event(user=lead, title=f"Sự kiện {n}", sessions=1)
    with count_queries() as queries:
        response = api().get(EVENTS)
    assert response.status_code == 200 and response.json()["count"] == 8
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]  # the count and the page


def test_registrations_list_query_budget(lead, member, count_queries):
    for n in range(5):
        services.registration_create(event=make_event(user=lead, title=f"Sự kiện {n}", sessions=1), user=member)
    client = api(member)
    with count_queries() as queries:
        response = client.get(REGISTRATIONS)
    assert response.status_code == 200 and response.json()["count"] == 5
    assert len(queries) <= 3, [q["sql"] for q in queries.captured_queries]


def test_events_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/events/", "/api/v1/events/{slug}/ics/", "/api/v1/event-registrations/{id}/cancel/"):
        assert path in schema


def test_odd_requests_get_documented_answers(lead, member):
    event = make_event(user=lead)
    registration = services.registration_create(event=event, user=member)
    assert api().get(EVENTS, {"page": 0}).status_code == 404
    assert APIClient().get(EVENTS, HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    assert api(member).options(f"{REGISTRATIONS}{registration.pk}/cancel/").status_code == 200
    assert api(member).post(REGISTRATIONS, {"event": "a\x00b"}, format="json").status_code == 400
    assert api(member).post(REGISTRATIONS, {"event": "a b/c"}, format="json").status_code == 404
    assert api(member).get(f"{REGISTRATIONS}99999999999999999999/").status_code == 404


def test_sessions_of_an_event(lead, an_giang_staff):
    event = make_event(user=lead, sessions=3)
    body = api().get(f"{EVENTS}{event.slug}/sessions/").json()
    assert [s["room"] for s in body] == ["Phòng 1", "Phòng 2", "Phòng 3"]
    draft = make_event(user=an_giang_staff, province="91", publish=False, sessions=1, title="Nháp")
    assert api().get(f"{EVENTS}{draft.slug}/sessions/").status_code == 404
    assert api(an_giang_staff).get(f"{EVENTS}{draft.slug}/sessions/").status_code == 200
