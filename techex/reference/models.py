"""Reference classifications: administrative units, S&T fields, TRL, IPC, VSIC.

Codes are data loaded from files (``load_reference_data``), so a newer table (Circular 24/2025 for S&T fields) can
replace an older one without code changes.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualMixin:
    """Pick the Vietnamese or English label by the active language."""

    # The model's fields the mixin reads (annotations only: the model declares them).
    name: str
    name_en: str

    @property
    def label(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Province(BilingualMixin, models.Model):
    """A province or centrally-run city (2025 two-level government)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    unit_type = models.CharField(_("unit type"), max_length=64)
    is_mekong = models.BooleanField(_("Mekong Delta"), default=False)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label


class Ward(BilingualMixin, models.Model):
    """A commune-level unit: xã, phường or đặc khu."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="wards", verbose_name=_("province"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    unit_type = models.CharField(_("unit type"), max_length=32)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.full_name


class STField(models.Model):
    """A field of science and technology (hierarchical code: 1 → 101 → 10101)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("English name"), max_length=400, blank=True)
    oecd_code = models.CharField(_("OECD FOS code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("S&T field")
        verbose_name_plural = _("S&T fields")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class TRL(models.Model):
    """A technology readiness level, 1 to 9."""

    level = models.PositiveSmallIntegerField(_("level"), primary_key=True)
    name = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_en = models.CharField(_("NASA wording"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("technology readiness level")
        verbose_name_plural = _("technology readiness levels")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"TRL {self.level}: {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name


class IPCClass(models.Model):
    """An International Patent Classification section, class or subclass."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.CharField(_("level"), max_length=16)
    title = models.CharField(_("title"), max_length=600)

    class Meta:
        verbose_name = _("IPC class")
        verbose_name_plural = _("IPC classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"


class VSICCode(models.Model):
    """A section or division of the Vietnam Standard Industrial Classification 2025."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("VSIC code")
        verbose_name_plural = _("VSIC codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WardSuccession(models.Model):
    """A link from a commune of before 1 July 2025 to a commune that took over (part of) its territory.

    An old commune split between several new ones has one row for each and ``is_partial`` set: an address in it
    cannot be mapped for certain, so staff review it.
    """

    old_province_code = models.CharField(_("old province code"), max_length=4, db_index=True)
    old_province_name = models.CharField(_("old province name"), max_length=100)
    old_ward_code = models.CharField(_("old commune code"), max_length=8, db_index=True)
    old_ward_name = models.CharField(_("old commune name"), max_length=100)
    new_ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="predecessors", verbose_name=_("new commune")
    )
    is_partial = models.BooleanField(_("partial"), default=False)

    class Meta:
        verbose_name = _("commune succession")
        verbose_name_plural = _("commune successions")
        ordering = ["old_ward_code", "new_ward_id"]
        constraints = [
            models.UniqueConstraint(fields=["old_ward_code", "new_ward"], name="ward_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.old_ward_name} ({self.old_province_name}) → {self.new_ward_id}"
