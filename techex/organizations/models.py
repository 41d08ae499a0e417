"""Organisations (supply and demand sides, brokers) and their members."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from techex.core.models import TimeStampedModel
from techex.departments.models import Moderated, Routed
from techex.departments.scope import ScopedQuerySet
from techex.reference.addresses import full_address

from .choices import MembershipRole, OrganizationType, VerificationStatus


class Organization(TimeStampedModel, Routed, Moderated):
    """A university, institute, enterprise, cooperative, inventor, intermediary or public body."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganizationType.choices)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    country = models.CharField(_("country"), max_length=2, default="VN")
    province = models.ForeignKey(
        "reference.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    ward = models.ForeignKey(
        "reference.Ward", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("commune / ward")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    verification_status = models.CharField(
        _("verification"), max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organizations")

    objects = ScopedQuerySet.as_manager()

    # Routed: an organisation goes to the department of its own province (docs/departments.md).
    routing_province_fields = ("province",)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~models.Q(tax_code=""), name="organization_tax_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        """The address with its ward and province, each named once (reference.addresses)."""
        return full_address(street=self.address, ward=self.ward, province=self.province)

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_intermediary(self) -> bool:
        return self.type == OrganizationType.INTERMEDIARY


class Membership(TimeStampedModel):
    """A person's role in an organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"
