"""Writes of organisations and memberships."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from techex.core import events
from techex.core.models import max_length_of
from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.core.text import clean_text, fold, too_long_message
from techex.departments.scope import acting_department, can_act, require_can_act
from techex.departments.services import route

from .choices import MembershipRole, VerificationStatus
from .events import OrganizationChanged, OrganizationVerified
from .models import Membership, Organization
from .selectors import user_is_org_admin
from .validators import normalize_tax_code, validate_tax_code

if TYPE_CHECKING:
    from techex.accounts.models import User

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "type",
    "tax_code",
    "province",
    "ward",
    "address",
    "website",
    "email",
    "phone",
    "description",
)
TEXT_FIELDS = ("name", "short_name", "address", "phone", "description")


def _unique_slug(name: str) -> str:
    base = slugify(fold(name))[:60] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_with_unique_slug(organization: Organization, attempts: int = 5) -> None:
    """Save a new organisation under a free slug; a concurrent sign-up that takes the same slug gets the next one."""
    for attempt in range(attempts):
        organization.slug = _unique_slug(organization.name)
        if attempt:
            organization.slug = f"{organization.slug[:70]}-{secrets.token_hex(3)}"
        # The slug's uniqueness is the database's to enforce: a check here would race with the insert.
        organization.full_clean(exclude=["slug"])
        try:
            with transaction.atomic():
                organization.save()
            return
        except IntegrityError:
            if Organization.objects.filter(slug=organization.slug).exists() and attempt < attempts - 1:
                continue
            raise


def _clean(data: dict[str, Any], *, organization: Organization | None = None) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    for name in TEXT_FIELDS:
        if data.get(name) is not None:
            data[name] = clean_text(str(data[name]))
    # full_clean() does not check max_length on a TextField, and says it in Django's words on a CharField: checked
    # here, with the message every form, the API and the import give.
    too_long = {
        name: [too_long_message(limit=limit, count=len(data[name]))]
        for name in TEXT_FIELDS
        if (limit := max_length_of(Organization, name)) and len(data.get(name) or "") > limit
    }
    if too_long:
        raise ValidationError(too_long)
    if data.get("tax_code"):
        data["tax_code"] = normalize_tax_code(data["tax_code"])
        try:
            validate_tax_code(data["tax_code"])
        except ValidationError as error:
            raise ValidationError({"tax_code": error.messages}) from error
        others = Organization.objects.filter(tax_code=data["tax_code"])
        if organization is not None:
            others = others.exclude(pk=organization.pk)
        # Checked here so the person gets a sentence instead of the database constraint's name.
        if others.exists():
            raise ValidationError(
                {"tax_code": [_("An organisation with this tax code is already registered on the exchange.")]}
            )
    ward, province = data.get("ward"), data.get("province")
    if ward is not None and (province is None or ward.province_id != province.pk):
        raise ValidationError({"ward": [_("This commune does not belong to the chosen province.")]})
    return data


@transaction.atomic
def organization_create(*, user: User, data: dict[str, Any], is_demo: bool = False) -> Organization:
    """Create an organisation; its creator becomes its administrator and it awaits verification."""
    data = _clean(data)
    organization = Organization(**data, is_demo=is_demo)
    organization.verification_status = VerificationStatus.PENDING
    route(obj=organization)  # to the queue of its province's department
    _save_with_unique_slug(organization)
    if getattr(user, "is_authenticated", False):
        Membership.objects.create(user=user, organization=organization, role=MembershipRole.ADMIN)
        user.__dict__.pop("_organization_ids", None)
    audit_record(actor=user, action="organization.create", target=organization)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, user: User, data: dict[str, Any]) -> Organization:
    """Change an organisation's profile (its administrators or staff); a new tax code needs verification again."""
    # Staff act here in their department's scope only (docs/departments.md); elsewhere as anyone else.
    staff = can_act(user, organization)
    if not (staff or user_is_org_admin(user=user, organization=organization)):
        raise PermissionDenied(_("Only the organisation's administrators may change its profile."))
    data = _clean(data, organization=organization)
    old_tax_code, old_name = organization.tax_code, organization.name
    for name, value in data.items():
        setattr(organization, name, value)
    # A new tax code must be checked again; a refused organisation that corrects its profile asks again.
    if not staff and (
        organization.tax_code != old_tax_code or organization.verification_status == VerificationStatus.REJECTED
    ):
        organization.verification_status = VerificationStatus.PENDING
    organization.full_clean()
    organization.save()
    # Search shows the name, type and slug in its answers and indexes the name (docs/architecture.md).
    events.publish(OrganizationChanged(organization_id=organization.pk, renamed=organization.name != old_name))
    audit_record(actor=user, action="organization.update", target=organization, data={"fields": sorted(data)})
    return organization


