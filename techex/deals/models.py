"""Deals: an inquiry on a listing carried through negotiation to a recorded technology-transfer contract."""

import functools
import operator
from typing import Any, cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techex.core.models import REFERENCE_CODE_MAX_LENGTH, StoredFile, TimeStampedModel
from techex.core.permissions import is_staff
from techex.departments.models import Department, Routed
from techex.departments.scope import ScopedQuerySet
from techex.listings.choices import ListingKind, TransferForm
from techex.organizations.selectors import member_organization_ids

from .choices import (
    ContractForm,
    CrossBorder,
    DealStage,
    NDAMethod,
    NDAStatus,
    ProposalStatus,
    RegistrationStatus,
    Side,
)
from .states import OPEN_STAGES


def side_rules(orgs: Any) -> dict[str, models.Q]:
    """The deals in which the user's organisations (``orgs``) speak for each side: the one membership rule of deals.

    The owner side of an anonymous listing's inquiry takes part only once the broker forwards it.
    """
    return {
        Side.OWNER: models.Q(owner_organization_id__in=orgs, forwarded_at__isnull=False),
        Side.INQUIRER: models.Q(inquirer_organization_id__in=orgs),
        Side.BROKER: models.Q(broker_id__in=orgs),
    }


def takes_part(user: Any) -> bool:
    """Whether the user can hold any role in a deal at all: signed in and active."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class DealQuerySet(ScopedQuerySet):
    def taking_part(self, user: Any) -> "DealQuerySet":
        """The deals in which the user's organisations are a party (the owner once forwarded) or the broker."""
        if not takes_part(user):
            return self.none()
        rules = side_rules(member_organization_ids(user=user)).values()
        return self.filter(functools.reduce(operator.or_, rules))

    def visible_to(self, user: Any) -> "DealQuerySet":
        """The deals the user may read: those they take part in, and for staff those of their department's scope
        (every deal for the lead: docs/departments.md); single getters ``.get()`` from it, so forbidden and missing
        are the same 404."""
        if is_staff(user):
            return cast("DealQuerySet", self.in_scope(user) | self.taking_part(user))
        return self.taking_part(user)


# The terms of a recorded contract, in the order its form and the API show them (the value after the rights).
CONTRACT_TERMS = (
    "contract_form",
    "transfer_objects",
    "licence",
    "value_vnd",
    "royalty_percent",
    "exclusive",
    "territory",
    "term_months",
    "signed_on",
    "cross_border",
    "state_budget",
    "st_task_registered",
)
TEXT_MAX = 4000
NOTE_MAX = 2000
TERRITORY_MAX = 255


class Deal(TimeStampedModel, Routed):
    """An expression of interest in a listing and everything that follows from it, up to a contract."""

    reference_code = models.CharField(
        _("reference code"), max_length=REFERENCE_CODE_MAX_LENGTH, unique=True, editable=False
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.PROTECT, related_name="deals", verbose_name=_("listing")
    )
    owner_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="deals_as_owner",
        verbose_name=_("listing owner"),
    )
    inquirer_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="deals_as_inquirer",
        verbose_name=_("inquirer"),
    )
    inquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inquiry sent by"),
    )
    broker = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brokered_deals",
        verbose_name=_("broker"),
        limit_choices_to={"type": "intermediary"},
    )
    stage = models.CharField(
        pgettext_lazy("stage of a deal", "stage"),
        max_length=12,
        choices=DealStage.choices,
        default=DealStage.INQUIRY,
        db_index=True,
    )

    # The expression of interest: a message and three standard answers.
    message = models.TextField(_("message"), max_length=TEXT_MAX)
    who_we_are = models.TextField(_("who we are"), max_length=NOTE_MAX)
    intended_use = models.TextField(_("what we want to do with it"), max_length=NOTE_MAX)
    timeline_budget = models.TextField(_("timeline and budget"), max_length=NOTE_MAX)

    forwarded_at = models.DateTimeField(_("forwarded to the owner at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), max_length=NOTE_MAX, blank=True)

    # Set once, when the deal first reaches the stage: the funnel counts a deal in every stage it reached.
    reached_accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reached_negotiating_at = models.DateTimeField(null=True, blank=True, editable=False)
    reached_agreed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reached_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reached_completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    value_vnd = models.PositiveBigIntegerField(
        _("value (VND)"), null=True, blank=True, help_text=_("The agreed price, then the contract's value.")
    )

    objects = DealQuerySet.as_manager()

    # Routed like its listing: the department that moderated the listing follows its deals.
    routing_province_fields = ("listing__province", "listing__organization__province")

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["stage", "-created_at"], name="deal_stage_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "inquirer_organization"],
                condition=models.Q(stage__in=sorted(OPEN_STAGES)),
                name="deal_one_open_per_inquirer",
            ),
            models.CheckConstraint(
                condition=~models.Q(owner_organization=models.F("inquirer_organization")),
                name="deal_parties_differ",
            ),
        ]

    def __str__(self) -> str:
        return self.reference_code

    def get_absolute_url(self) -> str:
        return reverse("deals:detail", kwargs={"reference_code": self.reference_code})

    def route_to_department(self) -> Department | None:
        """The listing's department (it may have been reassigned), else the listing's routing."""
        if self.listing.department_id is not None:
            return self.listing.department
        return super().route_to_department()

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_offer(self) -> bool:
        return self.listing.kind == ListingKind.OFFER

    @property
    def transferor_organization(self):
        """The side that hands the technology over (bên giao, Law 07/2017 Art. 2): the owner of an offer."""
        return self.owner_organization if self.is_offer else self.inquirer_organization

    @property
    def transferee_organization(self):
        """The side that receives the technology (bên nhận): the inquirer of an offer, the owner of a need."""
        return self.inquirer_organization if self.is_offer else self.owner_organization


