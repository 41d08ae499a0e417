"""Notification kinds of saved searches (found at start-up by techex.notifications, as admin modules are)."""

from django.utils.translation import gettext_lazy as _

from techex.notifications.kinds import register

# services.saved_search_alert_for_listing: listing = the new listing's approved title, search = the reader's own
# name for the saved search; url = the search's alert page. A digest kind: never an e-mail of its own, at most one
# digest a day (docs/notifications.md). The key is stored in notification rows: it keeps its name.
register(
    "saved_search.match",
    _("New listing “%(listing)s” matches your saved search “%(search)s”."),
    digest=True,
)
