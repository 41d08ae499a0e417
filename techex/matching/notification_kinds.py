"""Notification kinds of matching (found at start-up by techex.notifications, as admin modules are)."""

from django.utils.translation import gettext_lazy as _

from techex.notifications.kinds import register

# A digest kind: never an e-mail of its own, at most one digest a day (docs/notifications.md).
register(
    "match.new",
    _("New match for your listing “%(listing)s”: “%(match)s” (score %(score)s of 100)."),
    digest=True,
)
