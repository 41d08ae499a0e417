"""B2B meetings: profiles, requests and their limits, the scheduler run, publishing, agendas and who may do what."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from techex.core.models import AuditEntry
from techex.events import b2b, services
from techex.events.choices import MeetingRequestStatus, MeetingStatus
from techex.events.models import Meeting
from techex.events.scheduling import (
    Meeting as ProblemMeeting,
)
from techex.events.scheduling import (
    MeetingRequest as ProblemRequest,
)
from techex.events.scheduling import (
    Participant,
    Reason,
    Schedule,
    SchedulingProblem,
    Status,
    Unplaced,
    violations,
)
from techex.events.states import EventStateError

from .b2b_factories import b2b_member, make_b2b_event, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(lead):
    return make_b2b_event(user=lead)


def test_slots_skip_the_break(event):
    slots = event.b2b_settings.slot_times()
    assert len(slots) == 6
    # Three slots, an hour's break, three more.
    assert slots[3][0] - slots[2][1] == timedelta(hours=1)


def test_profile_needs_a_b2b_registration(event, member):
    with pytest.raises(PermissionDenied, match="B2B"):
        b2b.b2b_profile_save(user=member, event=event, offer="Dịch vụ", seek="")
    services.registration_create(event=event, user=member, wants_b2b=False)
    with pytest.raises(PermissionDenied):
        b2b.b2b_profile_save(user=member, event=event, offer="Dịch vụ", seek="")


def test_profile_save_checks_slots_and_text(event):
    profile = b2b_member(event, "Nguyễn Văn An")
    assert profile.available_slots == list(range(6))
    with pytest.raises(ValidationError) as exc:
        b2b.b2b_profile_save(user=user_of(profile), event=event, offer="", seek="", available_slots=[0, 9])
    assert set(exc.value.message_dict) == {"offer", "available_slots"}
    profile.refresh_from_db()
    assert profile.offer.startswith("Máy sấy lúa")


def test_request_rules(lead):
    event = make_b2b_event(user=lead, request_limit=2)
    an, binh, chi, dung = (b2b_member(event, name) for name in ("An", "Bình", "Chi", "Dũng"))
    with pytest.raises(ValidationError, match="yourself"):
        b2b.meeting_request_send(user=user_of(an), event=event, recipient=an)
    request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh, message="Xin gặp anh")
    with pytest.raises(ValidationError, match="already"):
        b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh)
    with pytest.raises(ValidationError, match="already"):
        b2b.meeting_request_send(user=user_of(binh), event=event, recipient=an)
    b2b.meeting_request_send(user=user_of(an), event=event, recipient=chi)
    with pytest.raises(ValidationError, match="limit of 2"):
        b2b.meeting_request_send(user=user_of(an), event=event, recipient=dung)
    # Withdrawing frees a place under the limit and lets the pair ask again.
    b2b.meeting_request_withdraw(user=user_of(an), request=request)
    b2b.meeting_request_send(user=user_of(an), event=event, recipient=dung)
    b2b.meeting_request_send(user=user_of(binh), event=event, recipient=an)


def test_request_state_table(event):
    an, binh = b2b_member(event, "An"), b2b_member(event, "Bình")
    request = b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh, important=True)
    with pytest.raises(PermissionDenied):
        b2b.meeting_request_accept(user=user_of(an), request=request)
    with pytest.raises(PermissionDenied):
        b2b.meeting_request_withdraw(user=user_of(binh), request=request)
    request = b2b.meeting_request_accept(user=user_of(binh), request=request, important=True)
    assert request.status == MeetingRequestStatus.ACCEPTED and request.is_priority
    with pytest.raises(EventStateError):
        b2b.meeting_request_accept(user=user_of(binh), request=request)
    request = b2b.meeting_request_decline(user=user_of(binh), request=request)
    assert request.status == MeetingRequestStatus.DECLINED
    with pytest.raises(EventStateError):
        b2b.meeting_request_withdraw(user=user_of(an), request=request)
    actions = list(AuditEntry.objects.filter(action__startswith="b2b.request").values_list("action", flat=True))
    assert sorted(actions) == ["b2b.request_accept", "b2b.request_decline", "b2b.request_send"]


def test_closed_requests(event, lead):
    an, binh = b2b_member(event, "An"), b2b_member(event, "Bình")
    b2b.b2b_settings_save(user=lead, event=event, values={"requests_open": False})
    with pytest.raises(ValidationError, match="closed"):
        b2b.meeting_request_send(user=user_of(an), event=event, recipient=binh)


def test_non_participant_recipient(event, member):
    an = b2b_member(event, "An")
    other_event = make_b2b_event(user=event.created_by)
    stranger = b2b_member(other_event, "Người lạ")
    with pytest.raises(ValidationError, match="does not take part"):
        b2b.meeting_request_send(user=user_of(an), event=event, recipient=stranger)
    with pytest.raises(PermissionDenied):
        b2b.meeting_request_send(user=member, event=event, recipient=an)


def _accepted(event, sender, recipient, *, important=False):
    request = b2b.meeting_request_send(user=user_of(sender), event=event, recipient=recipient, important=important)
    return b2b.meeting_request_accept(user=user_of(recipient), request=request, important=important)


def _problem_of(event, run):
    """The stored meetings as the scheduler's problem and schedule, to check them with ``violations``."""
    settings = event.b2b_settings
    meetings = list(Meeting.objects.filter(event=event))
    profiles = {p.pk: p for p in event.b2b_profiles.all()}
    accepted = event.meeting_requests.filter(status=MeetingRequestStatus.ACCEPTED)
    problem = SchedulingProblem(
        participants=tuple(Participant(pk, frozenset(p.available_slots)) for pk, p in sorted(profiles.items())),
        requests=tuple(ProblemRequest(r.sender_id, r.recipient_id) for r in accepted),
        slots=len(settings.slot_times()),
        tables=settings.tables,
    )
    schedule = Schedule(
        meetings=tuple(ProblemMeeting(m.first_id, m.second_id, m.slot, m.table - 1) for m in meetings),
        unplaced=tuple(Unplaced(u.first.pk, u.second.pk, Reason(u.code), participants=u.booked) for u in run.unplaced),
        status=Status.OPTIMAL,
        objective=0,
        objective_bound=None,
        upper_bound=None,
        solve_seconds=0.0,
    )
    return problem, schedule, meetings


