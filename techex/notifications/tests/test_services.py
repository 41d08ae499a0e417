"""notify() and the e-mail batching: who is told, when the e-mail goes, and that it goes once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.notifications import services
from techex.notifications.choices import EmailFrequency
from techex.notifications.models import Notification, NotificationPreference
from techex.notifications.schedule import next_digest_at
from techex.notifications.tasks import send_notification_email

from .factories import DEAL_PARAMS, make_many, make_notification

pytestmark = pytest.mark.django_db

URL = "/deals/CT-GD-2026-00001/"
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


def later(minutes: int = 16) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


# --- notify ------------------------------------------------------------------------------------------------------


def test_notify_skips_the_actor_inactive_users_and_duplicates():
    actor, first, second = UserFactory(), UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    created = services.notify(
        recipients=[first, second, first, actor, gone, None],
        kind="deal.inquiry",
        url=URL,
        params=DEAL_PARAMS,
        actor=actor,
    )
    assert sorted(n.recipient_id for n in created) == sorted([first.pk, second.pk])
    assert Notification.objects.count() == 2
    row = Notification.objects.get(recipient=first)
    assert row.actor == actor and row.url == URL and row.read_at is None and row.emailed_at is None
    assert row.text == "Công ty Lúa Vàng is interested in “Máy sấy lúa tầng sôi” (deal CT-GD-2026-00001)."
    assert services.notify(recipients=[actor], kind="deal.inquiry", url=URL, params=DEAL_PARAMS, actor=actor) == []


def test_notify_takes_a_queryset_and_costs_the_same_for_many_recipients(count_queries):
    users = [UserFactory() for _ in range(12)]
    with count_queries() as few:
        services.notify(recipients=users[:2], kind="deal.completed", url=URL, params=DEAL_PARAMS)
    with count_queries() as many:
        services.notify(
            recipients=type(users[0]).objects.filter(pk__in=[u.pk for u in users]),
            kind="deal.completed",
            url=URL,
            params=DEAL_PARAMS,
        )
    assert Notification.objects.count() == 14
    assert len(many) == len(few) + 1  # the queryset of recipients is read once


def test_notify_keeps_only_the_params_the_message_needs_and_cuts_long_ones():
    user = UserFactory()
    row = make_notification(user, kind="deal.completed", listing="L" * 400, secret="never stored")
    assert set(row.params) == {"deal", "listing"}
    assert len(row.params["listing"]) == 300 and row.params["listing"].endswith("…")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "deal.nonsense"}, "Unknown notification kind 'deal.nonsense'"),
        ({"params": {"deal": "CT-GD-2026-00001"}}, "needs the params listing, organization"),
        ({"params": {**DEAL_PARAMS, "listing": gettext_lazy("Offers")}}, "must be plain text or a number"),
        ({"params": {**DEAL_PARAMS, "listing": ["a"]}}, "must be plain text or a number"),
        ({"url": "https://evil.example/"}, "a path on this site"),
        ({"url": "//evil.example/"}, "a path on this site"),
        ({"url": "/\\evil.example/"}, "a path on this site"),
        ({"url": "/deals/\n"}, "a path on this site"),
        ({"url": "/" + "x" * 500}, "a path on this site"),
    ],
)
def test_notify_refuses_programming_errors_and_writes_nothing(arguments, message):
    user = UserFactory()
    call = {"recipients": [user], "kind": "deal.inquiry", "url": URL, "params": DEAL_PARAMS, **arguments}
    with pytest.raises(ValueError, match=message):
        services.notify(**call)
    assert not Notification.objects.exists()


# --- batching ----------------------------------------------------------------------------------------------------


def test_several_notifications_make_one_e_mail_after_the_window():
    user = UserFactory()
    make_many(user, 3)
    assert services.notifications_send_due() == (0, 0)  # the window has not passed
    assert services.notifications_send_due(now=later(16)) == (1, 0)
    [message] = emails_to(user)
    assert message.body.count("Máy sấy lúa") == 0 and all(f"“Tin {i}”" in message.body for i in range(3))
    assert not Notification.objects.email_pending().exists()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    assert services.notifications_send_due(now=later(60)) == (0, 0)  # sent once only
    assert len(mail.outbox) == 1


def test_a_notification_after_an_e_mail_waits_for_its_own_window():
    user = UserFactory()
    make_notification(user)
    services.notifications_send_due(now=later(16))
    make_notification(user, listing="Tin mới")
    assert services.notification_email_send(user_id=user.pk) == 0
    assert services.notification_email_send(user_id=user.pk, now=later(16)) == 1
    assert len(emails_to(user)) == 2 and "Tin mới" in mail.outbox[-1].body


def test_each_person_gets_their_own_e_mail():
    first, second = UserFactory(), UserFactory()
    services.notify(recipients=[first, second], kind="deal.completed", url=URL, params=DEAL_PARAMS)
    assert services.notifications_send_due(now=later()) == (2, 0)
    assert len(emails_to(first)) == len(emails_to(second)) == 1


def test_read_notifications_are_left_out_of_the_e_mail():
    user = UserFactory()
    seen, unseen = make_notification(user, listing="Đã xem"), make_notification(user, listing="Chưa xem")
    services.notification_mark_read(notification=seen, user=user)
    services.notifications_send_due(now=later())
    [message] = emails_to(user)
    assert "Chưa xem" in message.body and "Đã xem" not in message.body
    unseen.refresh_from_db()
    assert unseen.emailed_at is not None
    services.notification_mark_all_read(user=user)
    make_notification(user)
    services.notification_mark_all_read(user=user)
    assert services.notifications_send_due(now=later(60)) == (0, 0)


def test_daily_digest_goes_once_a_day(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    user = UserFactory()
    services.preference_set(user=user, email_frequency=EmailFrequency.DAILY)
    make_many(user, 2)
    digest = next_digest_at(timezone.now())
    assert set(Notification.objects.values_list("email_after", flat=True)) == {digest}
    assert services.notifications_send_due(now=digest - timedelta(seconds=1)) == (0, 0)
    assert services.notifications_send_due(now=digest) == (1, 0)
    assert "2 new notifications" in mail.outbox[0].subject
    # Another event the same day waits for the next day's digest.
    make_notification(user, listing="Tin chiều")
    assert Notification.objects.get(params__listing="Tin chiều").email_after == digest + timedelta(days=1)
    assert services.notifications_send_due(now=digest + timedelta(hours=10)) == (0, 0)
    assert services.notifications_send_due(now=digest + timedelta(days=1)) == (1, 0)
    assert len(mail.outbox) == 2


def test_next_digest_is_never_on_a_day_that_had_an_e_mail(settings):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    before_seven = datetime(2026, 3, 2, 6, 30, tzinfo=SAIGON)
    after_seven = datetime(2026, 3, 2, 9, 0, tzinfo=SAIGON)
    assert next_digest_at(before_seven) == datetime(2026, 3, 2, 7, 0, tzinfo=SAIGON)
    assert next_digest_at(after_seven) == datetime(2026, 3, 3, 7, 0, tzinfo=SAIGON)
    # A batch e-mail went at 6:50 before the person switched to daily: today's 7:00 digest would be a second one.
    emailed = datetime(2026, 3, 2, 6, 50, tzinfo=SAIGON)
    assert next_digest_at(before_seven, emailed) == datetime(2026, 3, 3, 7, 0, tzinfo=SAIGON)


def test_off_sends_nothing_and_turning_back_on_does_not_send_the_backlog():
    user = UserFactory()
    make_notification(user)
    services.preference_set(user=user, email_frequency=EmailFrequency.OFF)
    assert not Notification.objects.email_pending().exists()
    make_notification(user)
    assert Notification.objects.filter(recipient=user).count() == 2
    assert services.notifications_send_due(now=later(60 * 48)) == (0, 0)
    services.preference_set(user=user, email_frequency=EmailFrequency.BATCHED)
    assert services.notifications_send_due(now=later(60 * 48)) == (0, 0)
    make_notification(user, listing="Sau khi bật lại")
    services.notifications_send_due(now=later())
    [message] = emails_to(user)
    assert "Sau khi bật lại" in message.body and message.body.count("is interested in") == 1


def test_changing_to_daily_moves_waiting_notifications_to_the_digest():
    user = UserFactory()
    make_notification(user)
    services.preference_set(user=user, email_frequency=EmailFrequency.DAILY)
    digest = next_digest_at(timezone.now())
    assert Notification.objects.get().email_after == digest
    assert services.notifications_send_due(now=digest - timedelta(seconds=1)) == (0, 0)
    assert services.notifications_send_due(now=digest) == (1, 0)
    entry = AuditEntry.objects.filter(action="notifications.preference").first()
    assert entry.actor == user and entry.data == {"from": "batched", "to": "daily", "via": "settings"}


def test_a_bad_preference_is_refused_and_changes_nothing():
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.preference_set(user=user, email_frequency="hourly")
    assert refused.value.message_dict == {"email_frequency": ["Value 'hourly' is not a valid choice."]}
    assert not NotificationPreference.objects.exists()


def test_inactive_people_get_no_e_mail():
    user = UserFactory()
    make_notification(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert services.notifications_send_due(now=later()) == (0, 0)
    assert not Notification.objects.email_pending().exists()


def test_a_long_backlog_lists_the_newest_and_counts_the_rest(settings):
    settings.NOTIFICATION_EMAIL_MAX_ITEMS = 3
    user = UserFactory()
    make_many(user, 5)
    services.notifications_send_due(now=later())
    [message] = emails_to(user)
    assert "“Tin 4”" in message.body and "“Tin 2”" in message.body and "“Tin 1”" not in message.body
    assert "…and 2 more." in message.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 5


# --- the task and the command ------------------------------------------------------------------------------------


def test_the_task_sends_what_is_due_after_commit(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_BATCH_MINUTES = 0
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make_many(user, 2)
    # The immediate backend ran the first notification's task at once: nothing waits, one e-mail.
    assert len(emails_to(user)) == 1
    assert send_notification_email.call(user.pk) == 0


def test_the_task_is_queued_once_for_the_end_of_the_window(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    user, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make_many(user, 3)
        make_notification(other)
    first = Notification.objects.filter(recipient=user).order_by("id").first()
    queued = DBTaskResult.objects.filter(task_path=send_notification_email.module_path).order_by("run_after")
    assert [(task.args_kwargs["args"], task.run_after) for task in queued][0] == (
        [user.pk],
        first.created_at + timedelta(minutes=15),
    )
    assert queued.count() == 2
    # What the worker does when the time comes: not before, then one e-mail with the three.
    assert send_notification_email.call(user.pk) == 0
    assert services.notification_email_send(user_id=user.pk, now=first.email_after) == 3


def test_a_failed_send_puts_the_notifications_back_for_the_next_run(settings):
    user = UserFactory()
    make_many(user, 2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    with pytest.raises(CommandError, match="1 notification e-mail\\(s\\) could not be sent"):
        call_command("send_notification_digests", at=later().isoformat())
    assert Notification.objects.email_pending().count() == 2
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_notification_digests", at=later().isoformat())
    assert len(emails_to(user)) == 1


def test_the_command_sends_what_is_due_at_the_time_given(capsys):
    user = UserFactory()
    make_notification(user)
    call_command("send_notification_digests")
    assert "Sent 0 notification e-mail(s)." in capsys.readouterr().out
    local = timezone.localtime(later(20)).replace(tzinfo=None).isoformat(timespec="minutes")
    call_command("send_notification_digests", at=local)
    assert "Sent 1 notification e-mail(s)." in capsys.readouterr().out
    assert len(emails_to(user)) == 1


def test_the_command_refuses_a_bad_time():
    with pytest.raises(CommandError, match="--at takes a date and time such as 2026-03-01T07:00, not 'tomorrow'"):
        call_command("send_notification_digests", at="tomorrow")
    with pytest.raises(CommandError, match="not '2026-13-45T99:00'"):
        call_command("send_notification_digests", at="2026-13-45T99:00")
