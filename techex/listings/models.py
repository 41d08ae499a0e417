"""Technology offers and needs: one model, one lifecycle."""

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from techex.core.models import REFERENCE_CODE_MAX_LENGTH, StoredFile, TimeStampedModel
from techex.core.permissions import is_staff
from techex.core.rules import LazyIds, matches
from techex.departments.models import Moderated, Routed
from techex.departments.scope import InScopeQuerySetMixin, staff_scope
from techex.organizations.selectors import member_organization_ids, user_organization_ids

if TYPE_CHECKING:
    from techex.reference.models import TRL, Province, STField

from .choices import (
    AttachmentKind,
    ImportJobStatus,
    IPStatus,
    IPType,
    Language,
    ListingKind,
    ListingStatus,
    PriceType,
    Stage,
)

# The prose of a listing, in the order the editor shows it: what validation limits, what the search document and
# matching read, what a revision shows as a word diff. Search, matching and the forms import this tuple.
PROSE_FIELDS = (
    "title",
    "summary",
    "description",
    "advantages",
    "applications",
    "problem",
    "comparison",
    "technical_requirements",
    "current_conditions",
)


# --- who may see what: each rule written once, read by the queryset and by ``Listing.is_*_to`` ----------------------


def _viewer_organization_ids(user: Any) -> LazyIds:
    """The user's organisations for a check in memory, read only if the rule gets that far."""
    return LazyIds(lambda: user_organization_ids(user=user))


def _staff_rule(user: Any) -> models.Q | None:
    """What staff see beyond a member: everything for lead staff, their department's items for a partner's staff
    (outside it they see what any member sees: docs/departments.md); None for anyone else."""
    if not is_staff(user):
        return None
    scope = staff_scope(user)
    if scope.is_lead:
        return models.Q()
    return models.Q(department_id=scope.department_id) if scope.province_codes else models.Q(pk__in=())


def open_rule(user: Any, orgs: Collection[int] | Any) -> models.Q:
    """The listings the user may open: live ones for everyone, their organisations' own, and for staff those of
    their scope (all for lead staff)."""
    staff = _staff_rule(user)
    if staff is not None and not staff:
        return staff
    if not getattr(user, "is_authenticated", False):
        return models.Q(is_live=True)
    rule = models.Q(is_live=True) | models.Q(organization_id__in=orgs)
    return rule | staff if staff is not None else rule


def identity_rule(user: Any, orgs: Collection[int] | Any) -> models.Q:
    """The listings whose owner the user may know: any not anonymous; an anonymous one for its owners, its assigned
    broker and the staff of its scope (all for lead staff)."""
    staff = _staff_rule(user)
    if staff is not None and not staff:
        return staff
    if not getattr(user, "is_authenticated", False):
        return models.Q(is_anonymous=False)
    rule = models.Q(is_anonymous=False) | models.Q(organization_id__in=orgs) | models.Q(broker_id__in=orgs)
    return rule | staff if staff is not None else rule


class ListingQuerySet(InScopeQuerySetMixin, models.QuerySet):
    def live(self) -> "ListingQuerySet":
        """Listings whose approved version the public may see."""
        return self.filter(is_live=True)

    def visible_to(self, user: Any) -> "ListingQuerySet":
        """The listings the user may open (``open_rule``); single getters ``.get()`` from it, so forbidden is 404."""
        return self.filter(open_rule(user, member_organization_ids(user=user)))

    def identity_visible_to(self, user: Any) -> "ListingQuerySet":
        """The listings whose owner the user may know (``identity_rule``)."""
        return self.filter(identity_rule(user, member_organization_ids(user=user)))