@transaction.atomic
def organization_verify(*, organization: Organization, user: User) -> Organization:
    """Mark an organisation as verified by staff."""
    require_staff(user)
    require_can_act(user, organization)  # 404 out of the user's department's scope, as the pages answer
    organization.verification_status = VerificationStatus.VERIFIED
    organization.verified_at = timezone.now()
    organization.verification_note = ""
    organization.moderated_by_department = acting_department(user)  # the department that acted names itself
    organization.save()
    events.publish(OrganizationVerified(organization_id=organization.pk))
    audit_record(actor=user, action="organization.verify", target=organization)
    return organization


@transaction.atomic
def organization_refuse_verification(*, organization: Organization, user: User, reason: str) -> Organization:
    """Refuse verification, with the reason the organisation is told."""
    require_staff(user)
    require_can_act(user, organization)  # 404 out of the user's department's scope, as the pages answer
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for refusing verification.")]})
    organization.verification_status = VerificationStatus.REJECTED
    organization.verification_note = reason[:500]
    organization.save()
    audit_record(actor=user, action="organization.refuse", target=organization, data={"reason": reason})
    return organization


def _admin_count(organization: Organization) -> int:
    # Locking the rows keeps two administrators from removing each other at the same moment.
    admins = Membership.objects.select_for_update().filter(organization=organization, role=MembershipRole.ADMIN)
    return len(list(admins.values_list("pk", flat=True)))


@transaction.atomic
def membership_add(
    *, organization: Organization, user: User, member: User, role: str = MembershipRole.MEMBER
) -> Membership:
    """Add a person to an organisation (its administrators or staff)."""
    if not (can_act(user, organization) or user_is_org_admin(user=user, organization=organization)):
        raise PermissionDenied(_("Only the organisation's administrators may add members."))
    if role not in MembershipRole.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    membership, created = Membership.objects.get_or_create(
        user=member, organization=organization, defaults={"role": role}
    )
    if not created and membership.role != role:
        if membership.role == MembershipRole.ADMIN and _admin_count(organization) == 1:
            raise ValidationError({"role": [_("An organisation needs at least one administrator.")]})
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    member.__dict__.pop("_organization_ids", None)
    audit_record(
        actor=user, action="organization.member_add", target=organization, data={"user": member.pk, "role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, organization: Organization, user: User, member: User) -> None:
    """Remove a person from an organisation; the last administrator cannot be removed."""
    if not (can_act(user, organization) or user_is_org_admin(user=user, organization=organization) or user == member):
        raise PermissionDenied(_("Only the organisation's administrators may remove members."))
    membership = Membership.objects.filter(user=member, organization=organization).first()
    if membership is None:
        return
    if membership.role == MembershipRole.ADMIN and _admin_count(organization) == 1:
        raise ValidationError(_("An organisation needs at least one administrator."))
    membership.delete()
    member.__dict__.pop("_organization_ids", None)
    audit_record(actor=user, action="organization.member_remove", target=organization, data={"user": member.pk})
