from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Reference-code segment of a service request: CT-DV-2026-00001 is the operator's first request (dịch vụ) of 2026.
REQUEST_CODE = "DV"


class ProviderStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    VERIFIED = "verified", pgettext_lazy("provider", "Verified")
    REFUSED = "refused", pgettext_lazy("provider", "Refused")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("service request", "Submitted")
    ASSIGNED = "assigned", _("Assigned to a provider")
    QUOTED = "quoted", _("Quoted")
    ACCEPTED = "accepted", pgettext_lazy("service request", "Quote accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", pgettext_lazy("service request", "Closed")
    DECLINED = "declined", pgettext_lazy("service request", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("service request", "Cancelled")


class RequestAction(models.TextChoices):
    """What can be done to a service request; each transition is one row of ``states.TRANSITIONS`` and one service."""

    ASSIGN = "assign", _("Assign a provider")
    QUOTE = "quote", _("Send a quote")
    ACCEPT = "accept", _("Accept the quote")
    REJECT_QUOTE = "reject_quote", _("Decline the quote")
    START = "start", _("Start the work")
    DELIVER = "deliver", _("Mark as delivered")
    CLOSE = "close", _("Close and rate")
    CANCEL = "cancel", _("Cancel the request")
    DECLINE = "decline", _("Decline the request")
    MESSAGE = "message", _("Send a message")
    # Taken by the exchange, never from the request page: staff assigned, replaced or removed a deal's or an
    # anonymous listing's broker (services/brokerage.py).
    BROKER_ASSIGN = "broker_assign", _("Assign the broker")
    BROKER_REMOVE = "broker_remove", _("Remove the broker")


class Party(models.TextChoices):
    """Who acts on a service request."""

    CLIENT = "client", _("Client")
    PROVIDER = "provider", _("Provider")
    STAFF = "staff", _("Exchange staff")


class ValuationMethod(models.TextChoices):
    """The three approaches of a technology valuation: comparable transactions, cost, or the income it brings."""

    MARKET = "market", _("Market method")
    COST = "cost", _("Cost method")
    INCOME = "income", _("Income method")
