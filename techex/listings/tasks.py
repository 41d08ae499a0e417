"""Background work for listings: e-mails after lifecycle changes and expiry reminders."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from techex.core.operator import operator


def _recipients(listing) -> list[str]:
    # The organisation's members, not the author: staff who import or enter a listing on an organisation's behalf
    # are not its owners.
    return sorted({m.user.email for m in listing.organization.memberships.select_related("user") if m.user.is_active})


def _send(listing, template: str, context: dict) -> None:
    recipients = _recipients(listing)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"listing": listing, "operator": operator(), **context}
        subject = render_to_string(f"listings/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"listings/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)


@task()
def listing_status_changed(listing_id: int, action: str) -> None:
    from .models import Listing

    listing = Listing.objects.select_related("organization", "created_by").filter(pk=listing_id).first()
    if listing is None or action in {"submit", "revise", "withdraw", "archive", "reopen", "renew"}:
        return
    _send(listing, "status_changed", {"action": action})


@task()
def listing_expiry_reminder(listing_id: int) -> None:
    from .models import Listing

    listing = Listing.objects.select_related("organization", "created_by").filter(pk=listing_id).first()
    if listing is None or not listing.is_live:
        return
    _send(listing, "expiry_reminder", {})


@task()
def listing_import_run(job_id: int) -> None:
    """Run a staff upload of listings (``import_jobs.import_job_run``)."""
    from .import_jobs import import_job_run

    import_job_run(job_id=job_id)
