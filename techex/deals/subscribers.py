"""How deals follow their own events (subscribed in ``DealsConfig.ready``): after commit, queue the tasks."""

from .events import DealStepTaken
from .tasks import deal_step_notify


def notify_parties(event: DealStepTaken) -> None:
    deal_step_notify.enqueue(event.deal_id, event.kind, event.side, event.actor_id, list(event.organization_ids))
