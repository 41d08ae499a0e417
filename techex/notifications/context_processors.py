from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request):
    """The bell's unread count: one query, only when a page shows it to a signed-in person."""
    # A request that never went through the authentication middleware (an early error page) has no user.
    user = getattr(request, "user", None) or AnonymousUser()
    return {"unread_notifications": SimpleLazyObject(lambda: notification_unread_count(user=user))}
