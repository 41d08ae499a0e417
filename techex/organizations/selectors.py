"""Reads of organisations and memberships."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from techex.core.text import clean_text
from techex.departments.models import Department
from techex.departments.scope import can_act, in_scope
from techex.departments.selectors import in_queue

from .choices import MembershipRole, OrganizationType, VerificationStatus
from .models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User


def user_organization_ids(*, user: User | AnonymousUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
        user.__dict__["_organization_ids"] = cached  # forgotten by the membership services
    return cached


def member_organization_ids(*, user: User | AnonymousUser) -> Collection[int] | QuerySet[Membership, Any]:
    """The user's organisations inside a query: the ids already read this request, else a subquery (no round trip)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_organization_ids", None)
    if cached is not None:
        return cached
    return Membership.objects.filter(user=user).values("organization_id")


def user_is_member(*, user: User | AnonymousUser, organization: Organization) -> bool:
    return organization.pk in user_organization_ids(user=user)


# Seen only by the organisation's members and staff, on its page and in the API alike: an individual inventor's tax
# code, address, e-mail and phone are personal data, and the exchange puts inquiries through its own channel.
PRIVATE_FIELDS = ("tax_code", "address", "email", "phone", "verification_note")


def organization_private_visible(*, user: User | AnonymousUser, organization: Organization) -> bool:
    """Whether the user may read the organisation's PRIVATE_FIELDS: its members and staff only."""
    return bool(getattr(user, "is_staff", False)) or user_is_member(user=user, organization=organization)


def user_is_org_admin(*, user: User | AnonymousUser, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organization=organization, role=MembershipRole.ADMIN).exists()


def user_is_broker(*, user: User | AnonymousUser) -> bool:
    """A broker is a member of an intermediary organisation."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organization__type=OrganizationType.INTERMEDIARY).exists()


def user_organizations(*, user: User | AnonymousUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def organization_public_profiles() -> QuerySet[Organization]:
    """Organisations whose profile the public may open: all but those whose verification was refused."""
    return Organization.objects.exclude(verification_status=VerificationStatus.REJECTED)


def organization_list_public(*, q: str = "", type: str = "", province: str = "") -> QuerySet[Organization]:
    """The public profiles with their counts of non-anonymous live listings."""
    qs = organization_public_profiles().select_related("province")
    q = clean_text(q or "")
    if q:
        # An enterprise's tax code is public registry data and finds it; an individual inventor's is personal, and
        # finding them by it would confirm whose it is (the page keeps it private: PRIVATE_FIELDS).
        by_tax_code = Q(tax_code=q) & ~Q(type=OrganizationType.INDIVIDUAL)
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | by_tax_code)
    if type:
        qs = qs.filter(type=type)
    if province:
        qs = qs.filter(province_id=province)
    return qs.annotate(
        live_listing_count=Count("listings", filter=Q(listings__is_live=True, listings__is_anonymous=False))
    ).order_by("name")


def organization_get_public(*, slug: str) -> Organization:
    try:
        return organization_list_public().get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def organization_get_for_user(*, user: User | AnonymousUser, slug: str) -> Organization:
    """Return an organisation's profile: public ones for all, refused ones for their members and staff only."""
    organizations = Organization.objects.select_related("province", "ward", "moderated_by_department")
    organization = organizations.filter(slug=slug).first()
    if organization is None:
        raise Http404
    if organization.verification_status == VerificationStatus.REJECTED and not (
        getattr(user, "is_staff", False) or user_is_member(user=user, organization=organization)
    ):
        raise Http404
    return organization


def organization_get_for_admin(*, user: User | AnonymousUser, slug: str) -> Organization:
    """Return an organisation the user may manage (its administrators and staff); anything else is a 404."""
    organization = Organization.objects.select_related("province", "ward").filter(slug=slug).first()
    if organization is None or not (
        can_act(user, organization) or user_is_org_admin(user=user, organization=organization)
    ):
        raise Http404
    return organization


def organization_get_for_staff(*, user: User | AnonymousUser, slug: str) -> Organization:
    organization = Organization.objects.select_related("province", "ward", "department").filter(slug=slug).first()
    if organization is None or not can_act(user, organization):  # staff of its department only
        raise Http404
    return organization


def _admin_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role=MembershipRole.ADMIN).select_related("user").order_by("created_at"),
        to_attr="admin_memberships",
    )


def organization_list_for_verification(
    *, user: User | AnonymousUser | None = None, department: Department | None = None
) -> QuerySet[Organization]:
    """Organisations awaiting verification, oldest request first, with the administrators staff may contact; with
    ``user``, those in the user's staff scope (docs/departments.md), and with ``department``, those in its queue."""
    qs: QuerySet[Organization] = Organization.objects.filter(verification_status=VerificationStatus.PENDING)
    if user is not None:
        qs = in_scope(qs, user)
    if department is not None:
        qs = in_queue(queryset=qs, department=department)
    return (
        qs.select_related("province", "department").prefetch_related(_admin_memberships()).order_by("updated_at", "id")
    )


def organization_admins(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.filter(role=MembershipRole.ADMIN).select_related("user").order_by("created_at")


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    """The members of an organisation, administrators first."""
    admin_first = Case(When(role=MembershipRole.ADMIN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by(admin_first, "user__full_name", "user__email")
    )


def membership_get(*, organization: Organization, user_id: object) -> Membership:
    try:
        return Membership.objects.select_related("user").get(organization=organization, user_id=int(str(user_id)))
    except (ValueError, Membership.DoesNotExist) as exc:
        raise Http404 from exc


def membership_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Membership]:
    """The user's memberships with their organisations, for the dashboard."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def user_find_by_email(*, email: str) -> User | None:
    """Return the active account with this e-mail address (any letter case), or None."""
    user_model = get_user_model()
    return user_model.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()


def _with_live_listing_count(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    return qs.annotate(
        live_listing_count=Count("listings", filter=Q(listings__is_live=True, listings__is_anonymous=False))
    )


def organization_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Organization]:
    """The user's own organisations in any verification state, counted like the public list."""
    return _with_live_listing_count(user_organizations(user=user).select_related("province"))


def organization_live_listing_count(*, organization: Organization) -> int:
    """The organisation's live listings that name it, as the public list counts them."""
    return organization.listings.filter(is_live=True, is_anonymous=False).count()
