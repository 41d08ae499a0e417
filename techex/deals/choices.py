from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Reference-code segment of a deal: CT-GD-2026-00001 is the operator's first deal (giao dịch) of 2026.
DEAL_CODE = "GD"


class DealStage(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    ACCEPTED = "accepted", _("Accepted")
    NEGOTIATING = "negotiating", _("Negotiating")
    AGREED = "agreed", _("Agreed")
    SIGNED = "signed", _("Contract signed")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DROPPED = "dropped", _("Dropped")


class Side(models.TextChoices):
    """Who speaks in a deal: one of the two parties, the broker or the exchange's staff."""

    OWNER = "owner", _("Listing owner")
    INQUIRER = "inquirer", _("Inquirer")
    BROKER = "broker", _("Broker")
    STAFF = "staff", _("Exchange staff")


PARTY_SIDES = (Side.OWNER, Side.INQUIRER)


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    COUNTERED = "countered", _("Countered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ContractForm(models.TextChoices):
    """Forms of technology transfer (Law 07/2017/QH14, Art. 5)."""

    STANDALONE = "standalone", _("Stand-alone technology-transfer contract")
    INVESTMENT_PROJECT = "investment_project", _("Part of an investment project")
    CAPITAL_CONTRIBUTION = "capital_contribution", _("Capital contribution in technology")
    FRANCHISE = "franchise", _("Franchise")
    IP_TRANSFER = "ip_transfer", _("Transfer of intellectual property rights")
    MACHINERY = "machinery", _("Machinery sold with know-how")


class TransferObject(models.TextChoices):
    """Objects of technology transfer (Law 07/2017/QH14, Art. 4)."""

    KNOW_HOW = "know_how", _("Know-how")
    TECHNICAL_DOCUMENTS = (
        "technical_documents",
        _("Technological plans, processes, solutions, parameters, drawings, formulas, software or data"),
    )
    RATIONALISATION = "rationalisation", _("Production-rationalisation and innovation solutions")
    MACHINERY = "machinery", _("Machinery and equipment with the technology")


class NDAMethod(models.TextChoices):
    IN_APP = "in_app", _("The exchange's standard text, accepted in the app")
    SIGNED_FILE = "signed_file", _("A signed document, uploaded and confirmed")


class NDAStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("NDA status", "Requested")
    IN_FORCE = "in_force", _("In force")
    CANCELLED = "cancelled", _("Cancelled")


class CrossBorder(models.TextChoices):
    DOMESTIC = "domestic", _("Within Vietnam")
    INTO_VIETNAM = "into_vietnam", _("From abroad into Vietnam")
    OUT_OF_VIETNAM = "out_of_vietnam", _("From Vietnam abroad")


class RegistrationStatus(models.TextChoices):
    """Registration of a transfer contract with the science and technology authority (Art. 31)."""

    NOT_NEEDED = "not_needed", _("Not needed")
    NEEDED = "needed", _("Needed")
    SUBMITTED = "submitted", _("Submitted")
    CERTIFIED = "certified", _("Certified")


class DealAction(StrEnum):
    """What can be done to a deal: the keys of the role rules, the state rules and the transitions.

    A member compares and hashes as its string, so stored and routed names stay plain text; a misspelt member is
    an AttributeError at import and a type error, not a KeyError in front of a user.
    """

    FORWARD = "forward"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    DROP = "drop"
    START_NEGOTIATION = "start_negotiation"
    MESSAGE = "message"
    PROPOSE = "propose"
    PROPOSAL_ACCEPT = "proposal_accept"
    PROPOSAL_REJECT = "proposal_reject"
    PROPOSAL_COUNTER = "proposal_counter"
    PROPOSAL_WITHDRAW = "proposal_withdraw"
    NDA_REQUEST = "nda_request"
    NDA_ACCEPT = "nda_accept"
    NDA_UPLOAD = "nda_upload"
    NDA_CONFIRM = "nda_confirm"
    NDA_CANCEL = "nda_cancel"
    CONTRACT_RECORD = "contract_record"
    REGISTRATION_UPDATE = "registration_update"
    COMPLETE = "complete"
    ASSIGN_BROKER = "assign_broker"
    # Transitions taken by another action (accepting a proposal agrees the terms, recording the contract signs it).
    AGREE = "agree"
    SIGN = "sign"


class DealAuditAction(StrEnum):
    """The audit trail's names for a deal's steps, as stored in ``AuditEntry.action`` (never change a value)."""

    INQUIRE = "deal.inquire"
    FORWARD = "deal.forward"
    ACCEPT = "deal.accept"
    DECLINE = "deal.decline"
    WITHDRAW = "deal.withdraw"
    DROP = "deal.drop"
    START_NEGOTIATION = "deal.start_negotiation"
    AGREE = "deal.agree"
    SIGN = "deal.sign"
    COMPLETE = "deal.complete"
    ASSIGN_BROKER = "deal.assign_broker"
    MESSAGE = "deal.message"
    PROPOSAL = "deal.proposal"
    PROPOSAL_ACCEPT = "deal.proposal.accept"
    PROPOSAL_REJECT = "deal.proposal.reject"
    PROPOSAL_COUNTER = "deal.proposal.counter"
    PROPOSAL_WITHDRAW = "deal.proposal.withdraw"
    NDA_REQUEST = "deal.nda.request"
    NDA_ACCEPT = "deal.nda.accept"
    NDA_UPLOAD = "deal.nda.upload"
    NDA_CONFIRM = "deal.nda.confirm"
    NDA_IN_FORCE = "deal.nda.in_force"
    NDA_CANCEL = "deal.nda.cancel"
    CONTRACT_RECORD = "deal.contract.record"
    CONTRACT_REGISTRATION = "deal.contract.registration"
    NDA_TEMPLATE = "deal.nda_template"
