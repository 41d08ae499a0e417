"""The domain-event mechanism: phases, order, rollback and repeated registration."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from techex.core import events
from techex.core.events import Event, Phase, publish, subscribe

pytestmark = pytest.mark.django_db

PROJECT = events._SUBSCRIPTIONS  # what the apps' ready() registered


@dataclass(frozen=True)
class Happened(Event):
    thing_id: int


@dataclass(frozen=True)
class Other(Event):
    thing_id: int


seen: list[tuple[str, int]] = []


def first(event: Happened) -> None:
    seen.append(("first", event.thing_id))


def second(event: Happened) -> None:
    seen.append(("second", event.thing_id))


def inside(event: Happened) -> None:
    seen.append(("inside", event.thing_id))


def failing(event: Happened) -> None:
    raise RuntimeError("the index refused the document")


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """A registry of this test's own, so the project's subscribers do not run and this test's do not stay."""
    monkeypatch.setattr(events, "_SUBSCRIPTIONS", {})
    seen.clear()


def test_an_on_commit_subscriber_runs_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    subscribe(Happened, first)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            publish(Happened(thing_id=1))
            assert seen == []
        assert seen == []  # the test's outer transaction has not committed yet
    assert seen == [("first", 1)]


def test_an_on_commit_subscriber_never_runs_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    subscribe(Happened, first)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        publish(Happened(thing_id=1))
        raise ValueError
    assert callbacks == []
    assert seen == []


def test_an_in_transaction_subscriber_runs_at_once_and_its_failure_rolls_the_publisher_back():
    subscribe(Happened, inside, phase=Phase.IN_TRANSACTION)
    with transaction.atomic():
        publish(Happened(thing_id=2))
        assert seen == [("inside", 2)]

    subscribe(Happened, failing, phase=Phase.IN_TRANSACTION)
    with pytest.raises(RuntimeError, match="refused"), transaction.atomic():
        Group.objects.create(name="written by the publisher")
        publish(Happened(thing_id=3))
    assert not Group.objects.filter(name="written by the publisher").exists()


def test_an_in_transaction_subscriber_needs_the_publisher_inside_an_atomic_block(monkeypatch):
    # As in autocommit; not a transactional test, whose flush would empty the rows the migrations load.
    monkeypatch.setattr(events.transaction, "get_connection", lambda using=None: SimpleNamespace(in_atomic_block=False))
    subscribe(Happened, inside, phase=Phase.IN_TRANSACTION)
    with pytest.raises(RuntimeError, match="inside an atomic block"):
        publish(Happened(thing_id=4))
    assert seen == []


def test_subscribers_run_in_the_order_they_subscribed_and_only_for_their_event_type(
    django_capture_on_commit_callbacks,
):
    subscribe(Happened, second)
    subscribe(Happened, first)
    with django_capture_on_commit_callbacks(execute=True):
        publish(Happened(thing_id=5))
        publish(Other(thing_id=6))
    assert seen == [("second", 5), ("first", 5)]


def test_subscribing_again_adds_nothing(django_capture_on_commit_callbacks):
    for _ in range(3):  # ready() run again
        subscribe(Happened, first)
    assert [s.name for s in events.subscriptions(Happened)] == [f"{__name__}.first"]
    with django_capture_on_commit_callbacks(execute=True):
        publish(Happened(thing_id=7))
    assert seen == [("first", 7)]
    with pytest.raises(ValueError, match="in another phase"):
        subscribe(Happened, first, phase=Phase.IN_TRANSACTION)


def test_only_named_functions_subscribe_to_events():
    with pytest.raises(TypeError, match="lambda"):
        subscribe(Happened, lambda event: None)
    with pytest.raises(TypeError, match="subclass of Event"):
        subscribe(dict, first)


def test_the_project_registers_each_subscriber_once_after_ready_runs_again(monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(events, "_SUBSCRIPTIONS", {key: list(found) for key, found in PROJECT.items()})
    before = [(s.event_type, s.name, s.phase) for s in events.subscriptions()]
    assert before  # the domains do subscribe
    for config in apps.get_app_configs():
        if config.name.startswith("techex."):
            config.ready()
    assert [(s.event_type, s.name, s.phase) for s in events.subscriptions()] == before


def test_docs_architecture_lists_every_domain_event():
    """The table of events in docs/architecture.md is where a newcomer looks: a new event must be added to it."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps
    from django.conf import settings

    for config in apps.get_app_configs():
        if config.name.startswith("techex.") and find_spec(f"{config.name}.events"):
            import_module(f"{config.name}.events")
    documented = (settings.BASE_DIR / "docs" / "architecture.md").read_text()
    defined = [
        cls for cls in Event.__subclasses__() if cls.__module__.startswith("techex.") and "tests" not in cls.__module__
    ]
    assert len(defined) >= 8
    assert [
        cls.__name__
        for cls in defined
        if f"`{cls.__module__.removeprefix('techex.')}.{cls.__name__}(" not in documented
    ] == []
