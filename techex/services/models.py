"""Services of the technology market: the catalogue, the providers staff verify, and the requests clients send."""

import functools
import operator
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from techex.core.models import REFERENCE_CODE_MAX_LENGTH, StoredFile, TimeStampedModel
from techex.core.permissions import is_staff
from techex.departments.models import Routed
from techex.departments.scope import ScopedQuerySet
from techex.organizations.selectors import member_organization_ids

from .choices import Party, ProviderStatus, RequestState, ValuationMethod
from .samples import SAMPLES

TEXT_MAX = 4000
NOTE_MAX = 2000
REASON_MAX = 1000
RATING_MIN, RATING_MAX = 1, 5
CURRENCY_VND = "VND"


class _InLanguage:
    """``obj.tr.name`` in a template: the text of the page's language (see ``Bilingual``)."""

    def __init__(self, obj: "Bilingual") -> None:
        self._obj = obj

    def __getattr__(self, field: str) -> str:
        return self._obj.text(field)


class Bilingual:
    """Models whose texts have a Vietnamese field and an ``_en`` twin: ``obj.text("name")`` (``obj.tr.name`` in a
    template) reads the one of the page's language, falling back to Vietnamese when the English text is missing."""

    def text(self, field: str) -> str:
        if (get_language() or "vi").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    @property
    def tr(self) -> _InLanguage:
        return _InLanguage(self)


def validate_sample_keys(value: Any) -> None:
    if not isinstance(value, list) or any(key not in SAMPLES for key in value):
        raise ValidationError(
            _("Choose sample documents among: %(keys)s.") % {"keys": ", ".join(SAMPLES)}, code="bad_sample"
        )


class ServiceCategoryQuerySet(models.QuerySet):
    def active(self) -> "ServiceCategoryQuerySet":
        return self.filter(is_active=True)


