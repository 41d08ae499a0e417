"""Events are built through the services, so tests see the same state a user would."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from techex.accounts.tests.factories import StaffFactory
from techex.events import services
from techex.events.choices import EventType
from techex.events.models import Event, Session
from techex.reference.models import Province


def event_values(**overrides: Any) -> dict[str, Any]:
    starts = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    values: dict[str, Any] = {
        "title": "Hội thảo chuyển giao công nghệ sấy nông sản",
        "type": EventType.SEMINAR,
        "summary": "Giới thiệu công nghệ sấy lúa tiết kiệm năng lượng cho hợp tác xã.",
        "description": "Chương trình gồm phần trình bày, trình diễn thiết bị và kết nối cung – cầu.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "province": Province.objects.get(code="92"),
        "venue": "Trung tâm Hội nghị thành phố Cần Thơ",
        "address": "Số 2 đường Hòa Bình, phường Ninh Kiều, Cần Thơ",
        "map_url": "https://maps.example/can-tho",
        "capacity": 50,
    }
    values.update(overrides)
    if isinstance(values["province"], str):
        values["province"] = Province.objects.get(code=values["province"])
    return values


def make_event(*, user: Any = None, publish: bool = True, sessions: int = 0, **overrides: Any) -> Event:
    user = user or StaffFactory()
    event = services.event_create(user=user, values=event_values(**overrides))
    for n in range(sessions):
        services.session_create(
            user=user,
            event=event,
            values={
                "title": f"Phiên {n + 1}: Trình diễn công nghệ",
                "starts_at": event.starts_at + timedelta(hours=n),
                "ends_at": event.starts_at + timedelta(hours=n + 1),
                "room": f"Phòng {n + 1}",
                "speakers": "TS. Trần Thị Mai",
            },
        )
    if publish:
        event = services.event_publish(user=user, event=event)
    return Event.objects.get(pk=event.pk)


def guest(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Lê Thị Hồng",
        "email": "hong.le@example.vn",
        "phone": "0909 123 456",
        "organization_name": "HTX Nông nghiệp Phước Thới",
    }
    data.update(overrides)
    return data


def first_session(event: Event) -> Session:
    return event.sessions.order_by("starts_at").first()  # type: ignore[return-value]


class Committed:
    """The services module, each call run as its own committed transaction would be: the callbacks queued for
    after the commit (the registrant's e-mail) run when the call returns."""

    def __init__(self, module: Any, capture: Any) -> None:
        self._module, self._capture = module, capture

    def __getattr__(self, name: str) -> Any:
        function = getattr(self._module, name)
        if not callable(function):
            return function

        def run(*args: Any, **kwargs: Any) -> Any:
            with self._capture(execute=True):
                return function(*args, **kwargs)

        return run
