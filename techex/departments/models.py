"""Departments of science and technology that run the exchange together: the lead (the operator) and partners."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from techex.core.models import TimeStampedModel

from .choices import StaffRole


class Department(TimeStampedModel):
    """A provincial Department of Science and Technology taking part in the exchange, tied to one 2025 province."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    province = models.OneToOneField(
        "reference.Province", on_delete=models.PROTECT, related_name="department", verbose_name=_("province")
    )
    # A static path (like the operator's img/logo.svg), not an upload: every web node serves the same file, and
    # a department's logo changes once in years, through a deployment.
    logo = models.CharField(_("logo (static path)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_lead = models.BooleanField(
        _("lead department"), default=False, help_text=_("The operator's department, which acts across the region.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive department's province falls to the lead department.")
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["-is_lead", "name"]
        constraints = [
            # Exactly one lead at most in the table; ensure_lead_department() makes sure there is one.
            models.UniqueConstraint(fields=["is_lead"], condition=models.Q(is_lead=True), name="department_one_lead"),
            # The lead cannot be switched off: every province without a partner falls to it.
            models.CheckConstraint(
                condition=models.Q(is_lead=False) | models.Q(is_active=True), name="department_lead_active"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("departments:detail", kwargs={"code": self.code})

    @property
    def label(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class DepartmentStaff(TimeStampedModel):
    """A staff account's department. A staff account without one acts as lead staff (see docs/departments.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_staff",
        verbose_name=_("user"),
        limit_choices_to={"is_staff": True},
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("department")
    )
    role = models.CharField(_("role"), max_length=8, choices=StaffRole.choices, default=StaffRole.STAFF)

    class Meta:
        verbose_name = _("department staff member")
        verbose_name_plural = _("department staff")
        ordering = ["department", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department}"


class Routed(models.Model):
    """Abstract: an item that goes to the queue of its province's department.

    A model declares in ``routing_province_fields`` the paths to its province, the first one set winning; the
    department is stored (not computed at read time) so that a reassignment sticks and queues filter on one column.
    """

    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        # Changed only by route() and the audited department_reassign(), never through a form.
        editable=False,
    )

    # The field path that gives the routing department, read by in_scope() and can_act().
    scope_department_field: ClassVar[str] = "department"
    # Paths (attribute names joined by "__") to the province that routes the item, in order of precedence.
    routing_province_fields: ClassVar[tuple[str, ...]] = ("province",)

    class Meta:
        abstract = True

    def routing_province_id(self) -> str | None:
        """The code of the province that decides the item's department, or None."""
        for path in self.routing_province_fields:
            value: Any = self
            *hops, last = path.split("__")
            for hop in hops:
                value = getattr(value, hop, None)
                if value is None:
                    break
            else:
                code = getattr(value, f"{last}_id", None)
                if code:
                    return code
        return None

    def route_to_department(self) -> "Department | None":
        """The active partner department of the item's province, else the lead."""
        from .selectors import department_for_province

        return department_for_province(province_code=self.routing_province_id())


class Moderated(models.Model):
    """Abstract: an item whose public page names the department that moderated it (published or verified it).

    It is the department whose staff **acted** (lead staff acting on a partner's queue leave the lead's name), so it
    is stored when the publishing or verifying service runs rather than read from the routing ``department``, which
    says whose queue the item sits in and changes on reassignment. See docs/departments.md.
    """

    moderated_by_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("moderated by (department)"),
        # Set only by the publishing and verifying services (departments.scope.acting_department).
        editable=False,
    )

    class Meta:
        abstract = True
