"""Password reset and sign-up: limited per client address and per e-mail address asked for, e-mailed by the worker."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from techex.accounts.tasks import account_email_send
from techex.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2026!"
LIMITED = "You have sent too many requests in a short time."


def limit(action: str, per: str) -> int:
    """How many requests the rate of ``action`` allows ``per`` client address ("ip") or e-mail address ("key")."""
    for rate in str(settings.ACCOUNT_RATE_LIMITS[action]).split(","):
        amount, _duration, rate_per = rate.strip().split("/")
        if rate_per == per:
            return int(amount)
    raise AssertionError(f"no {per} rate for {action}")


def reset(email: str, address: str = "203.0.113.9"):
    return Client(REMOTE_ADDR=address).post(reverse("account_reset_password"), {"email": email})


def sign_up(email: str, address: str = "203.0.113.9"):
    data = {"full_name": "Nguyễn Văn A", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return Client(REMOTE_ADDR=address).post(reverse("account_signup"), data)


@pytest.mark.parametrize("exists", [True, False])
def test_reset_e_mails_to_one_address_are_limited_whoever_asks(exists):
    if exists:
        UserFactory(email="nan.nhan@example.vn")
    allowed = limit("reset_password", "key")
    answers = [reset("Nan.Nhan@example.vn", address=f"198.51.100.{n}").status_code for n in range(allowed + 3)]
    # The same answers whether the account exists or not: the page tells nothing about it.
    assert answers == [302] * allowed + [429] * 3
    # Each allowed request e-mails the address: a reset link, or "no account uses this address".
    assert len(mail.outbox) == allowed
    refused = reset("nan.nhan@example.vn", address="198.51.100.99")
    assert LIMITED in refused.content.decode()
    # Another address is not held up.
    assert reset("khac@example.vn", address="198.51.100.99").status_code == 302


def test_reset_requests_from_one_client_are_limited():
    allowed = limit("reset_password", "ip")
    answers = [reset(f"nguoi{n}@example.vn").status_code for n in range(allowed + 1)]
    assert answers == [302] * allowed + [429]
    assert reset("nguoi0@example.vn", address="198.51.100.1").status_code == 302


def test_sign_ups_from_one_client_are_limited():
    allowed = limit("signup", "ip")
    answers = [sign_up(f"moi{n}@example.vn").status_code for n in range(allowed + 1)]
    assert answers == [302] * allowed + [429]


def test_sign_ups_for_one_address_are_limited_with_a_message():
    UserFactory(email="da.co@example.vn")
    allowed = limit("signup_email", "key")
    answers = [sign_up("da.co@example.vn", address=f"198.51.100.{n}").status_code for n in range(allowed)]
    assert answers == [302] * allowed
    refused = sign_up("DA.CO@example.vn", address="198.51.100.99")
    assert refused.status_code == 200
    assert refused.context["form"].errors["email"] == [
        "Too many sign-ups were asked for this e-mail address recently. Wait an hour and try again, or reset the "
        "password if the account is yours."
    ]
    # "You already have an account": allauth sends it once per address in its confirmation cool-off.
    assert len(mail.outbox) == 1


def test_the_limit_message_in_vietnamese():
    for n in range(limit("reset_password", "key")):
        reset("nan.nhan@example.vn", address=f"198.51.100.{n}")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.post(reverse("account_reset_password"), {"email": "nan.nhan@example.vn"})
    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn." in response.content.decode()


def test_account_e_mails_are_sent_by_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    UserFactory(email="quen@example.vn")
    assert reset("quen@example.vn").status_code == 302
    assert sign_up("lan@example.vn").status_code == 302
    # Nothing is sent inside the requests: two e-mails wait in the queue for the worker.
    assert mail.outbox == []
    queued = DBTaskResult.objects.filter(task_path=account_email_send.module_path)
    assert queued.count() == 2
    # What db_worker does with each (the command itself closes the test's database connection).
    for row in queued:
        assert row.task.call(*row.task_result.args, **row.task_result.kwargs) == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["lan@example.vn", "quen@example.vn"]
    reset_mail = next(message for message in mail.outbox if message.to == ["quen@example.vn"])
    assert "http://testserver/accounts/password/reset/key/" in reset_mail.body


def test_behind_a_proxy_the_limit_is_per_real_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    allowed = limit("reset_password", "ip")

    def reset_from(forwarded: str, n: int = 0) -> int:
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(reverse("account_reset_password"), {"email": f"nguoi{n}@example.vn"}).status_code

    answers = [reset_from(f"{n}.{n}.{n}.{n}, 203.0.113.9", n) for n in range(allowed + 1)]
    # A forged first entry changes nothing: the address the proxy wrote is the client's.
    assert answers == [302] * allowed + [429]
    # Another visitor behind the same proxy is not held up.
    assert reset_from("198.51.100.7") == 302
