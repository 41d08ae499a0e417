"""Events' services: scope, states, capacity and the waiting list, duplicates, closed registration, approval."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from techex.core.models import AuditEntry
from techex.core.services import audit_verify_chain
from techex.events import services as service_module
from techex.events.choices import EventStatus, RegistrationStatus
from techex.events.models import Event, Registration
from techex.events.tests.factories import Committed, event_values, guest, make_event
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

S = RegistrationStatus
services = service_module


@pytest.fixture(autouse=True)
def _committed(django_capture_on_commit_callbacks):
    global services
    services = Committed(service_module, django_capture_on_commit_callbacks)
    yield
    services = service_module


def register_guest(event, **overrides):
    registration = services.registration_create(event=event, user=None, **guest(**overrides))
    return services.registration_verify(token=services.verification_token(registration=registration))


def actions_of(obj):
    return list(
        AuditEntry.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- events and scope ---------------------------------------------------------------------------------------------


def test_lead_creates_and_publishes_an_event_routed_to_its_province(lead):
    event = make_event(user=lead, publish=False)
    assert event.status == EventStatus.DRAFT
    assert event.department.is_lead and event.slug == "hoi-thao-chuyen-giao-cong-nghe-say-nong-san"
    event = services.event_publish(user=lead, event=event)
    assert event.status == EventStatus.PUBLISHED and event.published_at
    assert actions_of(event) == ["event.create", "event.publish"]
    assert audit_verify_chain() == []


def test_partner_staff_create_only_in_their_province(an_giang_staff):
    event = make_event(user=an_giang_staff, province="91", publish=False)
    assert event.department.code == "an-giang"
    with pytest.raises(ValidationError) as error:
        services.event_create(user=an_giang_staff, values=event_values(province="92"))
    assert "province of your department" in str(error.value.message_dict["province"])
    assert not Event.objects.filter(province_id="92").exists()


def test_partner_staff_cannot_run_another_provinces_event(lead, an_giang_staff, dong_thap_staff):
    event = make_event(user=lead, province="91", publish=False)
    with pytest.raises(Http404):
        services.event_publish(user=dong_thap_staff, event=event)
    with pytest.raises(Http404):
        services.event_update(user=dong_thap_staff, event=event, values={"title": "Đổi tên"})
    assert Event.objects.get(pk=event.pk).status == EventStatus.DRAFT
    services.event_publish(user=an_giang_staff, event=event)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_members_cannot_create_events(member):
    with pytest.raises(PermissionDenied):
        services.event_create(user=member, values=event_values())


def test_bad_event_fields_are_refused_and_nothing_saved(lead):
    values = event_values(ends_at=timezone.now(), starts_at=timezone.now() + timedelta(days=1), venue="", address="")
    with pytest.raises(ValidationError) as error:
        services.event_create(user=lead, values=values)
    assert set(error.value.message_dict) >= {"ends_at", "address"}
    with pytest.raises(ValidationError) as error:
        services.event_create(user=lead, values=event_values(type="online", online_url=""))
    assert "online link" in str(error.value.message_dict["online_url"])
    assert not Event.objects.exists()


def test_a_published_event_cannot_be_published_again_and_cancelling_tells_registrants(lead):
    event = make_event(user=lead)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.event_publish(user=lead, event=event)
    registration = register_guest(event)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="Say why"):
        services.event_cancel(user=lead, event=event, reason="  ")
    services.event_cancel(user=lead, event=event, reason="Bão số 5 đổ bộ")
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED
    assert [m.subject for m in mail.outbox] == [f"Cancelled: {event.title}"]
    assert "Bão số 5" in mail.outbox[0].body


# --- registration ---------------------------------------------------------------------------------------------------


def test_member_registration_is_confirmed_with_ics_and_qr_code(member, lead):
    event = make_event(user=lead, sessions=2)
    organization = member.memberships.get().organization
    registration = services.registration_create(
        event=event, user=member, organization=organization, sessions=list(event.sessions.all())
    )
    assert registration.status == S.CONFIRMED
    assert registration.organization_label == "Công ty TNHH Cơ khí Tây Đô"
    assert registration.email == member.email and registration.sessions.count() == 2
    message = mail.outbox[-1]
    assert message.to == [member.email] and "is confirmed" in message.subject
    assert registration.checkin_code in message.body and registration.cancel_token in message.body
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    ics, _ = names[f"{event.slug}.ics"]
    calendar = Calendar.from_ical(ics)
    (component,) = calendar.walk("VEVENT")
    assert str(component["summary"]) == event.title
    assert component.decoded("dtstart") == event.starts_at
    png, mimetype = names[f"check-in-{registration.checkin_code}.png"]
    assert mimetype == "image/png" and png.startswith(b"\x89PNG")


def test_member_may_not_register_for_someone_elses_organisation(member, lead):
    event = make_event(user=lead)
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=member, organization=OrganizationFactory())
    assert "one of your organisations" in str(error.value.message_dict["organization"])
    assert not Registration.objects.exists()


def test_guest_holds_a_place_only_after_confirming_the_email(lead):
    event = make_event(user=lead, capacity=1)
    registration = services.registration_create(event=event, user=None, **guest(email="Hong.Le@Example.VN"))
    assert registration.status == S.UNVERIFIED and registration.email == "hong.le@example.vn"
    assert "Confirm your e-mail" in mail.outbox[-1].subject
    token = services.verification_token(registration=registration)
    assert token in mail.outbox[-1].body
    assert services.registration_verify(token=token).status == S.CONFIRMED
    assert services.registration_verify(token=token).status == S.CONFIRMED  # a second click changes nothing
    with pytest.raises(ValidationError, match="invalid or has expired"):
        services.registration_verify(token=token + "x")


def test_full_event_puts_registrants_on_the_waiting_list_which_moves_up_on_cancel(lead):
    event = make_event(user=lead, capacity=2)
    first = register_guest(event, email="a@example.vn")
    second = register_guest(event, email="b@example.vn")
    third = register_guest(event, email="c@example.vn")
    fourth = register_guest(event, email="d@example.vn")
    assert [r.status for r in (first, second, third, fourth)] == [S.CONFIRMED, S.CONFIRMED, S.WAITING, S.WAITING]
    assert "waiting list" in mail.outbox[-1].subject
    mail.outbox.clear()

    services.registration_cancel(token=first.cancel_token)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"a@example.vn": S.CANCELLED, "b@example.vn": S.CONFIRMED, "c@example.vn": S.CONFIRMED,
                        "d@example.vn": S.WAITING}  # fmt: skip
    promoted = [m for m in mail.outbox if m.to == ["c@example.vn"]]
    assert promoted and "moved up from the waiting list" in promoted[0].body
    assert actions_of(third)[-1] == "registration.promote"

    # Cancelling a place on the waiting list moves nobody; raising the capacity does.
    services.registration_cancel(token=fourth.cancel_token)
    fifth = register_guest(event, email="e@example.vn")
    assert fifth.status == S.WAITING
    services.event_update(user=lead, event=event, values={"capacity": 3})
    assert Registration.objects.get(pk=fifth.pk).status == S.CONFIRMED


def test_duplicate_registration_is_refused(member, lead):
    event = make_event(user=lead)
    register_guest(event)
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=None, **guest(email="HONG.LE@example.vn"))
    assert "already registered" in str(error.value.message_dict["email"])
    services.registration_create(event=event, user=member)
    with pytest.raises(ValidationError, match="You are already registered"):
        services.registration_create(event=event, user=member)
    assert Registration.objects.count() == 2


def test_after_cancelling_one_may_register_again(lead):
    event = make_event(user=lead)
    registration = register_guest(event)
    services.registration_cancel(token=registration.cancel_token)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.registration_cancel(token=registration.cancel_token)
    assert register_guest(event).status == S.CONFIRMED


def test_closed_and_not_yet_open_registration_are_refused(lead):
    now = timezone.now()
    draft = make_event(user=lead, publish=False)
    closed = make_event(user=lead, registration_closes_at=now - timedelta(hours=1), title="Sự kiện đã đóng")
    later = make_event(user=lead, registration_opens_at=now + timedelta(days=2), title="Sự kiện mở sau")
    for event in (draft, closed):
        with pytest.raises(ValidationError, match="Registration for this event is closed"):
            services.registration_create(event=event, user=None, **guest())
    with pytest.raises(ValidationError, match="opens on"):
        services.registration_create(event=later, user=None, **guest())
    assert not Registration.objects.exists()


def test_bad_fields_are_refused_with_every_message_and_nothing_saved(lead):
    event = make_event(user=lead)
    other = make_event(user=lead, sessions=1, title="Sự kiện khác")
    with pytest.raises(ValidationError) as error:
        services.registration_create(
            event=event,
            user=None,
            full_name="   ",
            email="không-phải-email",
            role="vip",
            wants_b2b=True,
            sessions=list(other.sessions.all()),
        )
    assert set(error.value.message_dict) == {"full_name", "role", "wants_b2b", "sessions"}
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=None, **guest(email="không-phải-email"))
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, user=None, **guest(full_name="x" * 151))
    assert "under 150 characters" in str(error.value.message_dict["full_name"])
    assert not Registration.objects.exists()


def test_approval_then_place_or_waiting_list(lead, an_giang_staff, dong_thap_staff):
    event = make_event(user=lead, province="91", capacity=1, needs_approval=True)
    first = register_guest(event, email="a@example.vn")
    second = register_guest(event, email="b@example.vn")
    assert first.status == second.status == S.PENDING
    assert "awaits approval" in mail.outbox[-1].subject
    with pytest.raises(Http404):
        services.registration_approve(user=dong_thap_staff, registration=first)
    assert services.registration_approve(user=an_giang_staff, registration=first).status == S.CONFIRMED
    assert services.registration_approve(user=lead, registration=second).status == S.WAITING
    # Staff may move someone up out of turn, even over the capacity; it is audited so.
    promoted = services.registration_promote(user=an_giang_staff, registration=second)
    assert promoted.status == S.CONFIRMED
    entry = AuditEntry.objects.filter(action="registration.promote", target_id=str(second.pk)).get()
    assert entry.data["over_capacity"] is True and entry.actor == an_giang_staff
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.registration_reject(user=lead, registration=promoted)


def test_member_cancels_own_registration_only(member, lead):
    event = make_event(user=lead)
    registration = services.registration_create(event=event, user=member)
    someone = register_guest(event)
    with pytest.raises(PermissionDenied):
        services.registration_cancel_own(user=member, registration=someone)
    assert services.registration_cancel_own(user=member, registration=registration).status == S.CANCELLED


def test_emails_are_in_the_operators_language(lead, settings):
    settings.LANGUAGE_CODE = "vi"
    event = make_event(user=lead, capacity=1)
    register_guest(event, email="a@example.vn")
    confirmed = mail.outbox[-1]
    assert confirmed.subject == f"Chỗ của bạn tại {event.title} đã được xác nhận"
    assert "Kính gửi Lê Thị Hồng," in confirmed.body and "Mã điểm danh:" in confirmed.body
    register_guest(event, email="b@example.vn")
    assert mail.outbox[-1].subject == f"Bạn đang trong danh sách chờ của {event.title}"
    assert "tự động được chuyển lên" in mail.outbox[-1].body


def test_staff_write_to_the_registrants_of_their_event(lead, an_giang_staff, dong_thap_staff):
    event = make_event(user=an_giang_staff, province="91", capacity=1)
    register_guest(event, email="a@example.vn")
    register_guest(event, email="b@example.vn")  # waiting
    cancelled = register_guest(event, email="c@example.vn")
    services.registration_cancel(token=cancelled.cancel_token)
    mail.outbox.clear()
    with pytest.raises(Http404):
        services.event_message_registrants(
            user=dong_thap_staff, event=event, subject="Xin chào", body="Nội dung", statuses=["confirmed"]
        )
    with pytest.raises(ValidationError) as error:
        services.event_message_registrants(user=an_giang_staff, event=event, subject=" ", body="", statuses=[])
    assert set(error.value.message_dict) == {"subject", "body", "statuses"}
    assert mail.outbox == []
    count = services.event_message_registrants(
        user=an_giang_staff,
        event=event,
        subject="Đổi phòng hội thảo",
        body="Hội thảo chuyển sang phòng 204.",
        statuses=["confirmed", "waiting"],
    )
    assert count == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn"]
    assert all(m.subject == "Đổi phòng hội thảo" and "phòng 204" in m.body for m in mail.outbox)
    assert actions_of(event)[-1] == "event.message_registrants"


def test_staff_message_page(client, an_giang_staff, django_capture_on_commit_callbacks):
    from django.urls import reverse

    event = make_event(user=an_giang_staff, province="91")
    register_guest(event)
    mail.outbox.clear()
    client.force_login(an_giang_staff)
    url = reverse("events:staff_message", args=[event.slug])
    response = client.post(url, {"statuses": ["confirmed"], "subject": "", "body": "x"})
    assert response.status_code == 400 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"statuses": ["confirmed"], "subject": "Nhắc lịch", "body": "Hẹn gặp bạn."}, follow=True
        )
    assert "on its way to 1 registrants" in response.content.decode()
    assert [m.subject for m in mail.outbox] == ["Nhắc lịch"]
