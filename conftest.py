"""Fixtures shared by every app's tests."""

import pytest

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache, so API throttling counts only that test's requests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _settings_language():
    """Start every test in the settings' language. The language middleware activates a request's language for the
    thread (as Django's does) and, in production, the next request activates its own; in the tests, a test that
    switched to Vietnamese and made a request would otherwise leave the next test's direct service calls in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once per test database; transactions roll back around it."""
    from techex.reference.loader import load_all

    with django_db_blocker.unblock():
        load_all()


@pytest.fixture
def reference_data(db):
    """Make sure reference data is there (a transactional test before this one may have flushed it)."""
    from techex.reference.loader import load_all
    from techex.reference.models import Province

    if not Province.objects.exists():
        load_all()


@pytest.fixture
def count_queries():
    """The one query counter of the tests: ``with count_queries() as queries: ...`` then ``len(queries)``.

    A fresh ``CaptureQueriesContext`` on the default connection per call, so a test may count several blocks;
    ``queries.captured_queries`` holds the SQL to look at when a budget fails. tests/test_one_place.py keeps it the
    only one.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> CaptureQueriesContext:
        return CaptureQueriesContext(connection)

    return count_queries


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def org(owner):
    organization = OrganizationFactory()
    MembershipFactory(user=owner, organization=organization)
    return organization


@pytest.fixture
def outsider(db):
    """A member of another organisation."""
    user = UserFactory()
    MembershipFactory(user=user, organization=OrganizationFactory(name="Công ty Khác"))
    return user


@pytest.fixture
def offer(reference_data, owner, org):
    from techex.listings.tests.factories import make_listing

    return make_listing(user=owner, organization=org)


@pytest.fixture
def published_offer(reference_data, owner, org, staff):
    from techex.listings.tests.factories import make_published

    return make_published(user=owner, organization=org, staff=staff)
