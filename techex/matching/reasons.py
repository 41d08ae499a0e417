"""The reasons of a match, in the reader's language.

A match stores its reasons as codes with params and the points each brought (``scoring``), never as text: they are
rendered here when shown, so a Vietnamese reader and an English one each read them in their language. Params hold
only codes, numbers and words of the listings' public text (shared terms), never anything confidential.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from techex.listings.choices import TransferForm
from techex.reference.models import Province, STField

from .glossary import glossary

MESSAGES = {
    "terms": _("Shared terms: %(terms)s"),
    "glossary": _("Same topics: %(concepts)s"),
    "field": _("Same S&T field: %(field)s"),
    "sector": _("Same S&T sector: %(field)s"),
    "trl_ok": _("TRL %(trl)s meets the required %(min_trl)s"),
    "trl_below": _("TRL %(trl)s is below the required %(min_trl)s"),
    "trl_unstated": _("The offer does not state its TRL (required: %(min_trl)s)"),
    "same_province": _("Same province: %(province)s"),
    "province_sought": _("In a province the need's owner seeks partners in: %(province)s"),
    "mekong": _("Both in the Mekong Delta"),
    "transfer_forms": _("Transfer forms in common: %(forms)s"),
    "price_within": _("Price from %(price)s VND, within the budget of %(budget)s VND"),
    "price_above": _("Price from %(price)s VND, above the budget of %(budget)s VND"),
    "fresh": _("Both published or renewed recently"),
}
OTHER = _("Other reason")


@dataclass(frozen=True)
class RenderedReason:
    """A reason as shown: its code, its text in the active language, and the points it brought (negative for a
    penalty)."""

    code: str
    text: str
    points: int


@dataclass
class ReasonLabels:
    """The names of the provinces and S&T fields the reasons of some matches mention."""

    provinces: dict[str, Province] = field(default_factory=dict)
    fields: dict[str, STField] = field(default_factory=dict)


def reason_labels(reason_lists: Iterable[list[dict]]) -> ReasonLabels:
    """Read the provinces and fields named by these reasons (at most two queries, none when none is named)."""
    provinces, fields = set(), set()
    for reasons in reason_lists:
        for reason in reasons or []:
            params = reason.get("params") or {}
            if "province" in params:
                provinces.add(str(params["province"]))
            if "field" in params:
                fields.add(str(params["field"]))
    return ReasonLabels(
        provinces=Province.objects.in_bulk(sorted(provinces)) if provinces else {},
        fields=STField.objects.in_bulk(sorted(fields)) if fields else {},
    )


def _concepts(params: dict, language: str) -> str:
    other = "vi" if language == "en" else "en"
    labels = []
    for key in params.get("concepts") or []:
        concept = glossary().concepts.get(key)
        if concept is None:
            labels.append(str(key))
        elif params.get("bilingual"):
            labels.append(f"{concept.label(language)} ({concept.label(other)})")
        else:
            labels.append(concept.label(language))
    return ", ".join(labels)


def _forms(codes: list[str] | None) -> str:
    labels = {value: label for value, label in TransferForm.choices}
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def _values(code: str, params: dict, labels: ReasonLabels, language: str) -> dict:
    values = dict(params)
    if code == "terms":
        values["terms"] = ", ".join(str(t) for t in params.get("terms") or [])
    elif code == "glossary":
        values["concepts"] = _concepts(params, language)
    elif code in ("field", "sector"):
        row = labels.fields.get(str(params.get("field")))
        values["field"] = f"{row.code} {row.label}" if row else params.get("field", "")
    elif code in ("same_province", "province_sought"):
        province = labels.provinces.get(str(params.get("province")))
        values["province"] = province.label if province else params.get("province", "")
    elif code == "transfer_forms":
        values["forms"] = _forms(params.get("forms"))
    elif code in ("price_within", "price_above"):
        values["price"] = number_format(params.get("price", 0), force_grouping=True)
        values["budget"] = number_format(params.get("budget", 0), force_grouping=True)
    return values


def render_reasons(reasons: list[dict], labels: ReasonLabels | None = None) -> list[RenderedReason]:
    """The reasons of one match as text in the active language, in their stored order."""
    labels = labels or ReasonLabels()
    language = "en" if (get_language() or "vi").startswith("en") else "vi"
    rendered = []
    for reason in reasons or []:
        code = str(reason.get("code", ""))
        message = MESSAGES.get(code)
        points = int(reason.get("points") or 0)
        if message is None:
            rendered.append(RenderedReason(code, str(OTHER), points))
            continue
        try:
            text = str(message) % _values(code, reason.get("params") or {}, labels, language)
        except (KeyError, TypeError, ValueError):
            text = str(OTHER)
        rendered.append(RenderedReason(code, text, points))
    return rendered
