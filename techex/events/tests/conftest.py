import pytest

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.departments.tests.factories import make_partner, make_staff
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def lead(reference_data):
    return StaffFactory()


@pytest.fixture
def an_giang_staff(reference_data):
    return make_staff(make_partner("an-giang"))


@pytest.fixture
def dong_thap_staff(reference_data):
    return make_staff(make_partner("dong-thap"))


@pytest.fixture
def member(reference_data):
    user = UserFactory(full_name="Phạm Minh Tuấn")
    MembershipFactory(user=user, organization=OrganizationFactory(name="Công ty TNHH Cơ khí Tây Đô"))
    return user
