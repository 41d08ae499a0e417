"""Twenty writers of different kinds at the same moment, on PostgreSQL with real concurrent connections.

Every service appends to the audit trail. With one global chain lock, a service that locked rows and then waited for
the chain's lock could meet one that held the lock and waited for those rows: PostgreSQL broke the deadlock by
failing one of them, a 500 for its user. Writers now take free lanes of the trail without waiting, and a request
aborted by a conflict all the same is run again (``core.transactions``). SQLite serialises writers: PostgreSQL only.
"""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from techex.core.models import AuditEntry
from techex.core.services import audit_checkpoint, audit_record, audit_verify_chain
from techex.core.tests import deadlock_urls
from techex.core.tests.concurrency import at_the_same_moment
from techex.core.transactions import run_retrying
from techex.deals import services as deals
from techex.deals.models import Deal
from techex.deals.tests.factories import deal_parties, inquiry_data, make_deal, member_of
from techex.events import services as events
from techex.events.tests.factories import guest, make_event
from techex.listings import services as listings
from techex.listings.tests.factories import make_listing
from techex.organizations import services as organizations
from techex.organizations.models import Organization
from techex.organizations.tests.factories import OrganizationFactory
from techex.services import services as service_requests
from techex.services.tests.factories import request_parties

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (SQLite serialises them); run with DATABASE_URL=postgres://…")


def test_twenty_writers_of_different_kinds_at_once(reference_data):
    parties = deal_parties()
    deal = make_deal(parties)
    inquirers = [member_of(OrganizationFactory(name=f"Hợp tác xã số {n}")) for n in range(6)]
    organization_of = {user.pk: user.memberships.get().organization for user in inquirers}
    drafts = [make_listing(user=parties.owner, organization=parties.owner_org, title=f"Bản nháp {n}") for n in range(3)]
    submitted = make_listing(user=parties.owner, organization=parties.owner_org, title="Chờ duyệt")
    listings.listing_submit(listing=submitted, user=parties.owner)
    requests = request_parties(staff=parties.staff)
    event = make_event(user=parties.staff, capacity=2)

    calls = [
        *(
            lambda user=user: deals.deal_inquire(
                user=user, listing=parties.listing, organization=organization_of[user.pk], **inquiry_data()
            )
            for user in inquirers
        ),
        *(
            lambda n=n: deals.deal_message_post(user=parties.owner, deal=deal, body=f"Tin nhắn của bên bán {n}")
            for n in range(2)
        ),
        lambda: deals.deal_message_post(user=parties.inquirer, deal=deal, body="Tin nhắn của bên mua"),
        *(
            lambda listing=listing: listings.listing_update(
                listing=listing, user=parties.owner, data={"summary": f"Tóm tắt mới của {listing.title}"}
            )
            for listing in drafts
        ),
        lambda: listings.listing_update(
            listing=parties.listing, user=parties.owner, data={"summary": "Sửa tin đang đăng, chờ duyệt lại."}
        ),
        lambda: listings.listing_publish(listing=submitted, user=parties.staff),
        *(
            lambda n=n: service_requests.request_submit(
                user=requests.client,
                organization=requests.client_org,
                category=requests.category,
                description=f"Cần định giá công nghệ số {n}.",
            )
            for n in range(2)
        ),
        lambda: organizations.organization_update(
            organization=parties.owner_org, user=parties.owner, data={"phone": "0292 999 888"}
        ),
        *(
            lambda n=n: events.registration_create(event=event, user=None, **guest(email=f"khach{n}@example.vn"))
            for n in range(3)
        ),
    ]
    assert len(calls) == 20

    outcomes = at_the_same_moment(*calls)

    assert [kind for kind, _result in outcomes] == ["ok"] * 20, [r for kind, r in outcomes if kind == "error"]
    assert Deal.objects.filter(listing=parties.listing).count() == 1 + len(inquirers)
    parties.listing.refresh_from_db()
    assert parties.listing.inquiry_count == 1 + len(inquirers)
    assert audit_verify_chain() == []
    audit_checkpoint()
    assert audit_verify_chain() == []


