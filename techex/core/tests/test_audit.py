"""The audit trail is append-only and an edit made behind its back is detected."""

import threading

import pytest
from django.db import connection, connections

from techex.core.models import AuditEntry
from techex.core.services import audit_record, audit_verify_chain
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(staff):
    organization = OrganizationFactory()
    return [
        audit_record(actor=staff, action="organization.verify", target=organization, data={"n": n}) for n in range(3)
    ]


def test_entries_are_chained(entries):
    assert [e.previous_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert audit_verify_chain() == []


def test_entries_cannot_be_changed_or_deleted_through_the_orm(entries):
    entry = entries[0]
    entry.action = "organization.refuse"
    with pytest.raises(PermissionError, match="cannot be changed"):
        entry.save()
    with pytest.raises(PermissionError, match="cannot be deleted"):
        entry.delete()
    with pytest.raises(PermissionError, match="cannot be changed"):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError, match="cannot be deleted"):
        AuditEntry.objects.all().delete()


def test_an_edit_in_the_database_is_detected(entries):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = %s WHERE id = %s", ["tampered", entries[1].pk])
    assert audit_verify_chain() == [entries[1].pk]


def test_expire_listings_command_reports(published_offer):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from techex.listings.models import Listing

    Listing.objects.filter(pk=published_offer.pk).update(valid_until=timezone.now() - timedelta(days=1))
    out = io.StringIO()
    call_command("expire_listings", stdout=out)
    assert out.getvalue().strip() == "reminders queued: 0; listings expired: 1"
    assert Listing.objects.get(pk=published_offer.pk).status == "expired"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """Writers on separate connections at the same moment (PostgreSQL): every entry follows the one before."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the race needs PostgreSQL (DATABASE_URL=postgres://…)")
    target = OrganizationFactory()
    barrier = threading.Barrier(4)
    failures: list[Exception] = []

    def write(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(15):
                audit_record(actor=None, action="test.race", target=target, data={"writer": number, "i": i})
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert AuditEntry.objects.filter(action="test.race").count() == 60
    assert audit_verify_chain() == []
