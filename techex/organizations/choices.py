from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    INDIVIDUAL = "individual", _("Individual inventor")
    INTERMEDIARY = "intermediary", _("Intermediary / service provider")
    PUBLIC_BODY = "public_body", _("Public body")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Verification refused")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")
