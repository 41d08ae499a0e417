"""Calendar files (RFC 5545) of an event and of its sessions, and the QR code of a registration's check-in code."""

import io
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from techex.core.operator import operator
from techex.notifications.emails import absolute_url

from .models import B2BProfile, Event, Meeting, Session

PRODID = "-//techex//events//VI"


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _location(event: Event) -> str:
    if event.is_online:
        return event.online_url
    return ", ".join(part for part in (event.venue, event.address, event.province.name) if part)


def _link(event: Event, *, absolute: bool) -> str:
    return absolute_url(event.get_absolute_url()) if absolute else event.get_absolute_url()


def _uid(kind: str, pk: int) -> str:
    # Stable across downloads, so a calendar that imported the file updates its entry instead of adding one.
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _component(*, uid: str, title: str, starts: datetime, ends: datetime, event: Event, url: str, text: str):
    component = CalendarEvent()
    component.add("uid", uid)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", starts)
    component.add("dtend", ends)
    component.add("summary", title)
    component.add("location", _location(event))
    component.add("url", url)
    if text:
        component.add("description", text)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("organizer", f"mailto:{operator()['email']}", parameters={"cn": operator()["display_name"]})
    return component


def event_ics(event: Event, *, absolute: bool = True) -> bytes:
    """The event as one calendar entry."""
    calendar = _calendar()
    calendar.add_component(
        _component(
            uid=_uid("event", event.pk),
            title=event.title,
            starts=event.starts_at,
            ends=event.ends_at,
            event=event,
            url=_link(event, absolute=absolute),
            text=event.summary or event.description[:1000],
        )
    )
    return calendar.to_ical()


def session_ics(session: Session, *, absolute: bool = True) -> bytes:
    """One session of the programme as a calendar entry (its room in the location)."""
    event = session.event
    calendar = _calendar()
    component = _component(
        uid=_uid("session", session.pk),
        title=f"{session.title} — {event.title}",
        starts=session.starts_at,
        ends=session.ends_at,
        event=event,
        url=_link(event, absolute=absolute),
        text="\n".join(part for part in (session.speakers, session.description) if part),
    )
    if session.room:
        component["location"] = f"{session.room}, {_location(event)}"
    calendar.add_component(component)
    return calendar.to_ical()


def qr_png(text: str, *, scale: int = 8) -> bytes:
    """A QR code of ``text`` as a PNG image (segno is pure Python)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def agenda_ics(
    *, profile: B2BProfile, meetings: Sequence[Meeting], slots: Sequence[tuple[datetime, datetime]]
) -> bytes:
    """A B2B participant's published meetings, one entry each, the table number in the title and the location."""
    calendar = _calendar()
    event = profile.event
    url = absolute_url(reverse("events:b2b_agenda", kwargs={"slug": event.slug}))
    for meeting in meetings:
        if meeting.slot >= len(slots):
            continue
        starts, ends = slots[meeting.slot]
        other = meeting.other(profile)
        title = _("B2B meeting with %(name)s, table %(table)d") % {"name": other.name, "table": meeting.table}
        component = _component(
            uid=_uid("b2b-meeting", meeting.pk),
            title=title,
            starts=starts,
            ends=ends,
            event=event,
            url=url,
            text=other.organization_label,
        )
        calendar.add_component(component)
    return calendar.to_ical()
