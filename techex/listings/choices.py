from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Technology offer")
    NEED = "need", _("Technology need")


# Reference-code segment per kind: CT-TO-2026-00042 is the operator's 42nd offer of 2026.
KIND_CODES: dict[str, str] = {ListingKind.OFFER: "TO", ListingKind.NEED: "TN"}


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


class Language(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("Under development")
    LAB_TESTED = "lab_tested", _("Lab tested")
    DEMONSTRATED = "demonstrated", _("Demonstrated")
    MARKET = "market", _("On the market")


class IPType(models.TextChoices):
    """IP objects after the IP Law, Art. 3, plus none."""

    NONE = "none", _("No IP protection")
    PATENT = "patent", _("Patent")
    UTILITY_SOLUTION = "utility_solution", _("Utility solution")
    INDUSTRIAL_DESIGN = "industrial_design", _("Industrial design")
    LAYOUT_DESIGN = "layout_design", _("Semiconductor layout design")
    TRADE_SECRET = "trade_secret", _("Trade secret / know-how")
    TRADEMARK = "trademark", _("Trademark")
    COPYRIGHT = "copyright", _("Copyright (software, works)")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
    PLANT_VARIETY = "plant_variety", _("Plant variety")


class IPStatus(models.TextChoices):
    NONE = "none", _("Not applied")
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")


class TransferForm(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment (outright sale)")
    EXCLUSIVE_LICENCE = "exclusive_licence", _("Exclusive licence")
    NON_EXCLUSIVE_LICENCE = "non_exclusive_licence", _("Non-exclusive licence")
    TECHNICAL_SERVICE = "technical_service", _("Technical service")
    JOINT_VENTURE = "joint_venture", _("Joint venture / capital contribution")
    RD_COOPERATION = "rd_cooperation", _("R&D cooperation")
    FRANCHISE = "franchise", _("Franchise")


class PriceType(models.TextChoices):
    NEGOTIABLE = "negotiable", _("Negotiable")
    FIXED = "fixed", _("Fixed price")
    RANGE = "range", _("Price range")
    VALUATION = "valuation", _("By valuation")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    VALIDATING = "validating", _("Checking rows")
    SAVING = "saving", _("Saving listings")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Nothing imported")
