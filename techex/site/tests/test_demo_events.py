"""The demo events of `make run`: a past techmart, an upcoming demo day with open registration and B2B, and a
seminar the An Giang department runs; built through the services, created once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from techex.events.choices import EventStatus, EventType, RegistrationStatus
from techex.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--limit", "5", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_events_are_seeded_once_and_shown(client, reference_data):
    assert "events: 3 demo events created" in _seed()
    techmart = Event.objects.get(title="Techmart – Techfest Mekong 2026")
    assert techmart.type == EventType.TECHMART and techmart.has_ended() and techmart.province_id == "92"
    assert techmart.sessions.count() == 3 and all(s.ends_at <= techmart.ends_at for s in techmart.sessions.all())
    assert Registration.objects.filter(event=techmart, status=RegistrationStatus.CONFIRMED).exists()
    demo_day = Event.objects.get(type=EventType.DEMO_DAY)
    assert demo_day.registration_is_open() and demo_day.b2b_enabled
    seminar = Event.objects.get(type=EventType.SEMINAR)
    assert seminar.department.code == "an-giang" and seminar.status == EventStatus.PUBLISHED

    html = client.get(reverse("events:list")).content.decode()
    assert html.index(demo_day.title) < html.index(seminar.title) < html.index(techmart.title)
    assert client.get(techmart.get_absolute_url()).status_code == 200

    assert "demo events created" not in _seed()
    assert Event.objects.filter(is_demo=True).count() == 3


def test_demo_b2b_meetings(reference_data):
    from techex.events.choices import MeetingRequestStatus, MeetingStatus
    from techex.events.models import Meeting, MeetingRequest

    _seed()
    techmart = Event.objects.get(title="Techmart – Techfest Mekong 2026")
    meetings = Meeting.objects.filter(event=techmart)
    assert meetings.exists() and all(m.published for m in meetings)
    assert meetings.filter(status=MeetingStatus.HELD).exists()
    demo_day = Event.objects.get(type=EventType.DEMO_DAY)
    assert demo_day.b2b_profiles.count() >= 2
    assert MeetingRequest.objects.filter(event=demo_day, status=MeetingRequestStatus.ACCEPTED).exists()
