"""Background work of services: telling the parties of a request what happened (queued after commit)."""

from django_tasks import task


@task()
def request_step_notify(request_id: int, kind: str, actor_id: int | None, parties: list[str]) -> int:
    """Notify (in the app, and by e-mail as each person's preferences say) the parties told; return how many."""
    from django.contrib.auth import get_user_model

    from techex.notifications.services import notify

    from .choices import Party
    from .models import ServiceRequest

    request = ServiceRequest.objects.select_related("category", "provider", "client_user").filter(pk=request_id).first()
    if request is None:
        return 0
    users = get_user_model().objects
    organization_ids = []
    direct = []
    if Party.CLIENT in parties:
        if request.client_organization_id:
            organization_ids.append(request.client_organization_id)
        elif request.client_user_id:
            direct.append(request.client_user_id)
    if Party.PROVIDER in parties and request.provider is not None:
        organization_ids.append(request.provider.organization_id)
    recipients = users.filter(is_active=True).filter(
        pk__in=list(users.filter(memberships__organization_id__in=organization_ids).values_list("pk", flat=True))
        + direct
    )
    actor = users.filter(pk=actor_id).first() if actor_id is not None else None
    params = {"request": request.reference_code, "service": request.category.name}
    sent = notify(
        recipients=list(recipients.order_by("pk")),
        kind=kind,
        url=request.get_absolute_url(),
        params=params,
        actor=actor,
    )
    return len(sent)


@task()
def provider_decision_notify(provider_id: int, kind: str, actor_id: int | None) -> int:
    from django.contrib.auth import get_user_model

    from techex.notifications.services import notify

    from .models import ServiceProvider

    provider = ServiceProvider.objects.select_related("organization").filter(pk=provider_id).first()
    if provider is None:
        return 0
    users = get_user_model().objects
    recipients = users.filter(is_active=True, memberships__organization_id=provider.organization_id).order_by("pk")
    actor = users.filter(pk=actor_id).first() if actor_id is not None else None
    return len(notify(recipients=list(recipients), kind=kind, url=provider.get_absolute_url(), params={}, actor=actor))
