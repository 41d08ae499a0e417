"""Background work of deals: telling the parties what happened (queued after commit by ``subscribers``)."""

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def deal_step_notify(deal_id: int, kind: str, side: str, actor_id: int | None, organization_ids: list[int]) -> int:
    """Notify the active members of the organisations told about a step of the deal; return how many were told."""
    from techex.notifications.services import notify

    from .models import Deal
    from .services._common import organization_label

    deal = (
        Deal.objects.select_related("listing", "owner_organization", "inquirer_organization", "broker")
        .filter(pk=deal_id)
        .first()
    )
    if deal is None:
        return 0
    params = {
        "deal": deal.reference_code,
        "listing": deal.listing.title,
        "organization": organization_label(deal, side) if side else "",
    }
    users = get_user_model().objects
    recipients = users.filter(memberships__organization_id__in=organization_ids, is_active=True).distinct()
    actor = users.filter(pk=actor_id).first() if actor_id is not None else None
    sent = notify(
        recipients=list(recipients.order_by("pk")), kind=kind, url=deal.get_absolute_url(), params=params, actor=actor
    )
    return len(sent)
