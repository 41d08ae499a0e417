"""Template helpers of the deal pages: the stage bar, badges, names as each reader may see them, amounts."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from techex.listings.choices import TransferForm
from techex.listings.templatetags.listing_tags import vnd
from techex.organizations.selectors import user_organization_ids

from .. import selectors
from ..choices import DealStage, Side, TransferObject
from ..states import FUNNEL, OPEN_STAGES, listing_accepts_inquiries

register = template.Library()

register.filter("vnd", vnd)
FUNNEL_STAGES = [stage for stage, _field in FUNNEL]


@register.simple_tag
def stage_badge(deal) -> SafeString:
    return format_html('<span class="badge stage-{}">{}</span>', deal.stage, deal.get_stage_display())


@register.inclusion_tag("deals/partials/stage_bar.html")
def stage_bar(deal) -> dict:
    """The funnel's stages, each done, current or to come; a closed deal shows where it stopped and why."""
    reached = {stage for stage, field in FUNNEL if getattr(deal, field, None)}
    steps = []
    for stage in FUNNEL_STAGES:
        if stage == deal.stage:
            state = "current"
        elif stage in reached:
            state = "done"
        else:
            state = "todo"
        steps.append({"label": DealStage(stage).label, "state": state})
    closed = deal.stage not in OPEN_STAGES and deal.stage != DealStage.COMPLETED
    return {"steps": steps, "deal": deal, "closed": closed}


@register.simple_tag
def owner_name(deal, user) -> str:
    """The listing owner's name, or a placeholder for the inquirer of an anonymous listing not accepted yet."""
    if selectors.owner_visible(user=user, deal=deal):
        return deal.owner_organization.name
    return _("Anonymous organisation (through the exchange)")


@register.simple_tag
def side_name(deal, side: str, user) -> str:
    """The organisation that spoke for a side, as the reader may see it."""
    if side == Side.OWNER:
        return owner_name(deal, user)
    if side == Side.INQUIRER:
        return deal.inquirer_organization.name
    if side == Side.BROKER:
        return deal.broker.name if deal.broker_id else str(Side.BROKER.label)
    return str(Side.STAFF.label)


@register.filter
def side_label(side: str) -> str:
    return str(Side(side).label) if side in Side.values else side


@register.filter
def percent(value) -> str:
    return "" if value is None else f"{value:.0f} %"


@register.filter
def object_labels(values) -> str:
    """The labels of the objects of transfer (Art. 4) a proposal or contract names."""
    labels = dict(TransferObject.choices)
    return "; ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def licence_label(value: str) -> str:
    return str(TransferForm(value).label) if value in TransferForm.values else value


@register.inclusion_tag("deals/partials/listing_panel.html", takes_context=True)
def listing_deal_panel(context, listing) -> dict:
    """On a listing's page: the user's open deal on it, or the way to express interest while it is open."""
    request = context["request"]
    user = request.user
    accepting = listing_accepts_inquiries(listing)
    data = {"listing": listing, "user": user, "open_deal": None, "can_inquire": False, "accepting": accepting}
    if not user.is_authenticated:
        data["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
        return data
    data["open_deal"] = selectors.deal_open_for_listing(user=user, listing=listing)
    other_orgs = user_organization_ids(user=user) - {listing.organization_id}
    data["can_inquire"] = accepting and data["open_deal"] is None and bool(other_orgs)
    data["needs_organization"] = accepting and not user.is_staff and not user_organization_ids(user=user)
    return data