class ServiceCategory(Bilingual, models.Model):
    """A service of the technology market (Law 07/2017/QH14, Art. 47) with the texts of its landing page."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    summary = models.TextField(_("what the service is"))
    summary_en = models.TextField(_("what the service is (English)"), blank=True)
    audience = models.TextField(_("who it is for"))
    audience_en = models.TextField(_("who it is for (English)"), blank=True)
    steps = models.TextField(_("steps of the process (one a line)"))
    steps_en = models.TextField(_("steps of the process (one a line) (English)"), blank=True)
    typical_duration = models.CharField(_("typical duration"), max_length=255)
    typical_duration_en = models.CharField(_("typical duration (English)"), max_length=255, blank=True)
    fees = models.TextField(_("fees (empty: on quotation)"), blank=True)
    fees_en = models.TextField(_("fees (empty: on quotation) (English)"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    sample_documents = models.JSONField(
        _("sample documents"), default=list, blank=True, validators=[validate_sample_keys]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    objects = ServiceCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:category", kwargs={"code": self.code})

    @property
    def on_quotation(self) -> bool:
        return not self.text("fees").strip()

    def step_list(self) -> list[str]:
        return [line.strip() for line in self.text("steps").splitlines() if line.strip()]

    def samples(self) -> list[tuple[str, Any]]:
        return [(key, SAMPLES[key]) for key in self.sample_documents if key in SAMPLES]


class ServiceFAQ(Bilingual, models.Model):
    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=255)
    question_en = models.CharField(_("question (English)"), max_length=255, blank=True)
    answer = models.TextField(_("answer"))
    answer_en = models.TextField(_("answer (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.question


class ServiceProviderQuerySet(ScopedQuerySet):
    def verified(self) -> "ServiceProviderQuerySet":
        return self.filter(status=ProviderStatus.VERIFIED)


class ServiceProvider(TimeStampedModel, Routed):
    """An organisation offering services of one or more categories, once staff verified its credentials."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="service_provider",
        verbose_name=_("organisation"),
    )
    categories = models.ManyToManyField(ServiceCategory, related_name="providers", verbose_name=_("services"))
    description = models.TextField(_("what we offer"), max_length=TEXT_MAX)
    status = models.CharField(
        _("status"), max_length=10, choices=ProviderStatus.choices, default=ProviderStatus.APPLIED, db_index=True
    )
    decision_note = models.CharField(_("staff note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ServiceProviderQuerySet.as_manager()

    # Routed: a provider goes to the department of its organisation's province (docs/departments.md).
    routing_province_fields = ("organization__province",)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        return reverse("services:provider", kwargs={"slug": self.organization.slug})

    @property
    def is_verified(self) -> bool:
        return self.status == ProviderStatus.VERIFIED


def upload_path(instance: "ProviderCredential | RequestMessage | ValuationReport", filename: str) -> str:
    # The stored name never comes from the user: a random token and the extension of the checked content.
    if isinstance(instance, ProviderCredential):
        return f"services/providers/{instance.provider_id}/{instance.token}.{instance.extension}"
    if isinstance(instance, ValuationReport):
        return f"services/valuations/{instance.record_id}/{instance.token}.{instance.extension}"
    return f"services/requests/{instance.request_id}/{instance.file_token}.{instance.file_extension}"


class ProviderCredential(StoredFile):
    """A licence or certificate a provider sent with its application; seen by its members and staff only."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="credentials")
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["id"]


def client_rule(orgs: Any, user: Any) -> models.Q:
    return models.Q(client_organization_id__in=orgs) | models.Q(client_user_id=user.pk)


def provider_rule(orgs: Any) -> models.Q:
    return models.Q(provider__organization_id__in=orgs)


class ServiceRequestQuerySet(ScopedQuerySet):
    def taking_part(self, user: Any) -> "ServiceRequestQuerySet":
        """The requests the user sent (or their organisations did) and those assigned to their organisations."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        orgs = member_organization_ids(user=user)
        return self.filter(functools.reduce(operator.or_, (client_rule(orgs, user), provider_rule(orgs))))

    def as_client(self, user: Any) -> "ServiceRequestQuerySet":
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        return self.filter(client_rule(member_organization_ids(user=user), user))

    def as_provider(self, user: Any) -> "ServiceRequestQuerySet":
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        return self.filter(provider_rule(member_organization_ids(user=user)))

    def visible_to(self, user: Any) -> "ServiceRequestQuerySet":
        """Those taking part, and for staff the requests of their department's scope (docs/departments.md)."""
        if is_staff(user):
            return cast("ServiceRequestQuerySet", self.in_scope(user) | self.taking_part(user))
        return self.taking_part(user)


class ServiceRequest(TimeStampedModel, Routed):
    """A client's need for a service, carried from submission to a rated delivery (``states.TRANSITIONS``)."""

    reference_code = models.CharField(
        _("reference code"), max_length=REFERENCE_CODE_MAX_LENGTH, unique=True, editable=False
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    client_organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("client organisation"),
    )
    client_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("sent by"),
    )
    # A guest (no account) gives a name, an e-mail address that is verified before the request goes anywhere, and
    # the province it is in, which routes the request.
    guest_name = models.CharField(_("name"), max_length=120, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    guest_email_verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    guest_province = models.ForeignKey(
        "reference.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    listing = models.ForeignKey(
        "listings.Listing",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("listing"),
    )
    deal = models.ForeignKey(
        "deals.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        verbose_name=_("deal"),
    )
    provider = models.ForeignKey(
        ServiceProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("provider"),
    )
    chosen_by_client = models.BooleanField(_("provider chosen by the client"), default=False)
    # "Contact this expert": the request is addressed to an expert of the directory (routed like any other).
    expert = models.ForeignKey(
        "services.Expert",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("expert"),
    )
    description = models.TextField(_("what you need"), max_length=TEXT_MAX)
    state = models.CharField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.SUBMITTED, db_index=True
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    quoted_at = models.DateTimeField(_("quoted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    rating_comment = models.TextField(_("comment"), max_length=NOTE_MAX, blank=True)
    testimonial_consent = models.BooleanField(_("may be shown as a testimonial"), default=False)

    objects = ServiceRequestQuerySet.as_manager()

    # Routed: the client organisation's province, else the province a guest stated (docs/departments.md).
    routing_province_fields = ("client_organization__province", "guest_province")

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="service_request_rating_range",
            ),
            models.CheckConstraint(
                condition=models.Q(client_organization__isnull=False) | ~models.Q(guest_email=""),
                name="service_request_has_client",
            ),
        ]

    def __str__(self) -> str:
        return self.reference_code

    def get_absolute_url(self) -> str:
        return reverse("services:request", kwargs={"reference_code": self.reference_code})

    @property
    def client_label(self) -> str:
        return str(self.client_organization) if self.client_organization_id else self.guest_name

    @property
    def current_quote(self) -> "Quote | None":
        quotes = list(self.quotes.all())
        return quotes[-1] if quotes else None


class Quote(models.Model):
    """A provider's price and time for a request; the latest one is the one the client answers."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="quotes")
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY_VND, editable=False)
    duration_days = models.PositiveIntegerField(_("duration (days)"), validators=[MinValueValidator(1)])
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(currency=CURRENCY_VND), name="service_quote_vnd"),
            models.CheckConstraint(condition=models.Q(duration_days__gte=1), name="service_quote_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.amount_vnd} {self.currency}"


class RequestMessage(models.Model):
    """A message between client, provider and staff, with an optional file; never edited once posted."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    party = models.CharField(_("party"), max_length=8, choices=Party.choices)
    body = models.TextField(_("message"), max_length=TEXT_MAX)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255, blank=True)
    file_token = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_extension = models.CharField(max_length=8, blank=True, editable=False)
    file_type = models.CharField(max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Request messages cannot be changed.")
        super().save(*args, **kwargs)


# --- valuation records (issue 13): what a delivered valuation request leaves on its listing ------------------------


# A value above this is surely a typing slip (a thousand trillion đồng).
VALUATION_MAX_VND = 10**15
_VALUE_BOUNDS = [MinValueValidator(1), MaxValueValidator(VALUATION_MAX_VND)]


class ValuationRecord(models.Model):
    """The value range a provider found for a listing's technology, recorded when delivering a valuation request.

    Shown on the listing only to those who may see its confidential part (``listings.selectors
    .confidential_visible_to``), and on the request to its parties.
    """

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="valuation", verbose_name=_("service request")
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.CASCADE, related_name="valuations", verbose_name=_("listing")
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="valuations", verbose_name=_("provider")
    )
    method = models.CharField(_("method"), max_length=8, choices=ValuationMethod.choices)
    value_low_vnd = models.PositiveBigIntegerField(_("lowest value (VND)"), validators=_VALUE_BOUNDS)
    value_high_vnd = models.PositiveBigIntegerField(_("highest value (VND)"), validators=_VALUE_BOUNDS)
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY_VND, editable=False)
    valued_on = models.DateField(_("valuation date"))
    note = models.TextField(_("assumptions and remarks"), max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("valuation record")
        verbose_name_plural = _("valuation records")
        ordering = ["-valued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value_low_vnd__gte=1), name="service_valuation_positive"),
            models.CheckConstraint(
                condition=models.Q(value_low_vnd__lte=models.F("value_high_vnd")), name="service_valuation_range"
            ),
            models.CheckConstraint(condition=models.Q(currency=CURRENCY_VND), name="service_valuation_vnd"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.value_low_vnd}–{self.value_high_vnd} {self.currency}"


class ValuationReport(StoredFile):
    """The report file of a valuation record (optional), checked by its content; opened by those who see the record."""

    record = models.OneToOneField(ValuationRecord, on_delete=models.CASCADE, related_name="report")
    file = models.FileField(_("file"), upload_to=upload_path, max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("valuation report")
        verbose_name_plural = _("valuation reports")


# The expert directory (its own module; imported here so Django registers the model in this app).
from .expert_models import Expert  # noqa: E402, F401
