"""Fixtures of the deal tests: the people of a deal and deals at each stage, all built through the services."""

import pytest

from techex.deals.tests.factories import deal_parties, make_deal


@pytest.fixture
def parties(reference_data):
    """A published offer of the Viện Lúa, a member of a cooperative who will inquire, and staff."""
    return deal_parties()


@pytest.fixture
def brokered(reference_data):
    """An anonymous offer brokered by an intermediary: inquiries reach the broker first."""
    return deal_parties(anonymous=True, broker=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks queued for after the commit (notifications) as a real commit would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def inquiry(parties):
    return make_deal(parties)


@pytest.fixture
def accepted(parties):
    return make_deal(parties, stage="accepted")
