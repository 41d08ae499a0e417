import pytest
from django.urls import reverse

from techex.organizations.choices import MembershipRole, VerificationStatus
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_lists_organisations_with_roles_and_status(client, owner, org):
    other = OrganizationFactory(name="Viện Chờ Duyệt", verification_status=VerificationStatus.PENDING)
    MembershipFactory(user=owner, organization=other, role=MembershipRole.MEMBER)
    client.force_login(owner)
    content = client.get(reverse("accounts:dashboard")).content.decode()
    assert org.name in content and "Viện Chờ Duyệt" in content
    assert "Administrator" in content and "Member" in content
    assert "✓ Verified" in content and "Awaiting verification" in content
    for url in (reverse("organizations:create"), reverse("listings:mine"), reverse("listings:create")):
        assert url in content
    assert reverse("organizations:edit", kwargs={"slug": org.slug}) in content
    assert reverse("organizations:edit", kwargs={"slug": other.slug}) not in content
    assert reverse("organizations:verification_queue") not in content


def test_dashboard_without_organisation_invites_to_create_one(client, outsider):
    from techex.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    content = client.get(reverse("accounts:dashboard")).content.decode()
    assert "You do not belong to an organisation yet." in content
    assert reverse("organizations:create") in content


def test_dashboard_counts_my_listings_by_status(client, reference_data, owner, org):
    from techex.listings.tests.factories import make_listing

    make_listing(user=owner, organization=org)
    make_listing(user=owner, organization=org)
    client.force_login(owner)
    content = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Draft</a>: <strong>2</strong>" in content


def test_staff_dashboard_links_to_the_queues_with_counts(client, staff, reference_data, owner, org):
    from techex.listings import services
    from techex.listings.tests.factories import make_listing

    services.listing_submit(listing=make_listing(user=owner, organization=org), user=owner)
    for _ in range(3):
        OrganizationFactory(verification_status=VerificationStatus.PENDING)
    client.force_login(staff)
    response = client.get(reverse("accounts:dashboard"))
    assert response.context["staff_counts"] == {"listings_to_review": 1, "organizations_to_verify": 3, "open_deals": 0}
    content = response.content.decode()
    assert reverse("listings:review_queue") in content
    assert reverse("organizations:verification_queue") in content
