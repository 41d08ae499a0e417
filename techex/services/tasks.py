"""Background work of services: telling the parties of a request what happened (queued after commit)."""

from typing import Any

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
    guest_told = 0
    if Party.CLIENT in parties and request.guest_email and request.guest_email_verified_at:
        guest_told = _email_guest(request, kind=kind, params=params)
    sent = notify(
        recipients=list(recipients.order_by("pk")),
        kind=kind,
        url=request.get_absolute_url(),
        params=params,
        actor=actor,
    )
    return len(sent) + guest_told


def _email_guest(request: Any, *, kind: str, params: dict) -> int:
    """A guest has no account to be notified in: the step's message goes to their address, with their link."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation

    from techex.notifications.emails import absolute_url
    from techex.notifications.kinds import get_kind

    from .services import guest_token

    spec = get_kind(kind)
    if spec is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = str(spec.message) % params
        url = absolute_url(reverse("services:guest_request", kwargs={"token": guest_token(request=request)}))
    return send_mail(text[:150], f"{text}\n\n{url}\n", None, [request.guest_email])


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


@task()
def guest_verification_email(request_id: int, token: str) -> int:
    """Send a guest the link that verifies their address and follows their request; return how many were sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from techex.notifications.emails import absolute_url

    from .models import ServiceRequest

    request = ServiceRequest.objects.select_related("category").filter(pk=request_id).first()
    if request is None or not request.guest_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        url = absolute_url(reverse("services:guest_request", kwargs={"token": token}))
        subject = _("Confirm your service request %(code)s") % {"code": request.reference_code}
        body = _(
            "Hello %(name)s,\n\nYou asked the technology exchange for “%(service)s”. Open this link to confirm your "
            "e-mail address; the request then goes to the department's staff, and the same link lets you follow it, "
            "answer the provider's quote and rate the work:\n\n%(url)s\n\nIf you did not ask for this, ignore this "
            "message: nothing is sent anywhere without your confirmation."
        ) % {"name": request.guest_name, "service": request.category.name, "url": url}
    return send_mail(subject, body, None, [request.guest_email])


# --- brokerage (issue 13) ------------------------------------------------------------------------------------------


@task()
def brokerage_sync_deal_task(deal_id: int, actor_id: int | None) -> str | None:
    """Bring the deal's brokerage request in step with its broker; return the request's reference code."""
    from .brokerage import brokerage_sync_deal

    request = brokerage_sync_deal(deal_id=deal_id, actor_id=actor_id)
    return request.reference_code if request else None


@task()
def brokerage_sync_listing_task(listing_id: int, actor_id: int | None) -> str | None:
    """Bring the anonymous listing's brokerage request in step with its broker; return its reference code."""
    from .brokerage import brokerage_sync_listing

    request = brokerage_sync_listing(listing_id=listing_id, actor_id=actor_id)
    return request.reference_code if request else None