class Listing(TimeStampedModel, Routed, Moderated):
    """A technology offer (supply) or technology need (demand).

    While a listing is live its columns hold the last approved version; an owner's later edit waits in
    ``pending_changes`` until staff approve it, so the public never sees unreviewed text.
    """

    reference_code = models.CharField(
        _("reference code"), max_length=REFERENCE_CODE_MAX_LENGTH, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ListingKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="listings", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.VI)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Hide the organisation; contact goes through a broker.")
    )
    broker = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brokered_listings",
        verbose_name=_("broker"),
        limit_choices_to={"type": "intermediary"},
    )

    # Content
    title = models.CharField(_("title"), max_length=256)
    summary = models.TextField(_("summary"), max_length=500)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    advantages = models.TextField(_("advantages and innovation"), max_length=4000, blank=True)
    applications = models.TextField(_("applications"), max_length=4000, blank=True)
    problem = models.TextField(_("problem to solve"), max_length=4000, blank=True)
    comparison = models.TextField(_("comparison with existing solutions"), max_length=4000, blank=True)
    technical_requirements = models.TextField(_("technical requirements"), max_length=4000, blank=True)
    current_conditions = models.TextField(_("current conditions"), max_length=4000, blank=True)

    # Classification
    fields = models.ManyToManyField("reference.STField", related_name="listings", verbose_name=_("S&T fields"))
    vsic = models.ForeignKey(
        "reference.VSICCode", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("industry (VSIC)")
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    ipc_codes = models.JSONField(_("IPC codes"), default=list, blank=True)

    # Maturity
    trl = models.PositiveSmallIntegerField(
        _("TRL"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    min_trl = models.PositiveSmallIntegerField(
        _("minimum TRL"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    # Intellectual property
    ip_type = models.CharField(_("IP type"), max_length=24, choices=IPType.choices, default=IPType.NONE)
    ip_status = models.CharField(_("IP status"), max_length=8, choices=IPStatus.choices, default=IPStatus.NONE)
    ip_numbers = models.CharField(_("IP numbers"), max_length=255, blank=True)
    ip_territory = models.CharField(_("IP territory"), max_length=255, blank=True)

    # Terms
    transfer_forms = models.JSONField(_("transfer forms"), default=list, blank=True)
    price_type = models.CharField(_("price"), max_length=12, choices=PriceType.choices, default=PriceType.NEGOTIABLE)
    price_min = models.PositiveBigIntegerField(_("price from (VND)"), null=True, blank=True)
    price_max = models.PositiveBigIntegerField(_("price to (VND)"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    # Partner sought
    partner_types = models.JSONField(_("partner types sought"), default=list, blank=True)
    partner_provinces = models.ManyToManyField(
        "reference.Province", blank=True, related_name="+", verbose_name=_("partner provinces sought")
    )

    # Place
    province = models.ForeignKey(
        "reference.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listings",
        verbose_name=_("province"),
    )
    ward = models.ForeignKey(
        "reference.Ward", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("commune / ward")
    )
    deployment_place = models.CharField(_("where deployed or needed"), max_length=255, blank=True)

    # Lifecycle
    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT, db_index=True
    )
    is_live = models.BooleanField(_("publicly visible"), default=False, db_index=True)
    pending_changes = models.JSONField(_("changes awaiting review"), null=True, blank=True)
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True, db_index=True)
    renewed_at = models.DateTimeField(_("last renewed"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    open_for_inquiries = models.BooleanField(_("open for inquiries"), default=True)

    # Numbers
    view_count = models.PositiveIntegerField(_("views"), default=0)
    save_count = models.PositiveIntegerField(_("saves"), default=0)
    inquiry_count = models.PositiveIntegerField(_("inquiries"), default=0)

    # Provenance and search
    external_ref = models.CharField(_("external reference"), max_length=128, null=True, blank=True, unique=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    search_text = models.TextField(editable=False, blank=True)

    objects = ListingQuerySet.as_manager()

    # Routed: the listing's own place wins over its organisation's province (docs/departments.md explains why).
    routing_province_fields = ("province", "organization__province")
    # Set on a copy shown to a reader (selectors.listing_for_display): what the page shows, pending changes included.
    field_list: "list[STField]"
    partner_province_list: "list[Province]"
    trl_info: "TRL | None"

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["is_live", "kind", "-published_at"], name="listing_live_kind_pub"),
            models.Index(fields=["organization", "status"], name="listing_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_min__isnull=True)
                | models.Q(price_max__isnull=True)
                | models.Q(price_min__lte=models.F("price_max")),
                name="listing_price_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("listings:detail", kwargs={"reference_code": self.reference_code})

    def is_visible_to(self, user: Any) -> bool:
        """``Listing.objects.visible_to(user)`` asked of a listing already loaded (no query unless it must)."""
        return matches(open_rule(user, _viewer_organization_ids(user)), self)

    def is_identity_visible_to(self, user: Any) -> bool:
        """``Listing.objects.identity_visible_to(user)`` asked of a listing already loaded."""
        return matches(identity_rule(user, _viewer_organization_ids(user)), self)

    @property
    def is_offer(self) -> bool:
        return self.kind == ListingKind.OFFER


class ReferenceSequence(models.Model):
    """The last number used for a reference-code prefix such as ``CT-TO-2026``."""

    prefix = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


def attachment_path(instance: "ListingAttachment", filename: str) -> str:
    # The stored name never comes from the user: only the sniffed extension is kept.
    return f"listings/{instance.listing_id}/{instance.token}.{instance.extension}"


class ListingAttachment(StoredFile, TimeStampedModel):
    """An image or document of a listing; confidential ones are shown only to those allowed."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    is_confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Shown only after an NDA is in force.")
    )
    is_approved = models.BooleanField(default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    # Set on the rows a page shows (selectors.listing_attachments_for_page): whether this reader may open it.
    can_open: bool

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "id"]

    def get_absolute_url(self) -> str:
        return reverse("listings:attachment", kwargs={"token": self.token})


class ListingView(models.Model):
    """One counted view of a listing per session, so reloads do not inflate the count."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["listing", "session_key"], name="listing_view_unique")]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.session_key}"


def import_file_path(instance: "ImportJob", filename: str) -> str:
    # Under MEDIA_ROOT, which nothing serves directly; the name is a random token, never the uploader's.
    return f"imports/{instance.token}.{instance.format}"


class ImportJob(TimeStampedModel):
    """A file of listings uploaded by staff, and the progress and outcome of its background import."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=8)
    publish = models.BooleanField(_("publish at once"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("listing import")
        verbose_name_plural = _("listing imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("listings:import_status", kwargs={"pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.VALIDATING, ImportJobStatus.SAVING)

    @property
    def percent(self) -> int:
        """How far the row check has got, 0–100 (saving happens in one transaction, so it shows no steps)."""
        if self.status in (ImportJobStatus.SAVING, ImportJobStatus.DONE, ImportJobStatus.FAILED):
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