def test_schedule_run_end_to_end(lead):
    event = make_b2b_event(user=lead, slots=4, tables=2, request_limit=10)
    people = [b2b_member(event, f"Người {n}") for n in range(6)]
    # Hòa is free in slot 0 only; both her partners want her.
    hoa = b2b_member(event, "Trần Thị Hòa", available=[0])
    for n in range(5):
        _accepted(event, people[n], people[n + 1])
    _accepted(event, people[0], hoa)
    _accepted(event, people[3], hoa)
    run = b2b.b2b_schedule_run(user=lead, event=event, allow_moving=False, time_limit=5)
    problem, schedule, meetings = _problem_of(event, run)
    assert violations(problem=problem, schedule=schedule) == []
    assert run.placed == len(meetings) == 6
    assert len(run.unplaced) == 1
    assert "Trần Thị Hòa" in run.unplaced[0].reason
    assert all(not m.published for m in meetings)


def test_rerun_keeps_published_meetings_and_publish_mails(lead, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "vi"  # the e-mails are written in the site's language
    event = make_b2b_event(user=lead, slots=3, tables=1)
    an, binh, chi, dung = (b2b_member(event, name) for name in ("An", "Bình", "Chi", "Dũng"))
    _accepted(event, an, binh)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert b2b.b2b_schedule_publish(user=lead, event=event) == 1
    assert sorted(len(m.attachments) for m in mail.outbox) == [1, 1]
    assert {m.to[0] for m in mail.outbox} == {an.registration.email, binh.registration.email}
    assert all(m.subject.startswith("Lịch gặp B2B của bạn tại") for m in mail.outbox)
    assert "bàn 1 ·" in mail.outbox[0].body
    first = Meeting.objects.get(event=event)
    _accepted(event, chi, dung, important=True)
    _accepted(event, an, chi)
    run = b2b.b2b_schedule_run(user=lead, event=event, allow_moving=False, time_limit=5)
    kept = Meeting.objects.get(pk=first.pk)
    assert (kept.slot, kept.table, kept.published) == (first.slot, first.table, True)
    assert run.placed == 3
    problem, schedule, _meetings = _problem_of(event, run)
    assert violations(problem=problem, schedule=schedule) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert b2b.b2b_schedule_publish(user=lead, event=event) == 2
    assert len(mail.outbox) == 3  # Chi, Dũng and An have new meetings; Bình's agenda did not change
    with pytest.raises(ValidationError, match="Không có cuộc gặp mới nào để công bố"):
        b2b.b2b_schedule_publish(user=lead, event=event)
    assert AuditEntry.objects.filter(action="b2b.schedule_publish").count() == 2


def test_schedule_permissions(lead, an_giang_staff, dong_thap_staff, member):
    event = make_b2b_event(user=lead)
    an = b2b_member(event, "An")
    with pytest.raises(PermissionDenied):
        b2b.b2b_schedule_run(user=user_of(an), event=event)
    with pytest.raises(Http404):
        b2b.b2b_schedule_run(user=an_giang_staff, event=event)
    an_giang_event = make_b2b_event(user=lead, province="91")
    b2b.b2b_schedule_run(user=an_giang_staff, event=an_giang_event, time_limit=1)
    with pytest.raises(Http404):
        b2b.b2b_schedule_publish(user=dong_thap_staff, event=an_giang_event)


def test_mark_meeting_by_either_side_only(lead):
    event = make_b2b_event(user=lead)
    an, binh, chi = (b2b_member(event, name) for name in ("An", "Bình", "Chi"))
    _accepted(event, an, binh)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    b2b.b2b_schedule_publish(user=lead, event=event)
    meeting = Meeting.objects.get(event=event)
    with pytest.raises(ValidationError, match="once its time"):
        b2b.meeting_mark(user=user_of(an), meeting=meeting, status=MeetingStatus.HELD)
    settings = event.b2b_settings
    settings.starts_at = timezone.now() - timedelta(hours=5)
    settings.ends_at = settings.starts_at + timedelta(hours=2)
    settings.break_starts_at = settings.break_ends_at = None
    settings.save()
    with pytest.raises(PermissionDenied):
        b2b.meeting_mark(user=user_of(chi), meeting=meeting, status=MeetingStatus.HELD)
    meeting = b2b.meeting_mark(user=user_of(binh), meeting=meeting, status=MeetingStatus.NO_SHOW)
    assert meeting.status == MeetingStatus.NO_SHOW
    assert AuditEntry.objects.filter(action="b2b.meeting_mark").count() == 1


def test_agenda_ics_parses_back(lead):
    event = make_b2b_event(user=lead)
    an, binh = b2b_member(event, "Nguyễn Văn An"), b2b_member(event, "Lê Thị Bình")
    _accepted(event, an, binh)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    b2b.b2b_schedule_publish(user=lead, event=event)
    from techex.events.calendar import agenda_ics

    meeting = Meeting.objects.get(event=event)
    slots = event.b2b_settings.slot_times()
    ics = agenda_ics(profile=an, meetings=b2b.agenda_of(profile=an), slots=slots)
    entries = Calendar.from_ical(ics).walk("VEVENT")
    assert len(entries) == 1
    assert "Lê Thị Bình" in str(entries[0]["summary"])
    assert f"{meeting.table}" in str(entries[0]["summary"])
    assert entries[0].decoded("dtstart") == slots[meeting.slot][0]


def test_settings_cannot_remove_published_slots(lead):
    event = make_b2b_event(user=lead, slots=2, tables=1)
    an, binh = b2b_member(event, "An"), b2b_member(event, "Bình")
    _accepted(event, an, binh)
    b2b.b2b_schedule_run(user=lead, event=event, time_limit=5)
    b2b.b2b_schedule_publish(user=lead, event=event)
    Meeting.objects.filter(event=event).update(slot=1)
    settings = event.b2b_settings
    with pytest.raises(ValidationError, match="Published meetings"):
        b2b.b2b_settings_save(user=lead, event=event, values={"ends_at": settings.starts_at + timedelta(minutes=20)})


def test_profiles_made_before_the_hours_are_free_at_every_slot(lead):
    from techex.events.tests.factories import make_event

    event = make_event(user=lead, b2b_enabled=True, capacity=None)
    early = b2b_member(event, "Sớm")
    assert early.available_slots == []
    starts = event.starts_at
    b2b.b2b_settings_save(
        user=lead,
        event=event,
        values={"starts_at": starts, "ends_at": starts + timedelta(hours=1), "meeting_minutes": 30, "tables": 2},
    )
    early.refresh_from_db()
    assert early.available_slots == [0, 1]
