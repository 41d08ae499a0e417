"""The admin shows notifications and preferences, read only."""

import pytest
from django.urls import reverse

from techex.accounts.models import User
from techex.notifications.choices import EmailFrequency
from techex.notifications.services import preference_set

from .factories import make_notification

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_notifications_without_changing_them(client):
    superuser = User.objects.create_superuser(email="admin@example.vn", password="Quan-tri-2026!")
    notification = make_notification(User.objects.create_user(email="mai@example.vn"))
    preference = preference_set(user=notification.recipient, email_frequency=EmailFrequency.DAILY)
    client.force_login(superuser)
    page = client.get(reverse("admin:notifications_notification_changelist"), {"q": "mai@"}).content.decode()
    assert "Công ty Lúa Vàng is interested in" in page
    change = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert change.status_code == 200 and "Máy sấy lúa tầng sôi" in change.content.decode()
    assert (
        client.get(reverse("admin:notifications_notificationpreference_change", args=[preference.pk])).status_code
        == 200
    )
    response = client.post(reverse("admin:notifications_notification_delete", args=[notification.pk]), {"post": "yes"})
    assert response.status_code == 403
