"""Event pages: the list and its filters, an event's page, registering (member and guest, htmx), calendar files,
the e-mail links, "my registrations" and the staff pages in their department's scope."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from icalendar import Calendar

from techex.events import services
from techex.events.choices import EventStatus, EventType, RegistrationStatus
from techex.events.models import Event, Registration, Session
from techex.events.tests.factories import event_values, guest, make_event

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def event(lead):
    return make_event(user=lead, sessions=2, capacity=2)


def test_list_shows_upcoming_first_then_past_and_hides_drafts(client, lead):
    now = timezone.now()
    past = make_event(user=lead, title="Techmart 2025", starts_at=now - timedelta(days=60),
                      ends_at=now - timedelta(days=58), type=EventType.TECHMART)  # fmt: skip
    later = make_event(user=lead, title="Ngày trình diễn công nghệ", starts_at=now + timedelta(days=40),
                       ends_at=now + timedelta(days=40, hours=4), type=EventType.DEMO_DAY)  # fmt: skip
    soon = make_event(user=lead, title="Hội thảo sắp tới", starts_at=now + timedelta(days=3),
                      ends_at=now + timedelta(days=3, hours=4))  # fmt: skip
    make_event(user=lead, title="Bản nháp bí mật", publish=False)
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    titles = [e.title for e in response.context["page"].object_list]
    assert titles == [soon.title, later.title, past.title]
    html = response.content.decode()
    assert "Past events" in html and "Bản nháp bí mật" not in html
    assert html.index("Upcoming events") < html.index(soon.title) < html.index("Past events") < html.index(past.title)


def test_list_filters_by_type_province_dates_and_field(client, lead):
    now = timezone.now()
    seminar = make_event(user=lead, province="91", title="Hội thảo An Giang")
    make_event(user=lead, type=EventType.TECHMART, title="Techmart Cần Thơ")
    Event.objects.get(pk=seminar.pk).fields.set(["1"])
    url = reverse("events:list")
    assert [e.pk for e in client.get(url, {"province": "91"}).context["page"]] == [seminar.pk]
    assert [e.title for e in client.get(url, {"type": "techmart"}).context["page"]] == ["Techmart Cần Thơ"]
    assert [e.pk for e in client.get(url, {"field": "1"}).context["page"]] == [seminar.pk]
    day = (now + timedelta(days=100)).date().isoformat()
    assert list(client.get(url, {"date_from": day}).context["page"]) == []
    response = client.get(url, {"type": "bogus", "date_from": "not-a-date"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 2
    assert response.context["form"].errors.keys() == {"type", "date_from"}


def test_list_query_count_is_pinned(client, lead, count_queries):
    for n in range(6):
        make_event(user=lead, title=f"Sự kiện {n}", sessions=1)
    with count_queries() as queries:
        response = client.get(reverse("events:list"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == 6
    # the count, the page of events (places counted in it), the filter form's provinces and fields; whatever the
    # number of events
    assert len(queries) <= 4, [q["sql"] for q in queries.captured_queries]


def test_vietnamese_redirect_and_page(client, event):
    response = client.get("/su-kien/?type=seminar")
    assert response.status_code == 302 and response["Location"] == "/events/?type=seminar"
    with override("vi"):
        client.cookies.load({"django_language": "vi"})
        html = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Sự kiện" in html


def test_event_page_shows_place_programme_places_share_and_open_graph(client, event):
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:title" content="Hội thảo chuyển giao công nghệ sấy nông sản">' in html
    assert "https://maps.example/can-tho" in html and "Phiên 1: Trình diễn công nghệ" in html
    assert "Phòng 2" in html and "TS. Trần Thị Mai" in html
    assert "2 places left" in html and "facebook.com/sharer" in html
    assert reverse("events:ics", args=[event.slug]) in html


def test_drafts_are_404_to_the_public_and_other_partners(client, lead, an_giang_staff, dong_thap_staff):
    draft = make_event(user=an_giang_staff, province="91", publish=False)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(dong_thap_staff)
    assert client.get(url).status_code == 404
    client.force_login(an_giang_staff)
    assert client.get(url).status_code == 200
    client.force_login(lead)
    assert client.get(url).status_code == 200


def test_event_and_session_calendar_files_parse_back(client, event):
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    (component,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(component["summary"]) == event.title
    assert component.decoded("dtstart") == event.starts_at and component.decoded("dtend") == event.ends_at
    assert "Hòa Bình" in str(component["location"])
    session = event.sessions.order_by("starts_at").first()
    response = client.get(reverse("events:session_ics", args=[event.slug, session.pk]))
    (component,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(component["summary"]) == f"{session.title} — {event.title}"
    assert str(component["location"]).startswith("Phòng 1, ")
    other = make_event(title="Sự kiện khác", sessions=1)
    foreign = Session.objects.filter(event=other).get()
    assert client.get(reverse("events:session_ics", args=[event.slug, foreign.pk])).status_code == 404


def test_guest_registers_confirms_by_email_and_cancels_by_link(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:register", args=[event.slug]),
            {**guest(), "role": "visitor", "sessions": [event.sessions.first().pk]},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert "we have sent you an e-mail" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == S.UNVERIFIED and registration.sessions.count() == 1
    verify_url = reverse("events:verify", args=[services.verification_token(registration=registration)])
    assert verify_url in mail.outbox[-1].body
    assert client.get(verify_url).status_code == 200  # a page with a button: opening the link changes nothing
    assert Registration.objects.get().status == S.UNVERIFIED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verify_url, follow=True)
    assert "You are registered" in response.content.decode()
    assert Registration.objects.get().status == S.CONFIRMED
    assert "is confirmed" in mail.outbox[-1].subject
    cancel_url = reverse("events:cancel", args=[registration.cancel_token])
    assert client.get(cancel_url).status_code == 200
    response = client.post(cancel_url, follow=True)
    assert "Your registration is cancelled" in response.content.decode()
    assert Registration.objects.get().status == S.CANCELLED
    assert client.get(reverse("events:cancel", args=["nonsense"])).status_code == 404
    assert client.post("/events/cancel/%00x/").status_code == 404
    assert client.post("/events/verify/%00x/", follow=True).status_code == 200  # "invalid or has expired"


def test_bad_guest_fields_show_errors_and_save_nothing(client, event):
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"full_name": "", "email": "không-phải", "phone": "", "role": "vip"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Please correct the errors below" in html
    assert set(response.context["form"].errors) == {"full_name", "email", "phone", "role"}
    assert not Registration.objects.exists()
    response = client.post(reverse("events:register", args=[event.slug]), {"full_name": "x"})
    assert response.status_code == 400


def test_member_registers_and_sees_the_waiting_list_message_when_full(client, member, event):
    for n in range(2):
        registration = services.registration_create(event=event, user=None, **guest(email=f"k{n}@example.vn"))
        services.registration_verify(token=services.verification_token(registration=registration))
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Full: new registrations go to the waiting list" in page and "Công ty TNHH Cơ khí Tây Đô" in page
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"organization": member.memberships.get().organization_id, "role": "exhibitor", "phone": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "The event is full: you are number 1 on the waiting list" in html
    registration = Registration.objects.get(user=member)
    assert registration.status == S.WAITING and registration.role == "exhibitor"
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"organization": member.memberships.get().organization_id, "role": "visitor"},
        HTTP_HX_REQUEST="true",
    )
    assert "registration" in response.content.decode()  # the member sees their registration, no second form
    mine = client.get(reverse("events:mine"))
    assert event.title in mine.content.decode()
    client.post(reverse("events:mine_cancel", args=[registration.pk]))
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


def test_closed_registration_is_said_and_refused(client, lead):
    event = make_event(user=lead, registration_closes_at=timezone.now() - timedelta(minutes=1))
    assert "Registration is not open" in client.get(event.get_absolute_url()).content.decode()
    response = client.post(reverse("events:register", args=[event.slug]), {**guest(), "role": "visitor"})
    assert "Registration for this event is closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_my_registrations_needs_sign_in(client):
    response = client.get(reverse("events:mine"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- staff ---------------------------------------------------------------------------------------------------------


def _form_data(values):
    data = {}
    for name, value in values.items():
        if hasattr(value, "pk"):
            data[name] = value.pk
        elif hasattr(value, "strftime"):
            data[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_staff_pages_are_404_to_members_and_anonymous(client, member, event):
    urls = [reverse("events:staff_list"), reverse("events:staff_new"), reverse("events:staff_event", args=[event.slug]),
            reverse("events:staff_registrations", args=[event.slug])]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 404


def test_partner_staff_create_publish_and_run_their_event(client, an_giang_staff, dong_thap_staff):
    client.force_login(an_giang_staff)
    data = _form_data(event_values(province="91", title="Phiên kết nối cung cầu An Giang", capacity=1))
    data["type"] = EventType.CONNECTION
    response = client.post(reverse("events:staff_new"), data)
    event = Event.objects.get()
    assert response.status_code == 302 and event.department.code == "an-giang" and event.status == EventStatus.DRAFT
    response = client.post(reverse("events:staff_session_new", args=[event.slug]), _form_data({
        "title": "Kết nối doanh nghiệp", "starts_at": event.starts_at, "ends_at": event.starts_at + timedelta(hours=1),
        "room": "Hội trường A", "speakers": "",
    }))  # fmt: skip
    assert response.status_code == 302 and event.sessions.count() == 1
    client.post(reverse("events:staff_publish", args=[event.slug]))
    assert Event.objects.get().status == EventStatus.PUBLISHED
    # Another province's event: refused on the form, nothing saved.
    data["province"] = "82"
    response = client.post(reverse("events:staff_new"), data)
    assert "province of your department" in response.content.decode() and Event.objects.count() == 1

    first = services.registration_create(event=event, user=None, **guest(email="a@example.vn"))
    second = services.registration_create(event=event, user=None, **guest(email="b@example.vn"))
    for r in (first, second):
        services.registration_verify(token=services.verification_token(registration=r))
    page = client.get(reverse("events:staff_registrations", args=[event.slug]))
    assert page.status_code == 200 and "Lê Thị Hồng" in page.content.decode()
    client.post(reverse("events:staff_registration_action", args=[second.pk, "promote"]))
    assert Registration.objects.get(pk=second.pk).status == S.CONFIRMED
    export = client.get(reverse("events:staff_registrations", args=[event.slug]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Full name" and len(rows) == 3 and rows[1][1] == "a@example.vn"

    # The other partner's staff see none of it.
    client.force_login(dong_thap_staff)
    assert event.title not in client.get(reverse("events:staff_list")).content.decode()
    for url in (reverse("events:staff_event", args=[event.slug]),
                reverse("events:staff_registrations", args=[event.slug])):  # fmt: skip
        assert client.get(url).status_code == 404
    response = client.post(reverse("events:staff_registration_action", args=[first.pk, "reject"]))
    assert response.status_code == 404 and Registration.objects.get(pk=first.pk).status == S.CONFIRMED
    response = client.post(reverse("events:staff_cancel", args=[event.slug]), {"reason": "Không"})
    assert response.status_code == 404 and Event.objects.get().status == EventStatus.PUBLISHED


def test_lead_edits_any_event_and_cancels_it(client, lead, an_giang_staff):
    event = make_event(user=an_giang_staff, province="91")
    client.force_login(lead)
    data = _form_data(event_values(province="91", title="Tên mới", capacity=5))
    response = client.post(reverse("events:staff_event", args=[event.slug]), data)
    assert response.status_code == 302 and Event.objects.get().title == "Tên mới"
    response = client.post(reverse("events:staff_cancel", args=[event.slug]), {"reason": ""})
    assert Event.objects.get().status == EventStatus.PUBLISHED
    client.post(reverse("events:staff_cancel", args=[event.slug]), {"reason": "Thời tiết xấu"})
    assert Event.objects.get().status == EventStatus.CANCELLED
    assert "Thời tiết xấu" in client.get(event.get_absolute_url()).content.decode()


def test_an_organisations_page_lists_the_events_it_organises(client, lead, member):
    organization = member.memberships.get().organization
    assert "Events it organises" not in client.get(organization.get_absolute_url()).content.decode()
    event = make_event(user=lead, title="Ngày hội công nghệ Tây Đô")
    services.event_update(user=lead, event=event, values={}, organizers=[organization])
    draft = make_event(user=lead, title="Bản nháp của tổ chức", publish=False)
    services.event_update(user=lead, event=draft, values={}, organizers=[organization])
    html = client.get(organization.get_absolute_url()).content.decode()
    assert "Events it organises" in html and "Ngày hội công nghệ Tây Đô" in html and "Bản nháp" not in html


def test_staff_list_query_count_does_not_grow_with_events(client, an_giang_staff, count_queries):
    client.force_login(an_giang_staff)
    make_event(user=an_giang_staff, province="91", title="Sự kiện 0")
    with count_queries() as few:
        client.get(reverse("events:staff_list"))
    for n in range(1, 6):
        make_event(user=an_giang_staff, province="91", title=f"Sự kiện {n}", sessions=1)
    with count_queries() as many:
        response = client.get(reverse("events:staff_list"))
    assert len(response.context["events"]) == 6
    # the session, the user, the staff scope, the events with their counts
    assert len(many) == len(few) <= 5, [q["sql"] for q in many.captured_queries]


def test_my_confirmed_place_has_a_qr_code_only_i_can_open(client, lead, member, outsider):
    event = make_event(user=lead)
    registration = services.registration_create(event=event, user=member)
    url = reverse("events:mine_qr", args=[registration.pk])
    client.force_login(member)
    assert url in client.get(reverse("events:mine")).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    services.registration_cancel_own(user=member, registration=registration)
    assert client.get(url).status_code == 404
