"""The audit trail is append-only and an edit made behind its back is detected."""

import io
import json
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from techex.core.audit import audit_verify, sign
from techex.core.models import AuditCheckpoint, AuditEntry
from techex.core.services import audit_checkpoint, audit_record, audit_verify_chain
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


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def _verify(*args: str) -> tuple[int, str]:
    """Run ``manage.py audit_verify``: its exit code and what it printed."""
    out = io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def trail(staff):
    """Ten entries, a checkpoint over them, then two entries the next checkpoint will anchor."""
    organization = OrganizationFactory()
    entries = [
        audit_record(actor=staff, action="organization.update", target=organization, data={"n": n}) for n in range(10)
    ]
    audit_checkpoint()
    entries += [audit_record(actor=None, action="organization.view", target=organization) for _ in range(2)]
    return entries


def test_a_clean_trail_verifies(trail):
    code, report = _verify()
    assert code == 0
    total = AuditEntry.objects.count()  # the trail's and those its fixtures wrote
    assert f"audit trail: {total} entries in 1 lanes; 1 checkpoints, the latest 1 at" in report
    assert "entries newer than the latest checkpoint (anchored by the next one): 2" in report
    assert "OK: the audit trail verifies" in report


def test_every_field_is_in_the_hash(trail):
    entry = trail[3]
    for field, value in [
        ("data", '{"n": 99}'),
        ("action", "organization.verify"),
        ("target_id", "0"),
        ("target_type", "accounts.user"),
        ("actor_id", None),
    ]:
        original = AuditEntry.objects.filter(pk=entry.pk).values_list(field, flat=True).get()
        _sql(f"UPDATE core_auditentry SET {field} = %s WHERE id = %s", value, entry.pk)  # noqa: S608 - test data
        assert audit_verify_chain() == [entry.pk], field
        if field == "data":
            _sql("UPDATE core_auditentry SET data = %s WHERE id = %s", '{"n": 3}', entry.pk)
        else:
            _sql(f"UPDATE core_auditentry SET {field} = %s WHERE id = %s", original, entry.pk)  # noqa: S608
        assert audit_verify_chain() == [], field


def test_an_edited_field_is_reported(trail):
    _sql("UPDATE core_auditentry SET data = %s WHERE id = %s", '{"n": 1000}', trail[4].pk)
    code, report = _verify()
    assert code == 1
    assert f"- entry #{trail[4].pk} (lane {trail[4].lane}, position {trail[4].position}, organization.update" in report
    assert "its content does not match its hash: a field was changed" in report
    assert "the audit trail does not verify: 1 problems" in report


def test_a_changed_timestamp_is_reported(trail):
    earlier = trail[2].created_at - timedelta(days=3)
    _sql("UPDATE core_auditentry SET created_at = %s WHERE id = %s", earlier, trail[2].pk)
    code, report = _verify()
    assert code == 1
    assert f"entry #{trail[2].pk} (lane {trail[2].lane}, position {trail[2].position}" in report
    assert "its content does not match its hash" in report


def test_deleting_the_newest_entries_is_reported(trail):
    # The last three entries: the checkpoint's head and the two after it.
    _sql("DELETE FROM core_auditentry WHERE id >= %s", trail[9].pk)
    code, report = _verify()
    assert code == 1
    assert "checkpoint 1 (" in report
    assert (
        f"records lane {trail[9].lane} up to position {trail[9].position}, which is missing: "
        "the newest entries of the lane were deleted" in report
    )


def test_deleting_a_middle_entry_is_reported(trail):
    _sql("DELETE FROM core_auditentry WHERE id = %s", trail[5].pk)
    code, report = _verify()
    assert code == 1
    assert f"entry #{trail[6].pk} (lane {trail[6].lane}, position {trail[6].position}" in report
    position = trail[5].position
    assert f"the entries at positions {position} to {position} of its lane are missing (deleted)" in report


def _rechain_from(entry_index: int, trail: list[AuditEntry], **changes) -> None:
    """What someone with write access to the database but not the key can do: change an entry and re-hash the
    lane from there, so every entry matches its hash and its link again."""
    previous = AuditEntry.objects.get(pk=trail[entry_index - 1].pk).entry_hash
    for entry in AuditEntry.objects.filter(
        lane=trail[entry_index].lane, position__gte=trail[entry_index].position
    ).order_by("position"):
        if entry.pk == trail[entry_index].pk:
            for name, value in changes.items():
                setattr(entry, name, value)
        entry.previous_hash = previous
        entry.entry_hash = previous = entry.compute_hash()
        _sql(
            "UPDATE core_auditentry SET data = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
            json.dumps(entry.data),
            entry.previous_hash,
            entry.entry_hash,
            entry.pk,
        )


def test_rewriting_and_rehashing_the_chain_without_the_key_is_reported(trail):
    _rechain_from(4, trail, data={"n": "rewritten"})
    assert audit_verify_chain() == []  # every entry matches its hash and its link again
    code, report = _verify()
    assert code == 1
    assert "checkpoint 1 (" in report
    assert (
        f"records lane {trail[9].lane} position {trail[9].position} with another hash: "
        "the lane was rewritten and re-hashed up to there" in report
    )


def test_a_checkpoint_re_signed_without_the_key_is_reported(trail, settings):
    _rechain_from(4, trail, data={"n": "rewritten"})
    checkpoint = AuditCheckpoint.objects.get()
    head = AuditEntry.objects.get(pk=trail[-1].pk)
    heads = {str(head.lane): [head.position, head.entry_hash]}
    settings.AUDIT_KEY = "a key the attacker guessed"

    forged = AuditCheckpoint(
        sequence=1, created_at=checkpoint.created_at, entries=head.position, heads=heads, previous_signature=""
    )
    _sql(
        "UPDATE core_auditcheckpoint SET entries = %s, heads = %s, signature = %s WHERE id = %s",
        head.position,
        json.dumps(heads),
        sign(forged),
        checkpoint.pk,
    )
    settings.AUDIT_KEY = ""
    code, report = _verify()
    assert code == 1
    assert "checkpoint 1 (" in report
    assert "its signature does not match its content with this key" in report


def test_deleting_the_newest_checkpoint_and_entries_is_found_with_the_log(
    trail, tmp_path, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("INFO", logger="techex.audit")
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        later = audit_record(actor=None, action="organization.update", target=organization)
        second = audit_checkpoint()
    log = tmp_path / "techex.log"
    log.write_text("\n".join(record.getMessage() for record in caplog.records) + "\nunrelated line\n")
    assert "audit checkpoint {" in log.read_text()
    _sql("DELETE FROM core_auditentry WHERE id >= %s", trail[10].pk)
    _sql("DELETE FROM core_auditcheckpoint WHERE id = %s", second.pk)
    assert _verify()[0] == 0  # what is left is consistent: only the copy outside the database shows the deletion
    code, report = _verify("--published", str(log))
    assert code == 1
    assert "; 1 read from the log" in report
    assert "checkpoint 2 (" in report
    assert "in the operator's log: missing from the database (deleted)" in report
    assert f"records lane {later.lane} up to position {later.position}, which is missing" in report


def test_the_checkpoint_command_prints_what_it_logs(trail):
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith('audit checkpoint {"created_at":')
    assert '"sequence":2' in line
    assert f'"{trail[-1].lane}":[{trail[-1].position},' in line
    assert audit_verify().ok


def test_checkpoints_are_signed_with_the_configured_key(trail, settings):
    settings.AUDIT_KEY = "another key"
    code, report = _verify()
    assert code == 1
    assert "checkpoint 1 (" in report
    assert "its signature does not match its content with this key" in report


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
