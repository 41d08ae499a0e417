"""B2B pages: who sees what (participants, others, staff by department scope), forms' errors, the ICS agenda."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from techex.events import b2b
from techex.events.choices import MeetingRequestStatus
from techex.events.models import Meeting, MeetingRequest

from .b2b_factories import b2b_member, make_b2b_event, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies.load({"django_language": "vi"})
    return client


@pytest.fixture
def event(lead):
    return make_b2b_event(user=lead)


def test_participant_pages_answer_participants_only(client, event, member):
    an, binh = b2b_member(event, "Nguyễn Văn An", offer="Kiểm định giống lúa"), b2b_member(event, "Lê Thị Bình")
    urls = [
        reverse("events:b2b_participants", args=[event.slug]),
        reverse("events:b2b_profile", args=[event.slug]),
        reverse("events:b2b_requests", args=[event.slug]),
        reverse("events:b2b_agenda", args=[event.slug]),
        reverse("events:b2b_agenda_ics", args=[event.slug]),
        reverse("events:b2b_request_new", args=[event.slug, binh.pk]),
    ]
    client.force_login(member)  # registered for nothing
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    client.force_login(user_of(an))
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    page = client.get(urls[0], {"q": "kiểm định"}).content.decode()
    assert "Nguyễn Văn An" in page and "Lê Thị Bình" not in page


def test_request_flow_through_pages(client, event):
    an, binh = b2b_member(event, "An"), b2b_member(event, "Bình")
    client.force_login(user_of(an))
    url = reverse("events:b2b_request_new", args=[event.slug, binh.pk])
    response = client.post(url, {"message": "Xin gặp để bàn về máy sấy", "important": "on"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    # A second request to the same person is refused with the translated message, nothing saved.
    response = client.post(url, {"message": "Lần nữa"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Giữa hai bên đã có một yêu cầu gặp gỡ." in response.content.decode()
    assert MeetingRequest.objects.count() == 1
    # The sender cannot accept their own request; the recipient can.
    accept = reverse("events:b2b_request_action", args=[request.pk, "accept"])
    client.post(accept)
    assert MeetingRequest.objects.get().status == MeetingRequestStatus.SENT
    client.force_login(user_of(binh))
    page = client.get(reverse("events:b2b_requests", args=[event.slug])).content.decode()
    assert "Xin gặp để bàn về máy sấy" in page
    client.post(accept, {"important": "on"})
    assert MeetingRequest.objects.get().status == MeetingRequestStatus.ACCEPTED
    assert client.post(reverse("events:b2b_request_action", args=[request.pk, "nonsense"])).status_code == 404


def test_other_participant_cannot_act_on_a_request(client, event):
    an, binh, chi = (b2b_member(event, name) for name in ("An", "Bình", "Chi"))
    request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh)
    client.force_login(user_of(chi))
    response = client.post(reverse("events:b2b_request_action", args=[request.pk, "decline"]))
    assert response.status_code == 404
    assert MeetingRequest.objects.get().status == MeetingRequestStatus.SENT


def test_staff_page_scope_run_and_publish(client, lead, an_giang_staff, dong_thap_staff, member):
    event = make_b2b_event(user=lead, province="91")
    an, binh = b2b_member(event, "Nguyễn Văn An"), b2b_member(event, "Trần Thị Hòa", available=[])
    chi = b2b_member(event, "Chi")
    for other in (binh, chi):
        request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=other)
        b2b.meeting_request_accept(user=user_of(other), request=request)
    url = reverse("events:staff_b2b", args=[event.slug])
    for user in (member, user_of(an), dong_thap_staff):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"do": "run"}).status_code == 404
    assert not Meeting.objects.exists()
    for user in (lead, an_giang_staff):
        client.force_login(user)
        assert client.get(url).status_code == 200
    response = client.post(url, {"do": "run"}, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hai người tham gia không có khung giờ nào chung." in page
    assert Meeting.objects.filter(event=event, published=False).count() == 1
    client.post(url, {"do": "publish"})
    assert Meeting.objects.filter(event=event, published=True).count() == 1
    # Settings with a bad break are refused with the message, nothing saved.
    settings = event.b2b_settings
    response = client.post(
        url,
        {
            "starts_at": settings.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": settings.ends_at.strftime("%Y-%m-%dT%H:%M"),
            "meeting_minutes": 20,
            "break_starts_at": settings.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "tables": 3,
            "request_limit": 5,
        },
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    assert "Hãy nhập cả giờ bắt đầu và giờ kết thúc nghỉ" in response.content.decode()


def test_agenda_page_and_ics(client, lead):
    event = make_b2b_event(user=lead)
    an, binh = b2b_member(event, "Nguyễn Văn An"), b2b_member(event, "Lê Thị Bình")
    request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh)
    b2b.meeting_request_accept(user=user_of(binh), request=request)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    client.force_login(user_of(an))
    assert "Lê Thị Bình" not in client.get(reverse("events:b2b_agenda", args=[event.slug])).content.decode()
    b2b.b2b_schedule_publish(user=lead, event=event)
    meeting = Meeting.objects.get()
    page = client.get(reverse("events:b2b_agenda", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Lê Thị Bình" in page and f"Bàn {meeting.table}" in page
    response = client.get(reverse("events:b2b_agenda_ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    (entry,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "Lê Thị Bình" in str(entry["summary"])
    # Marking before the meeting's time is refused with the message; a stranger gets 404.
    client.post(reverse("events:b2b_meeting_mark", args=[meeting.pk, "held"]))
    assert Meeting.objects.get().status == "scheduled"
    client.force_login(lead)
    assert client.post(reverse("events:b2b_meeting_mark", args=[meeting.pk, "held"])).status_code == 404


def test_list_pages_query_counts_do_not_grow(client, lead, count_queries):
    event = make_b2b_event(user=lead, request_limit=20)
    people = [b2b_member(event, f"Người tham gia {n}") for n in range(3)]
    client.force_login(user_of(people[0]))
    urls = [reverse("events:b2b_participants", args=[event.slug]), reverse("events:b2b_requests", args=[event.slug])]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    for other in people[1:]:
        b2b.meeting_request_send(user=user_of(people[0]), event=event, recipient=other)
    few = counts()
    more = [b2b_member(event, f"Người mới {n}") for n in range(5)]
    for other in more:
        b2b.meeting_request_send(user=user_of(people[0]), event=event, recipient=other)
        b2b.meeting_request_send(user=user_of(other), event=event, recipient=people[1])
    assert counts() == few


@pytest.mark.parametrize("query", ["%00", "x" * 5000, "%27%20OR%201%3D1--", "Ki%E1%BB%83m"])
def test_participant_search_answers_odd_queries(client, event, query):
    an = b2b_member(event, "An")
    client.force_login(user_of(an))
    assert client.get(reverse("events:b2b_participants", args=[event.slug]) + "?q=" + query).status_code == 200


def test_event_page_links_a_participant_to_the_b2b_pages(client, event):
    an = b2b_member(event, "An")
    client.force_login(user_of(an))
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:b2b_agenda", args=[event.slug]) in page


def test_bad_input_is_answered_without_a_server_error(client, lead, event):
    from techex.events.tests.factories import make_event

    an = b2b_member(event, "An")
    client.force_login(user_of(an))
    response = client.post(reverse("events:b2b_request_new", args=[event.slug, an.pk]), {"message": "Tôi"})
    assert (
        response.status_code == 400 and "Bạn không thể gửi yêu cầu gặp gỡ cho chính mình." in response.content.decode()
    )
    assert client.get(reverse("events:b2b_request_new", args=[event.slug, 999999])).status_code == 404
    assert client.post(reverse("events:b2b_meeting_mark", args=[999999, "held"])).status_code == 404
    client.force_login(lead)
    plain = make_event(user=lead)
    assert client.get(reverse("events:staff_b2b", args=[plain.slug])).status_code == 404
    unset = make_event(user=lead, b2b_enabled=True)
    response = client.post(reverse("events:staff_b2b", args=[unset.slug]), {"do": "run"}, follow=True)
    assert "Hãy đặt giờ gặp gỡ B2B và số bàn trước." in response.content.decode()
    response = client.post(reverse("events:staff_b2b", args=[unset.slug]), {"starts_at": "hôm qua", "tables": "-1"})
    assert response.status_code == 400


def test_api_agenda_is_the_participants_own(client, lead):
    event = make_b2b_event(user=lead)
    an, binh = b2b_member(event, "Nguyễn Văn An"), b2b_member(event, "Lê Thị Bình")
    request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh)
    b2b.meeting_request_accept(user=user_of(binh), request=request)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    b2b.b2b_schedule_publish(user=lead, event=event)
    meeting = Meeting.objects.get()
    url = f"/api/v1/events/{event.slug}/b2b/meetings/"
    ics_url = f"/api/v1/events/{event.slug}/b2b/agenda-ics/"
    assert client.get(url).status_code == 404
    client.force_login(lead)
    assert client.get(url).status_code == 404 and client.get(ics_url).status_code == 404
    client.force_login(user_of(binh))
    (row,) = client.get(url).json()
    assert row["table"] == meeting.table and row["with_name"] == "Nguyễn Văn An"
    (entry,) = Calendar.from_ical(client.get(ics_url).content).walk("VEVENT")
    assert "Nguyễn Văn An" in str(entry["summary"])
