"""Sharing listings between exchanges: the ordered feed of public changes another exchange harvests, the API keys
partner systems use, and the sources this exchange harvests from with the foreign listings they brought.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techex.core.models import TimeStampedModel

from .choices import ApiScope, DeliveryStatus, WebhookEvent


class ChangeSequence(models.Model):
    """One row: the last sequence number given to a change. Taking the next one locks the row until the change
    commits, so changes commit in the order of their numbers and a harvester reading past one never skips another."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("change sequence")
        verbose_name_plural = _("change sequence")

    def __str__(self) -> str:
        return str(self.value)


class ListingChange(models.Model):
    """The latest change of what the public sees of a listing: one row per listing that was ever public, its number
    raised at each change. A harvester after number N gets every listing whose public view changed since."""

    reference_code = models.CharField(_("reference code"), max_length=32, unique=True)
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("listing")
    )
    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("listing change")
        verbose_name_plural = _("listing changes")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq} {self.reference_code}"


class ApiKey(models.Model):
    """A key staff issue to a partner system: what it may do (scopes), how fast (a rate), until revoked.

    Only a hash of the secret is kept; the key is shown once, when issued. ``prefix`` names it in lists and logs.
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("Who uses it, e.g. the partner exchange's name."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, help_text=_("read, harvest"))
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    use_count = models.PositiveBigIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_per_minute__gte=1), name="exchange_api_key_rate_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: ApiScope | str) -> bool:
        return self.is_active and scope in self.scopes


class HarvestSource(TimeStampedModel):
    """Another exchange whose listings this one takes in as foreign listings (read-only, with a link back)."""

    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(
        _("address"), help_text=_("The other exchange's address, e.g. https://sangiaodich.example.vn")
    )
    api_key = models.CharField(
        _("API key"), max_length=200, help_text=_("The key the other exchange issued to this one.")
    )
    kinds = models.JSONField(_("kinds"), default=list, help_text=_("offer, need (empty: both)"))
    is_active = models.BooleanField(_("active"), default=True)
    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="harvest_source",
        verbose_name=_("organisation shown as owner"),
    )
    cursor = models.CharField(_("cursor"), max_length=64, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_error = models.TextField(_("last problem"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("configured by")
    )

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForeignListing(models.Model):
    """A listing harvested from another exchange: its global identifier there and its page there."""

    listing = models.OneToOneField(
        "listings.Listing", on_delete=models.CASCADE, related_name="foreign_origin", verbose_name=_("listing")
    )
    source = models.ForeignKey(
        HarvestSource, on_delete=models.CASCADE, related_name="listings", verbose_name=_("source")
    )
    global_id = models.CharField(_("global identifier"), max_length=64, unique=True)
    origin_url = models.URLField(_("page at the source"), max_length=500)
    harvested_at = models.DateTimeField(_("harvested at"), auto_now=True)

    class Meta:
        verbose_name = _("foreign listing")
        verbose_name_plural = _("foreign listings")

    def __str__(self) -> str:
        return self.global_id


class WebhookEndpoint(models.Model):
    """A partner's address told of changes as they happen, signed per the Standard Webhooks convention."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(max_length=64, editable=False)  # whsec_… : the partner needs it to check signatures
    events = models.JSONField(_("events"), default=list)
    is_staff_system = models.BooleanField(
        _("staff system"), default=False, help_text=_("A department's own system: it may receive deal events.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One message to one endpoint, and how its delivery went (the endpoint's delivery log)."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(_("message id"), max_length=40, unique=True)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last problem"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
