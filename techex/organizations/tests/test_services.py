import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.organizations import services
from techex.organizations.choices import MembershipRole, OrganizationType, VerificationStatus
from techex.organizations.models import Membership, Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province, Ward

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {"name": "Viện Lúa Đồng bằng sông Cửu Long", "type": OrganizationType.INSTITUTE, "tax_code": "0100109106"}
    data.update(overrides)
    return data


def test_create_makes_the_creator_admin_and_awaits_verification(owner):
    organization = services.organization_create(user=owner, data=_data())
    assert organization.verification_status == VerificationStatus.PENDING
    assert organization.slug == "vien-lua-dong-bang-song-cuu-long"
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role) == (owner, MembershipRole.ADMIN)
    assert AuditEntry.objects.filter(action="organization.create", target_id=str(organization.pk)).exists()


def test_create_stores_nfd_text_as_nfc(owner):
    name = unicodedata.normalize("NFD", "Hợp tác xã Tôm Lúa Đồng Tháp")
    organization = services.organization_create(user=owner, data=_data(name=name, tax_code=""))
    organization.refresh_from_db()
    assert organization.name == unicodedata.normalize("NFC", name)
    assert unicodedata.is_normalized("NFC", organization.name)


def test_slugs_stay_unique(owner):
    first = services.organization_create(user=owner, data=_data(tax_code=""))
    second = services.organization_create(user=owner, data=_data(tax_code=""))
    assert first.slug != second.slug


def test_duplicate_tax_code_is_refused_on_the_field(owner):
    services.organization_create(user=owner, data=_data())
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(user=owner, data=_data(name="Another"))
    assert excinfo.value.message_dict["tax_code"] == [
        "An organisation with this tax code is already registered on the exchange."
    ]
    assert Organization.objects.count() == 1


def test_update_keeps_its_own_tax_code(owner):
    organization = services.organization_create(user=owner, data=_data())
    services.organization_update(organization=organization, user=owner, data=_data(name="Viện mới"))
    assert Organization.objects.get(pk=organization.pk).name == "Viện mới"


def test_commune_of_another_province_is_refused(owner, reference_data):
    can_tho = Province.objects.get(code="92")
    elsewhere = Ward.objects.exclude(province=can_tho).first()
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(user=owner, data=_data(province=can_tho, ward=elsewhere))
    assert excinfo.value.message_dict["ward"] == ["This commune does not belong to the chosen province."]
    assert not Organization.objects.exists()


def test_update_by_non_admin_is_refused(org, outsider):
    with pytest.raises(PermissionDenied):
        services.organization_update(organization=org, user=outsider, data={"name": "Taken over"})


def test_new_tax_code_sends_back_to_verification(org, owner):
    services.organization_update(organization=org, user=owner, data={"name": org.name, "tax_code": "0300588569"})
    assert org.verification_status == VerificationStatus.PENDING


def test_refused_organisation_asks_again_when_corrected(org, owner, staff):
    services.organization_refuse_verification(organization=org, user=staff, reason="Tax code not found")
    services.organization_update(organization=org, user=owner, data={"name": "Corrected name"})
    assert org.verification_status == VerificationStatus.PENDING


def test_staff_edit_keeps_the_verification(org, staff):
    services.organization_update(organization=org, user=staff, data={"name": org.name, "tax_code": "0300588569"})
    assert org.verification_status == VerificationStatus.VERIFIED


def test_verify_and_refuse_are_staff_only_and_audited(org, owner, staff):
    with pytest.raises(PermissionDenied):
        services.organization_verify(organization=org, user=owner)
    services.organization_refuse_verification(organization=org, user=staff, reason="  Wrong tax code  ")
    assert (org.verification_status, org.verification_note) == (VerificationStatus.REJECTED, "Wrong tax code")
    services.organization_verify(organization=org, user=staff)
    assert org.verification_status == VerificationStatus.VERIFIED
    assert org.verified_at is not None
    assert org.verification_note == ""
    actions = list(AuditEntry.objects.filter(target_id=str(org.pk)).values_list("action", flat=True))
    assert actions[:2] == ["organization.verify", "organization.refuse"]


def test_refusal_needs_a_reason(org, staff):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_refuse_verification(organization=org, user=staff, reason="   ")
    assert excinfo.value.message_dict["reason"] == ["Give the reason for refusing verification."]


def test_last_admin_can_be_neither_removed_nor_demoted(org, owner):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(organization=org, user=owner, member=owner)
    assert excinfo.value.messages == ["An organisation needs at least one administrator."]
    with pytest.raises(ValidationError):
        services.membership_add(organization=org, user=owner, member=owner, role=MembershipRole.MEMBER)
    assert Membership.objects.get(organization=org, user=owner).role == MembershipRole.ADMIN


def test_an_admin_may_step_down_when_another_remains(org, owner):
    second = UserFactory()
    services.membership_add(organization=org, user=owner, member=second, role=MembershipRole.ADMIN)
    services.membership_add(organization=org, user=owner, member=owner, role=MembershipRole.MEMBER)
    assert Membership.objects.get(organization=org, user=owner).role == MembershipRole.MEMBER


def test_plain_member_cannot_add_members(org):
    member = MembershipFactory(organization=org, role=MembershipRole.MEMBER).user
    with pytest.raises(PermissionDenied):
        services.membership_add(organization=org, user=member, member=UserFactory())


def test_member_may_leave(org):
    member = MembershipFactory(organization=org, role=MembershipRole.MEMBER).user
    services.membership_remove(organization=org, user=member, member=member)
    assert not Membership.objects.filter(organization=org, user=member).exists()


def test_admin_of_another_organisation_cannot_remove_members(org, owner):
    admin_elsewhere = MembershipFactory(organization=OrganizationFactory()).user
    with pytest.raises(PermissionDenied):
        services.membership_remove(organization=org, user=admin_elsewhere, member=owner)
    assert Membership.objects.filter(organization=org, user=owner).exists()


def test_long_description_is_refused_on_the_field(owner):
    with pytest.raises(ValidationError) as error:
        services.organization_create(
            user=owner, data={"name": "Viện A", "type": "institute", "description": "x" * 4001}
        )
    assert error.value.message_dict == {"description": ["Keep this under 4,000 characters (it has 4,001)."]}
    assert not Organization.objects.filter(name="Viện A").exists()


def test_bad_tax_code_is_refused_on_the_field(owner):
    with pytest.raises(ValidationError) as error:
        services.organization_create(user=owner, data={"name": "Viện B", "type": "institute", "tax_code": "1800158810"})
    assert error.value.message_dict == {"tax_code": ["This tax code is not valid: its check digit does not match."]}


def test_slug_taken_by_a_concurrent_sign_up_gets_another(owner, monkeypatch):
    OrganizationFactory(name="Viện C", slug="vien-c")
    # As if another request took "vien-c" between the check and the insert.
    monkeypatch.setattr(services, "_unique_slug", lambda name: "vien-c")
    organization = services.organization_create(user=owner, data={"name": "Viện C", "type": "institute"})
    assert organization.slug.startswith("vien-c-") and organization.slug != "vien-c"
