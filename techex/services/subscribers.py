"""How services follow their own events (subscribed in ``ServicesConfig.ready``): after commit, queue the tasks."""

from .events import ServiceRequestStepTaken
from .tasks import request_step_notify


def notify_parties(event: ServiceRequestStepTaken) -> None:
    request_step_notify.enqueue(event.request_id, event.kind, event.actor_id, list(event.parties))
