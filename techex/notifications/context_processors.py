from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread_notifications(request):
    """The bell's unread count: one query, only when a page shows it to a signed-in person."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: notification_unread_count(user=user))}