def test_row_locks_then_the_trail_and_the_trail_then_row_locks_do_not_deadlock(reference_data):
    """The deadlock of issue 16: one service locks a row, then audits; another audits, then locks that row."""
    organization = OrganizationFactory()
    middle = threading.Barrier(2)

    def rows_then_audit():
        with transaction.atomic():
            Organization.objects.select_for_update().get(pk=organization.pk)
            middle.wait(timeout=10)
            audit_record(actor=None, action="test.rows_then_audit", target=organization)

    def audit_then_rows():
        with transaction.atomic():
            audit_record(actor=None, action="test.audit_then_rows", target=organization)
            middle.wait(timeout=10)
            Organization.objects.select_for_update().get(pk=organization.pk)

    assert at_the_same_moment(rows_then_audit, audit_then_rows) == [("ok", None), ("ok", None)]
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 2
    assert audit_verify_chain() == []


def _opposite_orders():
    first, second = OrganizationFactory(), OrganizationFactory()
    return (first.pk, second.pk), (second.pk, first.pk)


def test_a_transaction_aborted_by_a_deadlock_runs_again(reference_data):
    middle = threading.Barrier(2)
    attempts: list[tuple[int, int]] = []

    def locking(order):
        def work():
            attempts.append(order)
            organization = Organization.objects.select_for_update().get(pk=order[0])
            if attempts.count(order) == 1:
                middle.wait(timeout=10)
            Organization.objects.select_for_update().get(pk=order[1])
            audit_record(actor=None, action="test.locking", target=organization)
            return order

        return lambda: run_retrying(work)

    one, other = _opposite_orders()
    assert at_the_same_moment(locking(one), locking(other)) == [("ok", one), ("ok", other)]
    # PostgreSQL aborted one of them (its deadlock), which ran once more.
    assert len(attempts) == 3
    assert AuditEntry.objects.filter(action="test.locking").count() == 2
    assert audit_verify_chain() == []


@pytest.mark.urls("techex.core.tests.deadlock_urls")
def test_a_request_aborted_by_a_deadlock_is_answered_not_a_500(reference_data):
    one, other = _opposite_orders()
    outcomes = _at_once(*(lambda order=order: Client().post(f"/lock/{order[0]}/{order[1]}/") for order in (one, other)))
    assert [(kind, response.status_code) for kind, response in outcomes] == [("ok", 200), ("ok", 200)]
    assert [response.content.decode() for _kind, response in outcomes] == [
        f"{one[0]}-{one[1]}",
        f"{other[0]}-{other[1]}",
    ]
    assert len(deadlock_urls.ATTEMPTS) == 3
    assert AuditEntry.objects.filter(action="test.lock_two").count() == 2
    assert audit_verify_chain() == []


@pytest.mark.urls("techex.core.tests.deadlock_urls")
def test_an_api_request_aborted_by_a_deadlock_reads_its_json_body_again(reference_data):
    one, other = _opposite_orders()
    outcomes = _at_once(
        *(
            lambda order=order: Client().post(
                f"/api/lock/{order[0]}/{order[1]}/", {"note": "Ghi chú"}, content_type="application/json"
            )
            for order in (one, other)
        )
    )
    assert [(kind, response.status_code) for kind, response in outcomes] == [("ok", 200), ("ok", 200)]
    assert [response.json()["note"] for _kind, response in outcomes] == ["Ghi chú", "Ghi chú"]
    assert len(deadlock_urls.ATTEMPTS) == 3
    assert audit_verify_chain() == []


def _at_once(*requests):
    """Send the requests at the same moment; each holds its first lock until the other holds its own."""
    deadlock_urls.ATTEMPTS.clear()
    deadlock_urls.MEETING["barrier"] = threading.Barrier(len(requests))
    try:
        return at_the_same_moment(*requests)
    finally:
        deadlock_urls.MEETING["barrier"] = None
