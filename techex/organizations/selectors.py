"""Reads of organisations and memberships."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .choices import MembershipRole, OrganizationType, VerificationStatus
from .models import Membership, Organization


def user_organization_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
        user._organization_ids = cached
    return cached


def user_is_member(user, organization: Organization) -> bool:
    return organization.pk in user_organization_ids(user)


def user_is_org_admin(user, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organization=organization, role=MembershipRole.ADMIN).exists()


def user_is_broker(user) -> bool:
    """A broker is a member of an intermediary organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organization__type=OrganizationType.INTERMEDIARY).exists()


def user_organizations(user) -> QuerySet[Organization]:
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def organization_list_public(*, q: str = "", type: str = "", province: str = "") -> QuerySet[Organization]:
    """Organisations the public may see: all but those whose verification was refused, non-anonymous counts."""
    qs = Organization.objects.exclude(verification_status=VerificationStatus.REJECTED).select_related("province")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
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


def organization_list_for_verification() -> QuerySet[Organization]:
    return Organization.objects.filter(verification_status=VerificationStatus.PENDING).select_related("province")
