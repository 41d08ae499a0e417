from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from techex.listings.templatetags.listing_tags import vnd

from ..types import SUPPRESSED

register = template.Library()


@register.filter
def stat_cell(value, kind: str) -> str:
    """A table cell as people read it: a count, đồng, a percentage, days; a dash for no figure."""
    if value is SUPPRESSED:
        return _("withheld")
    if value is None:
        return "—"
    if kind == "vnd":
        return vnd(value)
    if kind == "share":
        return f"{Decimal(value) * 100:.1f} %"
    if kind == "days":
        return f"{value}"
    if kind == "count":
        return intcomma(value)
    return str(value)


@register.filter
def cells(row, columns):
    """Pair a row's cells with their columns."""
    return zip(columns, row, strict=True)
