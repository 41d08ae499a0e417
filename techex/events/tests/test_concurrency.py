"""Twenty people registering at the same moment for the last place, on PostgreSQL with real concurrent connections.

``registration_create`` locks the event's row before it counts the places, so the registrations are served one after
the other: exactly one gets the last place, the others go to the waiting list, and the event is never over-booked.
SQLite serialises every writer on its own and has no row locks to test, so this runs on PostgreSQL only.
"""

import pytest
from django.db import connection

from techex.accounts.tests.factories import StaffFactory
from techex.core.services import audit_verify_chain
from techex.core.tests.concurrency import at_the_same_moment
from techex.events import services
from techex.events.choices import RegistrationStatus
from techex.events.models import Registration
from techex.events.tests.factories import guest, make_event

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (SQLite serialises writers); run with DATABASE_URL=postgres://…")


def test_twenty_parallel_registrations_for_the_last_place_never_over_book(reference_data):
    event = make_event(user=StaffFactory(), capacity=3)
    for n in range(2):
        services.registration_create(event=event, user=None, **guest(email=f"som{n}@example.vn"))
    Registration.objects.update(status=RegistrationStatus.CONFIRMED)

    def register(n):
        return lambda: services.registration_create(
            event=event, user=None, **guest(email=f"nguoi{n}@example.vn", full_name=f"Người {n}")
        )

    # Guests claim a place once their address is confirmed: the twenty confirmations race for the one place left.
    pending = [outcome for kind, outcome in at_the_same_moment(*[register(n) for n in range(PARALLEL)])]
    assert all(isinstance(r, Registration) for r in pending), pending
    tokens = [services.verification_token(registration=r) for r in pending]
    outcomes = at_the_same_moment(*[lambda t=t: services.registration_verify(token=t) for t in tokens])

    assert [kind for kind, _ in outcomes] == ["ok"] * PARALLEL
    statuses = sorted(result.status for _, result in outcomes)
    assert statuses.count(RegistrationStatus.CONFIRMED) == 1
    assert statuses.count(RegistrationStatus.WAITING) == PARALLEL - 1
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 3
    assert audit_verify_chain() == []


def test_twenty_members_at_once_for_the_last_place(reference_data):
    from techex.accounts.tests.factories import UserFactory

    event = make_event(user=StaffFactory(), capacity=1)
    members = [UserFactory() for _ in range(PARALLEL)]
    outcomes = at_the_same_moment(*[lambda m=m: services.registration_create(event=event, user=m) for m in members])
    assert [kind for kind, _ in outcomes] == ["ok"] * PARALLEL
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 1
    assert Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).count() == PARALLEL - 1
    # The one who cancels hands the place to the first on the waiting list, and only to them.
    services.registration_cancel(token=confirmed.get().cancel_token)
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 1
