"""Notifications are made through notify(), so tests see the rows a deal would leave."""

from typing import Any

from techex.notifications.services import notify

DEAL_PARAMS = {"deal": "CT-GD-2026-00001", "listing": "Máy sấy lúa tầng sôi", "organization": "Công ty Lúa Vàng"}


def make_notification(
    user, *, kind: str = "deal.inquiry", actor=None, url: str = "/deals/CT-GD-2026-00001/", **params: Any
):
    """One notification for ``user`` (the deal's parameters unless others are given)."""
    created = notify(recipients=[user], kind=kind, url=url, params={**DEAL_PARAMS, **params}, actor=actor)
    assert len(created) == 1
    return created[0]


def make_many(user, count: int, **kwargs: Any) -> list:
    return [make_notification(user, listing=f"Tin {i}", **kwargs) for i in range(count)]