class DealMessage(models.Model):
    """A message in a deal's private thread; never edited once posted."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    body = models.TextField(_("message"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("deal message")
        verbose_name_plural = _("deal messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Deal messages cannot be changed.")
        super().save(*args, **kwargs)


def deal_file_path(instance: "DealAttachment | NDA", filename: str) -> str:
    # The stored name never comes from the user: a random token and the extension of the checked content.
    token = instance.token if isinstance(instance, DealAttachment) else instance.signed_file_token
    extension = instance.extension if isinstance(instance, DealAttachment) else instance.signed_file_extension
    return f"deals/{instance.deal_id}/{token}.{extension}"


class DealAttachment(StoredFile):
    """A file sent with a deal message; served only to those who may read the deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(DealMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=deal_file_path, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal file")
        verbose_name_plural = _("deal files")
        ordering = ["id"]


# A deal has at most one open proposal and one current NDA (a cancelled one is history): these conditions are the
# database constraints' and the querysets' below, which every reader and service uses.
OPEN_PROPOSAL = models.Q(status=ProposalStatus.OPEN)
CURRENT_NDA = ~models.Q(status=NDAStatus.CANCELLED)


class ProposalQuerySet(models.QuerySet):
    def open(self) -> "ProposalQuerySet":
        """The proposal awaiting an answer (at most one per deal)."""
        return self.filter(OPEN_PROPOSAL)


class NDAQuerySet(models.QuerySet):
    def current(self) -> "NDAQuerySet":
        """The NDA requested or in force (at most one per deal)."""
        return self.filter(CURRENT_NDA)


class TransferTerms(models.Model):
    """The terms of a transfer that a proposal offers and a contract records (Law 07/2017, Art. 4 and 5)."""

    contract_form = models.CharField(_("form of transfer"), max_length=24, choices=ContractForm.choices)
    transfer_objects = models.JSONField(_("objects of transfer"), default=list)
    licence = models.CharField(_("rights transferred"), max_length=24, choices=TransferForm.choices)
    royalty_percent = models.DecimalField(
        _("royalty (% of revenue)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    exclusive = models.BooleanField(_("exclusive"), default=False)
    territory = models.CharField(_("territory"), max_length=TERRITORY_MAX, blank=True)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1200)]
    )

    class Meta:
        abstract = True


