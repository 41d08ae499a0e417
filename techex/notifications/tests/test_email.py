"""The e-mail: in the operator's language, with the operator's name, absolute links and a one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from techex.accounts.tests.factories import UserFactory
from techex.notifications import services
from techex.notifications.choices import EmailFrequency
from techex.notifications.models import NotificationPreference
from techex.notifications.tokens import user_id_from_token

from .factories import make_many, make_notification

pytestmark = pytest.mark.django_db


def send_due() -> None:
    services.notifications_send_due(now=timezone.now() + timedelta(minutes=16))


def test_one_notification_is_the_subject(settings):
    settings.SITE_URL = "https://sangiaodich.cantho.example/"
    user = UserFactory(full_name="Trần Thị Mai")
    notification = make_notification(user)
    send_due()
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == (
        "Can Tho Technology Exchange: Công ty Lúa Vàng is interested in “Máy sấy lúa tầng sôi” (deal CT-GD-2026-00001)."
    )
    assert message.body.startswith("Hello Trần Thị Mai,\n")
    assert "https://sangiaodich.cantho.example/deals/CT-GD-2026-00001/" in message.body
    assert f"https://sangiaodich.cantho.example{reverse('notifications:list')}" in message.body
    assert f"https://sangiaodich.cantho.example{reverse('notifications:preferences')}" in message.body
    assert notification.text in message.body


def test_many_notifications_are_counted_in_the_subject():
    user = UserFactory()
    make_many(user, 4)
    send_due()
    assert mail.outbox[0].subject == "Can Tho Technology Exchange: 4 new notifications"


def test_every_e_mail_carries_a_one_click_unsubscribe():
    user = UserFactory()
    make_notification(user)
    send_due()
    [message] = mail.outbox
    # The token carries the second it was signed in, so the test reads it from the header rather than making its own
    # (which failed whenever the clock turned a second in between).
    header = message.extra_headers["List-Unsubscribe"]
    prefix = f"<http://localhost:8000{reverse('notifications:unsubscribe', kwargs={'token': 'TOKEN'})}>"
    before, _token, after = prefix.partition("TOKEN")
    assert header.startswith(before) and header.endswith(after)
    token = header.removeprefix(before).removesuffix(after)
    assert user_id_from_token(token) == user.pk
    link = header[1:-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    # What a mail program does with the header (RFC 8058): a POST without cookies or a CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix("http://localhost:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user).email_frequency == EmailFrequency.OFF


def test_the_e_mail_is_written_in_vietnamese_with_the_operators_name(settings):
    settings.LANGUAGE_CODE = "vi"  # e-mails are written in the operator's language, whatever the request's
    user = UserFactory()
    make_notification(user)
    send_due()
    [message] = mail.outbox
    assert message.subject.startswith("Sàn giao dịch công nghệ Cần Thơ: ")
    assert "Sở Khoa học và Công nghệ thành phố Cần Thơ" in message.body
    assert "Can Tho" not in message.body
