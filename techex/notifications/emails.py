"""The e-mail that carries a batch of notifications, in the operator's language, with a one-click unsubscribe."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from techex.core.operator import operator

from .models import Notification
from .tokens import unsubscribe_token


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (``SITE_URL``) followed by the path."""
    base = getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")
    return f"{base}{path}"


def max_items() -> int:
    return getattr(settings, "NOTIFICATION_EMAIL_MAX_ITEMS", 20)


def build_message(*, user, notifications: list[Notification], total: int) -> EmailMessage:
    """Write the e-mail of ``notifications`` (the newest ``max_items()`` of ``total``) to ``user``."""
    unsubscribe = absolute_url(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}))
    # Written in the operator's language: the e-mail is read outside any request, and most readers are Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "operator": operator(),
            "items": [{"text": n.text, "url": absolute_url(n.url), "created_at": n.created_at} for n in notifications],
            "count": total,
            "more": total - len(notifications),
            "list_url": absolute_url(reverse("notifications:list")),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe,
        }
        subject = " ".join(render_to_string("notifications/email/digest_subject.txt", context).split())
        body = render_to_string("notifications/email/digest.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that POSTs to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
