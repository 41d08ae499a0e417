"""How departments follow the domains below (subscribed in ``DepartmentsConfig.ready``)."""

from techex.reference.events import ReferenceDataLoaded

from .services import ensure_lead_department


def ensure_lead(event: ReferenceDataLoaded) -> None:
    # An idempotent upsert of one row, not work for the worker: the lead must exist as soon as its province does.
    ensure_lead_department()
