"""Notifications shown in the app and sent in batched e-mails, and each person's e-mail preference."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds
from .choices import EmailFrequency


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def email_pending(self) -> "NotificationQuerySet":
        """Notifications waiting to go out in an e-mail."""
        return self.filter(email_after__isnull=False)


class Notification(models.Model):
    """Tell one person that something happened; the text is rendered from the kind in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When the notification is due in an e-mail; empty once it was sent, read on the site, or e-mail is off.
    email_after = models.DateTimeField(_("e-mail due at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # The bell's count reads only unread rows.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The sender looks for due rows across all users.
            models.Index(fields=["email_after"], condition=Q(email_after__isnull=False), name="notification_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_after__isnull=True) | Q(emailed_at__isnull=True),
                name="notification_not_due_once_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def text(self) -> str:
        return kinds.render(self.kind, self.params)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Say how one person wants notifications by e-mail (no row: the default, batched)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_frequency = models.CharField(
        _("e-mail"), max_length=8, choices=EmailFrequency.choices, default=EmailFrequency.BATCHED
    )
    last_emailed_at = models.DateTimeField(_("last e-mail sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_frequency}"
