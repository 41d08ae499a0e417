"""Rules a listing's content must meet, shared by the form, the API and the import."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _

from techex.core.text import clean_text, too_long_message
from techex.organizations.choices import OrganizationType

from .choices import ListingKind, PriceType, TransferForm
from .models import PROSE_FIELDS

TEXT_FIELDS = (*PROSE_FIELDS, "ip_numbers", "ip_territory", "deployment_place")
SCALAR_FIELDS = (
    *TEXT_FIELDS,
    "language",
    "is_anonymous",
    "vsic",
    "keywords",
    "ipc_codes",
    "trl",
    "stage",
    "min_trl",
    "ip_type",
    "ip_status",
    "transfer_forms",
    "price_type",
    "price_min",
    "price_max",
    "deadline",
    "partner_types",
    "province",
    "ward",
    "open_for_inquiries",
)
M2M_FIELDS = ("fields", "partner_provinces")
EDITABLE_FIELDS = (*SCALAR_FIELDS, *M2M_FIELDS)
MAX_FIELDS = 3
MAX_KEYWORDS = 10
MAX_KEYWORD_LENGTH = 64


def clean_keywords(value: Any) -> list[str]:
    """Accept a list or a comma/semicolon separated string; return distinct cleaned keywords."""
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    result: list[str] = []
    for item in value or []:
        item = clean_text(str(item))
        if item and item.casefold() not in {k.casefold() for k in result}:
            result.append(item)
    return result


def normalize_data(data: dict[str, Any]) -> dict[str, Any]:
    """Bring user input to its stored form: NFC text without control characters, distinct keyword lists."""
    data = dict(data)
    for name in TEXT_FIELDS:
        if name in data and data[name] is not None:
            data[name] = clean_text(str(data[name]))
    for name in ("keywords", "ipc_codes"):
        if name in data:
            data[name] = clean_keywords(data[name])
    if "ipc_codes" in data:
        data["ipc_codes"] = [code.upper().replace(" ", "") for code in data["ipc_codes"]]
    for name in ("transfer_forms", "partner_types"):
        if name in data:
            data[name] = list(dict.fromkeys(data[name] or []))
    return data


def validate_data(kind: str, data: dict[str, Any]) -> None:
    """Raise a ValidationError keyed by field for every rule the data breaks."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for name in TEXT_FIELDS:
        limit = _max_length(name)
        if limit and len(data.get(name) or "") > limit:
            add(name, too_long_message(limit=limit, count=len(data[name])))
    if kind not in ListingKind.values:
        add("kind", _("Choose whether this is a technology offer or a technology need."))
    fields = data.get("fields")
    if fields is not None and len(fields) > MAX_FIELDS:
        add("fields", _("Choose at most %(n)d S&T fields.") % {"n": MAX_FIELDS})
    keywords = data.get("keywords") or []
    if len(keywords) > MAX_KEYWORDS:
        add("keywords", _("Give at most %(n)d keywords.") % {"n": MAX_KEYWORDS})
    if any(len(k) > MAX_KEYWORD_LENGTH for k in keywords):
        add("keywords", _("A keyword has at most %(n)d characters.") % {"n": MAX_KEYWORD_LENGTH})
    if len(data.get("ipc_codes") or []) > MAX_KEYWORDS:
        add("ipc_codes", _("Give at most %(n)d IPC codes.") % {"n": MAX_KEYWORDS})
    bad_forms = set(data.get("transfer_forms") or []) - set(TransferForm.values)
    if bad_forms:
        add("transfer_forms", _("Unknown transfer form: %(value)s.") % {"value": ", ".join(sorted(bad_forms))})
    bad_types = set(data.get("partner_types") or []) - set(OrganizationType.values)
    if bad_types:
        add("partner_types", _("Unknown organisation type: %(value)s.") % {"value": ", ".join(sorted(bad_types))})
    _validate_price(data, add)
    ward, province = data.get("ward"), data.get("province")
    if ward is not None and (province is None or ward.province_id != province.pk):
        add("ward", _("This commune does not belong to the chosen province."))
    if kind == ListingKind.NEED and data.get("trl"):
        add("trl", _("A need states the minimum TRL it accepts, not its own TRL."))
    if kind == ListingKind.OFFER and data.get("min_trl"):
        add("min_trl", _("Only a need has a minimum TRL."))
    if errors:
        raise ValidationError(errors)


def _max_length(name: str) -> int | None:
    from .models import Listing

    return cast(Field, Listing._meta.get_field(name)).max_length  # a text field of the listing, not a relation


def _validate_price(data: dict[str, Any], add) -> None:
    price_type, low, high = data.get("price_type"), data.get("price_min"), data.get("price_max")
    if price_type == PriceType.FIXED and low is None:
        add("price_min", _("Enter the fixed price."))
    if price_type == PriceType.RANGE and (low is None or high is None):
        add("price_max", _("Enter both ends of the price range."))
    if low is not None and high is not None and low > high:
        add("price_max", _("The upper end of the range is below the lower end."))


def submission_errors(listing, *, require_trl: bool = True) -> dict[str, list[str]]:
    """Return what a listing still lacks before it can be submitted for review.

    Members must state an offer's TRL; a staff import of another exchange's or agency's records may leave it
    unknown (``require_trl=False``) rather than invent one the source does not give.
    """
    errors: dict[str, list[str]] = {}
    if not listing.title:
        errors.setdefault("title", []).append(_("Enter a title."))
    if not listing.summary:
        errors.setdefault("summary", []).append(_("Enter a summary."))
    if not listing.description:
        errors.setdefault("description", []).append(_("Enter a description."))
    if not listing.fields.exists():
        errors.setdefault("fields", []).append(_("Choose at least one S&T field."))
    if require_trl and listing.kind == ListingKind.OFFER and not listing.trl:
        errors.setdefault("trl", []).append(_("Give the technology readiness level (TRL) of the offer."))
    return errors
