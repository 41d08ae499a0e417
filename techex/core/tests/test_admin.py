"""The Django admin: every registered model opens for an administrator; the audit trail and listings are read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from techex.accounts.models import User
from techex.core.models import AuditEntry
from techex.organizations.choices import VerificationStatus
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@example.vn", password="Quan-tri-2026!")


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_registered_model_lists_and_searches(client, superuser, reference_data, published_offer):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        url = _changelist(model)
        assert client.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "Cần Thơ"}).status_code == 200, url


def test_change_pages_open(client, superuser, reference_data, published_offer):
    client.force_login(superuser)
    for obj in (published_offer, published_offer.organization, superuser, AuditEntry.objects.first()):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, url


def test_users_are_created_with_the_email_as_login(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Moi@Example.vn",
            "full_name": "Người Mới",
            "password1": "Quan-tri-2026!",
            "password2": "Quan-tri-2026!",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="moi@example.vn").full_name == "Người Mới"


def test_audit_trail_cannot_be_added_changed_or_deleted(client, superuser, org, staff):
    from techex.organizations.services import organization_verify

    organization_verify(organization=org, user=staff)
    entry = AuditEntry.objects.first()
    client.force_login(superuser)
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "forged"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "organization.verify"


def test_listings_are_read_only_in_the_admin(client, superuser, published_offer):
    client.force_login(superuser)
    assert client.get(reverse("admin:listings_listing_add")).status_code == 403
    url = reverse("admin:listings_listing_change", args=[published_offer.pk])
    response = client.post(url, {"status": "draft", "title": "Changed"})
    assert response.status_code == 403
    published_offer.refresh_from_db()
    assert published_offer.status == "published"


def test_verify_action_goes_through_the_service(client, superuser):
    pending = OrganizationFactory(verification_status=VerificationStatus.PENDING)
    client.force_login(superuser)
    client.post(
        _changelist(pending.__class__),
        {"action": "verify_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.VERIFIED
    assert AuditEntry.objects.filter(action="organization.verify", target_id=str(pending.pk)).exists()


def test_staff_without_permissions_see_no_model(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert client.get(_changelist(User)).status_code == 403


def test_non_staff_are_sent_to_the_admin_login(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
