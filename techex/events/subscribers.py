"""How events follow their own domain events (subscribed in ``EventsConfig.ready``): after commit, queue the e-mail."""

from .events import RegistrationChanged
from .tasks import registration_email


def tell_registrant(event: RegistrationChanged) -> None:
    registration_email.enqueue(event.registration_id, event.to_status, event.action)
