"""One scope mechanism: who is lead, who is a partner, and what each may act on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from rest_framework.exceptions import NotFound

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.departments.choices import StaffRole
from techex.departments.models import Department
from techex.departments.scope import (
    InScopePermission,
    can_act,
    in_scope,
    require_can_act,
    scoped_object,
    staff_scope,
)
from techex.departments.selectors import lead_department
from techex.organizations.models import Organization
from techex.organizations.tests.factories import OrganizationFactory

from .factories import make_partner, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_giang(reference_data):
    return make_partner("an-giang")


@pytest.fixture
def orgs(reference_data, an_giang):
    """One organisation routed to An Giang, one to the lead (Cần Thơ)."""
    from techex.departments.services import route

    mine = OrganizationFactory(name="Viện An Giang", province_id="91")
    other = OrganizationFactory(name="Viện Cần Thơ", province_id="92")
    for organization in (mine, other):
        route(obj=organization)
    return mine, other


def test_staff_without_a_department_acts_as_lead(reference_data):
    scope = staff_scope(StaffFactory())
    assert scope.is_staff and scope.is_lead and scope.province_codes is None
    assert scope.department == lead_department()


def test_superusers_are_lead_even_in_a_partner_department(an_giang):
    user = make_staff(an_giang, is_superuser=True)
    assert staff_scope(user).is_lead


def test_lead_department_staff_are_lead(reference_data):
    user = make_staff(lead_department(), role=StaffRole.ADMIN)
    scope = staff_scope(user)
    assert scope.is_lead and scope.is_department_admin and scope.province_codes is None


def test_partner_staff_act_on_their_province(an_giang):
    scope = staff_scope(make_staff(an_giang))
    assert (scope.is_staff, scope.is_lead, scope.department, scope.province_codes) == (
        True,
        False,
        an_giang,
        frozenset({"91"}),
    )
    assert not scope.is_department_admin


def test_staff_of_an_inactive_partner_act_on_nothing(an_giang):
    user = make_staff(an_giang)
    Department.objects.filter(pk=an_giang.pk).update(is_active=False)
    scope = staff_scope(user)
    assert scope.is_staff and not scope.is_lead and scope.province_codes == frozenset()


@pytest.mark.parametrize("make_user", [UserFactory, AnonymousUser], ids=["member", "anonymous"])
def test_members_and_visitors_have_no_scope(reference_data, make_user):
    scope = staff_scope(make_user())
    assert not scope.is_staff and not scope.is_lead and scope.province_codes == frozenset()


def test_the_scope_is_computed_once_per_user_object(an_giang, count_queries):
    user = make_staff(an_giang)
    user = type(user).objects.get(pk=user.pk)
    with count_queries() as queries:
        staff_scope(user)
        staff_scope(user)
    assert len(queries) == 1


def test_in_scope_keeps_a_partners_own_rows(orgs, an_giang):
    mine, other = orgs
    partner = make_staff(an_giang)
    assert list(Organization.objects.in_scope(partner)) == [mine]
    assert set(Organization.objects.in_scope(StaffFactory())) >= {mine, other}
    assert not Organization.objects.in_scope(UserFactory()).exists()
    assert not Organization.objects.in_scope(AnonymousUser()).exists()
    # The function and the QuerySet method are one thing.
    assert list(in_scope(Organization.objects.all(), partner)) == [mine]


def test_can_act_agrees_with_in_scope(orgs, an_giang):
    mine, other = orgs
    partner = make_staff(an_giang)
    lead = StaffFactory()
    assert can_act(partner, mine) and not can_act(partner, other)
    assert can_act(lead, mine) and can_act(lead, other)
    assert not can_act(UserFactory(), mine) and not can_act(AnonymousUser(), mine)
    with pytest.raises(Http404):
        require_can_act(partner, other)


def test_unrouted_items_belong_to_the_lead_only(reference_data, an_giang):
    organization = OrganizationFactory(province_id="91")  # made without the creating service: not routed
    assert organization.department_id is None
    assert can_act(StaffFactory(), organization) and not can_act(make_staff(an_giang), organization)


def test_a_model_that_does_not_declare_its_department_cannot_be_scoped(reference_data):
    with pytest.raises(TypeError, match="scope_department_field"):
        in_scope(Department.objects.all(), StaffFactory())


def test_the_api_permission_answers_404_out_of_scope(orgs, an_giang):
    mine, other = orgs
    request = RequestFactory().get("/")
    request.user = make_staff(an_giang)
    permission = InScopePermission()
    assert permission.has_permission(request, None)
    assert permission.has_object_permission(request, None, mine)
    with pytest.raises(NotFound):
        permission.has_object_permission(request, None, other)
    request.user = UserFactory()
    assert not permission.has_permission(request, None)


def test_the_view_decorator_loads_only_objects_in_scope(orgs, an_giang):
    mine, other = orgs

    @scoped_object(Organization.objects.all(), lookup="slug")
    def view(request, obj):
        return HttpResponse(obj.name)

    request = RequestFactory().get("/")
    request.user = make_staff(an_giang)
    assert view(request, slug=mine.slug).content.decode() == "Viện An Giang"
    with pytest.raises(Http404):
        view(request, slug=other.slug)
