"""Template helpers of the listing pages: prices in đồng, labels of stored codes, who sees what, revision diffs."""

import difflib
import re
from datetime import date

from django import template
from django.db import models
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from techex.organizations.choices import OrganizationType
from techex.reference.models import STField, VSICCode

from .. import selectors
from ..choices import IPStatus, IPType, Language, PriceType, Stage, TransferForm
from ..form_fields import group_thousands
from ..models import PROSE_FIELDS
from ..states import EDITABLE_STATES, allowed_actions

register = template.Library()

CHOICES = {
    "language": Language,
    "stage": Stage,
    "ip_type": IPType,
    "ip_status": IPStatus,
    "price_type": PriceType,
    "transfer_forms": TransferForm,
    "partner_types": OrganizationType,
}

# The lifecycle actions an owner starts from the pages, in the order their buttons appear.
OWNER_ACTIONS = {
    "submit": (_l("Submit for review"), "primary"),
    "renew": (_l("Renew"), "secondary"),
    "reopen": (_l("Reopen as a draft"), "secondary"),
    "withdraw": (pgettext_lazy("listing action", "Withdraw"), "secondary"),
    "archive": (pgettext_lazy("listing action", "Archive"), "secondary"),
}


@register.filter
def vnd(value) -> str:
    """Format an amount in đồng with the active language's thousands separator: 1.500.000 ₫ or 1,500,000 ₫."""
    if value in (None, ""):
        return ""
    return f"{group_thousands(int(value))} ₫"


@register.filter
def price_text(listing) -> str:
    """Say what a listing asks or offers to pay, in words and đồng."""
    low, high = listing.price_min, listing.price_max
    if listing.price_type == PriceType.FIXED and low is not None:
        return vnd(low)
    if listing.price_type == PriceType.RANGE and low is not None and high is not None:
        return _("%(low)s to %(high)s") % {"low": vnd(low), "high": vnd(high)}
    if listing.price_type == PriceType.RANGE and low is not None:
        return _("from %(low)s") % {"low": vnd(low)}
    return str(PriceType(listing.price_type).label) if listing.price_type in PriceType.values else ""


@register.filter
def identity_visible(listing, user) -> bool:
    return selectors.user_sees_identity(user=user, listing=listing)


@register.filter
def choice_labels(values, name: str) -> str:
    """Join the labels of a list of stored codes (transfer forms, partner types)."""
    choices = CHOICES[name]
    return ", ".join(str(choices(v).label) if v in choices.values else str(v) for v in values or [])


@register.filter
def ref_label(obj) -> str:
    """The label of a reference row in the active language (VSIC codes have no ``label`` of their own)."""
    if obj is None:
        return ""
    if hasattr(obj, "label"):
        return obj.label
    english = (get_language() or "vi").startswith("en")
    name_en = getattr(obj, "name_en", "")
    return name_en if english and name_en else getattr(obj, "name", str(obj))


def display_value(name: str, value) -> str:
    """A stored value of a listing field as a reader sees it (used to compare a revision with the approved text)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in CHOICES:
        choices = CHOICES[name]
        if isinstance(value, list):
            return choice_labels(value, name)
        return str(choices(value).label) if value in choices.values else str(value)
    if name in {"price_min", "price_max"}:
        return vnd(value)
    if isinstance(value, list):
        return ", ".join(_item_label(item) for item in value)
    if isinstance(value, models.Model):
        return _item_label(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _item_label(item) -> str:
    if isinstance(item, models.Model):
        label = ref_label(item)
        return f"{item.code} {label}" if isinstance(item, STField | VSICCode) else label
    return str(item)


@register.simple_tag
def field_value(name: str, value) -> str:
    return display_value(name, value)


@register.simple_tag
def text_diff(old, new) -> SafeString:
    """Mark words removed (<del>) and added (<ins>) between two texts; everything is escaped."""
    # Each word keeps the space after it, so a run of changed words stays one deletion and one insertion.
    before = re.findall(r"\s*\S+\s*", old or "")
    after = re.findall(r"\s*\S+\s*", new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op in {"delete", "replace"}:
            parts.append(("del", "".join(before[i1:i2])))
        if op in {"insert", "replace"}:
            parts.append(("ins", "".join(after[j1:j2])))
        if op == "equal":
            parts.append(("span", "".join(before[i1:i2])))
    return format_html_join("", "<{0}>{1}</{0}>", parts)


@register.inclusion_tag("listings/partials/action_buttons.html", takes_context=True)
def owner_action_buttons(context, listing, next_url: str = ""):
    """The lifecycle buttons an owner may press for a listing in its present state."""
    possible = set(allowed_actions(listing.status))
    actions = [(action, label, css) for action, (label, css) in OWNER_ACTIONS.items() if action in possible]
    return {
        "listing": listing,
        "actions": actions,
        "next_url": next_url or context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


# Fields whose revision is shown as a word diff rather than as two values side by side.
LONG_TEXT_FIELDS = frozenset(PROSE_FIELDS)


@register.filter
def is_long_text(name: str) -> bool:
    return name in LONG_TEXT_FIELDS


@register.filter
def unapproved(attachments: dict) -> list:
    """The files of a page's attachments that staff have not approved yet."""
    return [file for group in attachments.values() for file in group if not file.is_approved]


@register.filter
def editable(listing) -> bool:
    return listing.status in EDITABLE_STATES


@register.filter
def allows(listing, action: str) -> bool:
    """Whether the listing's state allows the lifecycle action (who may take it is the service's question)."""
    return action in allowed_actions(listing.status)


@register.simple_tag
def status_badge(listing) -> SafeString:
    return format_html('<span class="badge status-{}">{}</span>', listing.status, listing.get_status_display())


@register.simple_tag
def kind_badge(listing) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', listing.kind, listing.get_kind_display())
