"""How events follow their own domain events (subscribed in ``EventsConfig.ready``): after commit, queue the e-mail."""

from .events import B2BAgendaPublished, RegistrantsMessaged, RegistrationChanged
from .tasks import agenda_email, registrants_message, registration_email


def tell_registrant(event: RegistrationChanged) -> None:
    registration_email.enqueue(event.registration_id, event.to_status, event.action)


def message_registrants(event: RegistrantsMessaged) -> None:
    registrants_message.enqueue(event.event_id, list(event.registration_ids), event.subject, event.body)


def send_agendas(event: B2BAgendaPublished) -> None:
    for profile_id in event.profile_ids:
        agenda_email.enqueue(profile_id)
