"""Background work of events: the e-mail a registrant gets at each step (queued after commit by ``subscribers``)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from techex.core.operator import operator
from techex.notifications.emails import absolute_url


@task()
def registration_email(registration_id: int, status: str, action: str) -> bool:
    """E-mail the registrant what just happened; a confirmed place comes with the check-in QR code and the ICS file.

    ``status`` is the status the step led to: a later step may have moved the registration on before the task runs,
    and the e-mail tells of this step, not of the latest.
    """
    from .calendar import event_ics, qr_png
    from .choices import RegistrationStatus
    from .models import Registration
    from .services import verification_token

    registration = Registration.objects.select_related("event", "event__province").filter(pk=registration_id).first()
    if registration is None:
        return False
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "status": status,
            "action": action,
            "operator": operator(),
            "event_url": absolute_url(event.get_absolute_url()),
            "cancel_url": absolute_url(reverse("events:cancel", kwargs={"token": registration.cancel_token})),
            "verify_url": absolute_url(
                reverse("events:verify", kwargs={"token": verification_token(registration=registration)})
            ),
        }
        subject = render_to_string("events/email/registration_subject.txt", context).strip()
        body = render_to_string("events/email/registration.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if status == RegistrationStatus.CONFIRMED:
        message.attach(f"{event.slug}.ics", event_ics(event), "text/calendar; method=PUBLISH")
        message.attach(f"check-in-{registration.checkin_code}.png", qr_png(registration.checkin_code), "image/png")
    message.send()
    return True


@task()
def registrants_message(event_id: int, registration_ids: list[int], subject: str, body: str) -> int:
    """Staff's message to an event's registrants: one e-mail each (no one sees the others' addresses)."""
    from .models import Registration

    registrations = Registration.objects.select_related("event").filter(event_id=event_id, pk__in=registration_ids)
    sent = 0
    for registration in registrations.order_by("pk"):
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "registration": registration,
                "event": registration.event,
                "body": body,
                "operator": operator(),
                "event_url": absolute_url(registration.event.get_absolute_url()),
                "cancel_url": absolute_url(reverse("events:cancel", kwargs={"token": registration.cancel_token})),
            }
            text = render_to_string("events/email/message.txt", context)
        EmailMessage(subject=subject, body=text, to=[registration.email]).send()
        sent += 1
    return sent


@task()
def agenda_email(profile_id: int) -> bool:
    """A B2B participant's agenda, published or changed: the meetings with times and tables, and the ICS file."""
    from .b2b import agenda_rows, b2b_settings_of
    from .calendar import agenda_ics
    from .models import B2BProfile

    profile = B2BProfile.objects.select_related("registration", "event").filter(pk=profile_id).first()
    if profile is None:
        return False
    event = profile.event
    b2b_settings = b2b_settings_of(event=event)
    slots = b2b_settings.slot_times() if b2b_settings else []
    rows = agenda_rows(profile=profile)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "profile": profile,
            "event": event,
            "rows": rows,
            "operator": operator(),
            "agenda_url": absolute_url(reverse("events:b2b_agenda", kwargs={"slug": event.slug})),
        }
        subject = render_to_string("events/email/agenda_subject.txt", context).strip()
        body = render_to_string("events/email/agenda.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[profile.registration.email])
    message.attach(
        f"{event.slug}-b2b.ics",
        agenda_ics(profile=profile, meetings=[row[1] for row in rows], slots=slots),
        "text/calendar",
    )
    message.send()
    return True
