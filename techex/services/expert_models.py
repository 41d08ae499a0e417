"""The expert directory's model (issue 13): people who provide services of the technology market.

Imported by ``models.py`` so that Django registers it under the ``services`` app; kept in its own module so the
catalogue, providers and requests stay apart from the directory.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from techex.core.models import TimeStampedModel
from techex.departments.models import Routed
from techex.departments.scope import ScopedQuerySet

# The version of the listing policy an expert consents to (docs/services.md, "Experts"). Raise it when the text
# of the consent changes: experts who consented to an older version keep their date and version on record.
EXPERT_POLICY_VERSION = "2026-12"
EXPERT_NAME_MAX = 120
EXPERT_TEXT_MAX = 4000
EXPERT_LINE_MAX = 255


class ExpertQuerySet(ScopedQuerySet):
    def listed(self) -> "ExpertQuerySet":
        """Public: consent recorded and not hidden by the expert."""
        return self.filter(consent_at__isnull=False, is_hidden=False)


class Expert(TimeStampedModel, Routed):
    """A person (with or without an account) listed for their fields, specialities and the services they provide.

    Listed only with their consent (date and policy version); the expert can hide the profile or remove it. The
    e-mail address and phone are for staff and the expert only: visitors contact an expert through a service
    request (``ServiceRequest.expert``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        verbose_name=_("account"),
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    full_name = models.CharField(_("full name"), max_length=EXPERT_NAME_MAX)
    title = models.CharField(_("title (academic or professional)"), max_length=60, blank=True)
    fields = models.ManyToManyField("reference.STField", related_name="experts", verbose_name=_("S&T fields"))
    specialities = models.TextField(_("specialities (one a line)"), max_length=EXPERT_TEXT_MAX)
    languages = models.CharField(_("languages"), max_length=EXPERT_LINE_MAX, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    organization_name = models.CharField(
        _("organisation (when not on the exchange)"), max_length=EXPERT_LINE_MAX, blank=True
    )
    province = models.ForeignKey(
        "reference.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    cv = models.TextField(_("short CV"), max_length=EXPERT_TEXT_MAX)
    publications = models.TextField(_("publications and patents"), max_length=EXPERT_TEXT_MAX, blank=True)
    categories = models.ManyToManyField(
        "services.ServiceCategory", related_name="experts", blank=True, verbose_name=_("services provided")
    )
    accepts_requests = models.BooleanField(_("accepts requests"), default=True)
    email = models.EmailField(_("e-mail (not shown to visitors)"), blank=True)
    phone = models.CharField(_("phone (not shown to visitors)"), max_length=30, blank=True)
    consent_at = models.DateTimeField(_("consent to be listed given at"), null=True, blank=True, editable=False)
    consent_policy = models.CharField(_("policy version consented to"), max_length=20, blank=True, editable=False)
    is_hidden = models.BooleanField(_("hidden by the expert"), default=False)
    # The analysed text (techex.search.analysis), written by the services with every change: see experts.py.
    search_document = models.JSONField(default=dict, blank=True, editable=False)

    objects = ExpertQuerySet.as_manager()

    # Routed: an expert goes to the department of their province, else their organisation's (docs/departments.md).
    routing_province_fields = ("province", "organization__province")

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", kwargs={"slug": self.slug})

    @property
    def is_listed(self) -> bool:
        return self.consent_at is not None and not self.is_hidden

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization_id and self.organization else self.organization_name

    def speciality_list(self) -> list[str]:
        return [line.strip() for line in self.specialities.splitlines() if line.strip()]

    def field_list(self) -> list[Any]:
        return list(self.fields.all())