class Proposal(TransferTerms):
    """Terms one side proposes; the other side accepts, rejects or counters them."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="proposals")
    side = models.CharField(_("proposed by"), max_length=8, choices=Side.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    counter_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="counters",
        verbose_name=_("counter to"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)

    price_vnd = models.PositiveBigIntegerField(_("price (VND)"), null=True, blank=True)
    technical_assistance = models.TextField(_("technical assistance"), max_length=NOTE_MAX, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)

    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    response_reason = models.TextField(_("reason"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deal"], condition=OPEN_PROPOSAL, name="proposal_one_open_per_deal"),
            models.CheckConstraint(
                condition=models.Q(price_vnd__isnull=False) | models.Q(royalty_percent__isnull=False),
                name="proposal_has_price_or_royalty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} #{self.pk} ({self.status})"


class NDATemplate(models.Model):
    """One version of the exchange's standard non-disclosure agreement; the newest is the one offered."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), max_length=50_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("standard NDA")
        verbose_name_plural = _("standard NDA versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"


class NDA(models.Model):
    """A non-disclosure agreement between the two parties of a deal; in force, it opens confidential documents."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="ndas")
    template = models.ForeignKey(
        NDATemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("text")
    )
    method = models.CharField(_("method"), max_length=12, choices=NDAMethod.choices)
    status = models.CharField(_("status"), max_length=10, choices=NDAStatus.choices, default=NDAStatus.REQUESTED)
    requested_side = models.CharField(_("requested by"), max_length=8, choices=Side.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    owner_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_accepted_at = models.DateTimeField(null=True, blank=True)
    inquirer_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inquirer_accepted_at = models.DateTimeField(null=True, blank=True)

    signed_file = models.FileField(_("signed document"), upload_to=deal_file_path, max_length=255, blank=True)
    signed_file_token = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    signed_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    signed_file_extension = models.CharField(max_length=8, blank=True, editable=False)
    signed_file_type = models.CharField(max_length=100, blank=True, editable=False)
    signed_file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_side = models.CharField(max_length=8, choices=Side.choices, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = NDAQuerySet.as_manager()

    class Meta:
        verbose_name = _("NDA")
        verbose_name_plural = _("NDAs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deal"], condition=CURRENT_NDA, name="nda_one_current_per_deal"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} NDA ({self.status})"

    @property
    def is_in_force(self) -> bool:
        return self.status == NDAStatus.IN_FORCE

    def accepted_by_side(self, side: str) -> bool:
        return bool(self.owner_accepted_at if side == Side.OWNER else self.inquirer_accepted_at)


def registration_compulsory(*, cross_border: str, state_budget: bool, st_task_registered: bool) -> bool:
    """Whether a transfer contract must be registered (Law 07/2017, Art. 31).

    Compulsory for a transfer from abroad into Vietnam or from Vietnam abroad, and for a domestic transfer that
    uses state capital or budget, unless the result of the S&T task has already been registered.
    """
    return cross_border != CrossBorder.DOMESTIC or (state_budget and not st_task_registered)


class Contract(TimeStampedModel, TransferTerms):
    """The technology-transfer contract a deal ends in, and its registration under Art. 31."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="contract")
    transferor_name = models.CharField(_("transferor"), max_length=255)
    transferee_name = models.CharField(_("transferee"), max_length=255)
    value_vnd = models.PositiveBigIntegerField(_("value (VND)"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"))
    cross_border = models.CharField(
        _("direction of transfer"), max_length=16, choices=CrossBorder.choices, default=CrossBorder.DOMESTIC
    )
    state_budget = models.BooleanField(_("uses state capital or budget"), default=False)
    st_task_registered = models.BooleanField(
        _("S&T task result already registered"),
        default=False,
        help_text=_("Art. 31: a transfer of a registered S&T task result need not be registered again."),
    )
    registration_status = models.CharField(
        _("registration"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.NOT_NEEDED
    )
    registration_number = models.CharField(_("registration certificate number"), max_length=64, blank=True)
    registration_submitted_on = models.DateField(_("registration submitted on"), null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_side = models.CharField(max_length=8, choices=Side.choices)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_vnd__isnull=False) | models.Q(royalty_percent__isnull=False),
                name="contract_has_value_or_royalty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.transferor_name} → {self.transferee_name}"

    @property
    def registration_compulsory(self) -> bool:
        return registration_compulsory(
            cross_border=self.cross_border, state_budget=self.state_budget, st_task_registered=self.st_task_registered
        )

    @property
    def in_force(self) -> bool:
        """Art. 31: a contract that must be registered takes effect when the registration certificate is issued."""
        return not self.registration_compulsory or self.registration_status == RegistrationStatus.CERTIFIED
