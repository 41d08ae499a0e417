"""Who may do what on an event of An Giang (a partner's province): the matrix of pages and API, each refused request
changing nothing."""

import pytest
from django.urls import reverse

from techex.events import services
from techex.events.choices import EventStatus, RegistrationStatus
from techex.events.models import Event, Registration, Session
from techex.events.tests.factories import guest, make_event

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "lead", "right_partner", "other_partner")
# Every staff page and action answers 404 to anyone who may not act on the event, as for a missing one.
ALLOWED = {"anonymous": False, "member": False, "lead": True, "right_partner": True, "other_partner": False}


@pytest.fixture
def world(lead, an_giang_staff, dong_thap_staff, member):
    event = make_event(user=an_giang_staff, province="91", publish=False, sessions=1, needs_approval=True)
    return {
        "event": event,
        "users": {
            "anonymous": None,
            "member": member,
            "lead": lead,
            "right_partner": an_giang_staff,
            "other_partner": dong_thap_staff,
        },  # fmt: skip
    }


def _snapshot(event):
    return (
        Event.objects.filter(pk=event.pk).values_list("status", "title").get(),
        Session.objects.filter(event=event).count(),
        sorted(Registration.objects.filter(event=event).values_list("status", flat=True)),
    )


def _routes(event, registration):
    slug = event.slug
    return [
        ("get", reverse("events:staff_event", args=[slug]), {}),
        ("get", reverse("events:staff_registrations", args=[slug]), {"format": "csv"}),
        ("post", reverse("events:staff_session_new", args=[slug]), {"title": "x"}),
        ("post", reverse("events:staff_cancel", args=[slug]), {"reason": "Thử"}),
        ("post", reverse("events:staff_registration_action", args=[registration.pk, "reject"]), {}),
        ("post", reverse("events:staff_publish", args=[slug]), {}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_matrix(client, world, role):
    event = world["event"]
    services.event_publish(user=world["users"]["right_partner"], event=event)
    registration = services.registration_create(event=event, user=None, **guest())
    services.registration_verify(token=services.verification_token(registration=registration))
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = _snapshot(event)
    for method, url, data in _routes(event, registration):
        response = getattr(client, method)(url, data)
        if ALLOWED[role]:
            assert response.status_code in {200, 302, 400}, (role, url, response.status_code)
        else:
            assert response.status_code == 404, (role, url, response.status_code)
    if not ALLOWED[role]:
        assert _snapshot(event) == before
    else:
        assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED


@pytest.mark.parametrize("role", ROLES)
def test_draft_event_page_and_api_matrix(client, world, role):
    event = world["event"]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    expected = 200 if ALLOWED[role] else 404
    assert client.get(event.get_absolute_url()).status_code == expected
    assert client.get(f"/api/v1/events/{event.slug}/").status_code == expected
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == expected
    # Nobody registers for a draft, staff included: the form is refused with the message and nothing is saved.
    response = client.post(reverse("events:register", args=[event.slug]), {**guest(), "role": "visitor"})
    assert response.status_code == (400 if ALLOWED[role] else 404)
    assert not Registration.objects.filter(event=event).exists()
    assert Event.objects.get(pk=event.pk).status == EventStatus.DRAFT
