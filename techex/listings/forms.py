"""Forms of the listing pages: the editor's steps, creation, files, browsing and review.

The forms check shape (types, lengths, known choices); the rules a listing as a whole must meet live in
``validation.py`` and are enforced by the services, whose errors ``core.forms.add_service_errors`` puts back on
the form.
"""

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from techex.core.forms import TextField, model_text_field
from techex.core.forms import add_service_errors as _add_service_errors
from techex.organizations.choices import OrganizationType
from techex.reference.models import Province, STField, VSICCode, Ward
from techex.reference.selectors import province_list

from . import services
from .choices import (
    AttachmentKind,
    IPStatus,
    IPType,
    Language,
    ListingKind,
    PriceType,
    Stage,
    TransferForm,
)
from .filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from .form_fields import (
    CommaListField,
    LabelledChoiceField,
    LabelledMultipleChoiceField,
    STFieldsField,
    VNDField,
    VSICField,
    trl_at_least_lazy,
    trl_choices,
)
from .models import Listing, ListingAttachment
from .validation import MAX_FIELDS, MAX_KEYWORD_LENGTH, MAX_KEYWORDS, SCALAR_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

    from techex.organizations.models import Organization

# Section, class, subclass and group as IPC writes them once spaces are removed: A, A01, A01B, A01B1/00.
IPC_CODE = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}/\d{1,6})?)?)?$")


def _model_field(name: str) -> models.Field:
    # The forms name the listing's own fields, never a reverse relation (which has no label or length).
    return cast(models.Field, Listing._meta.get_field(name))


def _model_label(name: str) -> "StrOrPromise":
    return capfirst(_model_field(name).verbose_name)


# A service's refusal on a listing form: an error on a field this form lacks is named by the field's label.
add_service_errors = partial(_add_service_errors, model=Listing)


def listing_initial(listing: Listing) -> dict:
    """The values the editor starts from: the revision awaiting review if there is one, else the stored ones."""
    data = {name: getattr(listing, name) for name in SCALAR_FIELDS if name not in {"vsic", "province", "ward"}}
    # A listing with no place yet starts from its organisation's province (most are deployed or needed at home).
    province = listing.province_id or listing.organization.province_id
    data.update(vsic=listing.vsic_id, province=province, ward=listing.ward_id)
    data["fields"] = [field.pk for field in listing.fields.all()]
    data["partner_provinces"] = [province.pk for province in listing.partner_provinces.all()]
    if listing.pending_changes:
        data.update(services.listing_pending_data(listing=listing))
    data["keywords"] = ", ".join(data.get("keywords") or [])
    data["ipc_codes"] = ", ".join(data.get("ipc_codes") or [])
    return data


# --- fields ------------------------------------------------------------------------------------------------------


def text_field(name: str, *, required: bool = False, rows: int = 0, help_text: "StrOrPromise" = "") -> TextField:
    """A text of the listing with the model's label and limit."""
    return model_text_field(Listing, name, required=required, rows=rows, help_text=help_text)


# --- the editor --------------------------------------------------------------------------------------------------


class ListingStepForm(forms.Form):
    """One step of the editor; ``kind`` drops the fields that belong to the other kind of listing."""

    label_suffix = ""
    offer_only: tuple[str, ...] = ()
    need_only: tuple[str, ...] = ()

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in self.need_only if kind == ListingKind.OFFER else self.offer_only:
            self.fields.pop(name, None)

    def listing_data(self) -> dict:
        """The cleaned values as ``listing_update`` takes them."""
        return {
            name: list(value) if isinstance(value, QuerySet) else value for name, value in self.cleaned_data.items()
        }


class BasicsForm(ListingStepForm):
    title = text_field("title", required=True)
    summary = text_field(
        "summary", required=True, rows=4, help_text=_("Two or three sentences: what it is and why it matters.")
    )
    language = forms.ChoiceField(label=_("Language of the listing"), choices=Language.choices)
    is_anonymous = forms.BooleanField(
        label=_("Publish anonymously"),
        required=False,
        help_text=_("Hide your organisation's name; interested parties contact you through the exchange."),
    )


class ContentForm(ListingStepForm):
    description = text_field("description", required=True, rows=8)
    advantages = text_field("advantages", rows=5, help_text=_("What is new, and what it does better."))
    applications = text_field("applications", rows=4, help_text=_("Who can use it, and where."))
    comparison = text_field("comparison", rows=4)
    problem = text_field("problem", rows=5, help_text=_("The problem you want a technology to solve."))
    technical_requirements = text_field("technical_requirements", rows=4)
    current_conditions = text_field(
        "current_conditions", rows=4, help_text=_("Your present equipment, staff, scale and constraints.")
    )

    offer_only = ("advantages", "applications", "comparison")
    need_only = ("problem", "technical_requirements", "current_conditions")


class ClassificationForm(ListingStepForm):
    # A declared field goes to base_fields: on an instance, ``fields`` is still BaseForm's dict of fields.
    fields: dict[str, forms.Field] = STFieldsField(  # type: ignore[assignment]  # see the line above
        label=_model_label("fields"),
        queryset=STField.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={"required": _("Choose at least one S&T field.")},
        help_text=_("Choose 1 to 3 fields (hold Ctrl or ⌘ to choose several on a computer)."),
    )
    vsic = VSICField(
        label=_model_label("vsic"),
        queryset=VSICCode.objects.filter(level=2).order_by("code"),
        required=False,
        empty_label="—",
    )
    keywords = CommaListField(
        label=_model_label("keywords"),
        max_items=MAX_KEYWORDS,
        item_length=MAX_KEYWORD_LENGTH,
        help_text=_("Up to 10, separated by commas."),
    )
    ipc_codes = CommaListField(
        label=_model_label("ipc_codes"), max_items=MAX_KEYWORDS, item_length=16, help_text=_("For example A01B 1/00.")
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Give the technology readiness level (TRL) of the offer.")},
    )
    stage = forms.ChoiceField(label=_model_label("stage"), choices=[("", "—"), *Stage.choices], required=False)
    min_trl = forms.TypedChoiceField(label=_("Minimum TRL you accept"), coerce=int, empty_value=None, required=False)

    offer_only = ("trl", "stage")
    need_only = ("min_trl",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("trl", "min_trl"):
            if name in self.fields:
                cast(forms.TypedChoiceField, self.fields[name]).choices = trl_choices()

    def clean_fields(self):
        fields = self.cleaned_data["fields"]
        if len(fields) > MAX_FIELDS:
            raise ValidationError(_("Choose at most %(n)d S&T fields."), params={"n": MAX_FIELDS}, code="too_many")
        return fields

    def clean_ipc_codes(self):
        codes = [code.upper().replace(" ", "") for code in self.cleaned_data["ipc_codes"]]
        bad = [code for code in codes if not IPC_CODE.match(code)]
        if bad:
            raise ValidationError(
                _("Not an IPC code: %(codes)s (write them like A01B or A01B 1/00)."), params={"codes": ", ".join(bad)}
            )
        return codes


class TermsForm(ListingStepForm):
    ip_type = forms.ChoiceField(label=_model_label("ip_type"), choices=IPType.choices)
    ip_status = forms.ChoiceField(label=_model_label("ip_status"), choices=IPStatus.choices)
    ip_numbers = text_field("ip_numbers", help_text=_("Application or grant numbers, e.g. 1-0012345."))
    ip_territory = text_field("ip_territory", help_text=_("Where the protection applies, e.g. Vietnam."))
    transfer_forms = forms.MultipleChoiceField(
        label=_model_label("transfer_forms"),
        choices=TransferForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    price_type = forms.ChoiceField(label=_model_label("price_type"), choices=PriceType.choices)
    price_min = VNDField(label=_model_label("price_min"), required=False)
    price_max = VNDField(label=_model_label("price_max"), required=False)
    deadline = forms.DateField(
        label=_model_label("deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you need the technology by."),
    )
    partner_types = forms.MultipleChoiceField(
        label=_model_label("partner_types"),
        choices=OrganizationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    partner_provinces = LabelledMultipleChoiceField(
        label=_model_label("partner_provinces"),
        queryset=province_list(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    open_for_inquiries = forms.BooleanField(label=_("Open for inquiries"), required=False)

    need_only = ("deadline",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_min"].help_text = _("For a fixed price, fill in this box only.")
        if self.kind == ListingKind.NEED:
            # A need may say what protection it expects, but need not: it owns no IP of its own.
            for name, choices in (("ip_type", IPType.choices), ("ip_status", IPStatus.choices)):
                field = cast(forms.ChoiceField, self.fields[name])
                field.required = False
                field.choices = [("", _("— not stated —")), *choices]
            self.fields["price_type"].label = _("Budget")
            self.fields["price_min"].label = _("Budget from (VND)")
            self.fields["price_max"].label = _("Budget to (VND)")
            self.fields["price_min"].help_text = ""

    def clean_ip_type(self):
        return self.cleaned_data["ip_type"] or IPType.NONE

    def clean_ip_status(self):
        return self.cleaned_data["ip_status"] or IPStatus.NONE

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and "deadline" in self.changed_data and deadline < timezone.localdate():
            raise ValidationError(_("The deadline is in the past."), code="past")
        return deadline


class PlaceForm(ListingStepForm):
    province = LabelledChoiceField(
        label=_model_label("province"),
        queryset=province_list(),
        required=False,
        empty_label=_("— choose a province —"),
    )
    ward = forms.ModelChoiceField(label=_model_label("ward"), queryset=Ward.objects.none(), required=False)
    deployment_place = text_field("deployment_place", help_text=_("A place, a region or a kind of site."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get("province") if self.is_bound else self.initial.get("province")
        province = getattr(province, "pk", province)
        # Only the chosen province's communes: all 3,321 would make the page heavy on a phone. Changing the province
        # reloads this list (htmx GET to reference:ward_options); without JS the service checks the pair.
        ward = cast(forms.ModelChoiceField, self.fields["ward"])
        ward.queryset = Ward.objects.filter(province_id=province) if province else Ward.objects.none()
        # The same first option as the list htmx loads when the province changes (reference:ward_options).
        ward.empty_label = _("— choose a commune or ward —") if province else _("— choose a province first —")
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("reference:ward_options"),
                "hx-target": "#id_ward",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )


@dataclass(frozen=True)
class Step:
    key: str
    label: "StrOrPromise"
    form_class: type[ListingStepForm] | None


STEPS = (
    Step("basics", _("Basics"), BasicsForm),
    Step("content", _("Description"), ContentForm),
    Step("classification", _("Classification"), ClassificationForm),
    Step("terms", _("IP and terms"), TermsForm),
    Step("place", _("Place"), PlaceForm),
    Step("media", _("Images and documents"), None),
)
STEP_KEYS = [step.key for step in STEPS]


class CreateListingForm(BasicsForm):
    """The first step, which creates the draft: what kind of listing, for which organisation, and its basics."""

    kind = forms.ChoiceField(  # type: ignore[assignment]  # a declared field goes to base_fields; self.kind is the str
        label=_("What do you want to post?"), choices=ListingKind.choices, widget=forms.RadioSelect
    )
    organization: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=None, empty_label=None
    )

    field_order = ["kind", "organization", "title", "summary", "language", "is_anonymous"]

    def __init__(self, *args, organizations: QuerySet, **kwargs):
        super().__init__(*args, kind=ListingKind.OFFER, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations

    def listing_data(self) -> dict:
        data = super().listing_data()
        data.pop("kind")
        data.pop("organization")
        return data


class AttachmentForm(forms.Form):
    label_suffix = ""
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.pptx"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AttachmentKind.choices, widget=forms.RadioSelect, initial=AttachmentKind.IMAGE
    )
    caption = model_text_field(ListingAttachment, "caption", label=_("Caption"))
    is_confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=_("Listed publicly, but opened only after an NDA is in force."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Images: JPEG, PNG or WebP. Documents: PDF, DOCX, XLSX or PPTX. At most %(limit)s."
        ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}


# --- browsing, my listings, review -------------------------------------------------------------------------------


SORT_CHOICES = (
    ("relevance", _("Relevance")),
    ("newest", _("Newest first")),
    ("trl", _("Readiness (TRL), highest first")),
)


class ActiveFilter(NamedTuple):
    name: str
    value: str
    label: "StrOrPromise"  # the value's label: "Technology offer"
    heading: "StrOrPromise"  # the filter's: "Kind"


class BrowseForm(forms.Form):
    """Words, filters and order of the public list; an unknown value is ignored, never an error page."""

    # The filters in the order the page's links write them, so the same results always have the same address.
    FILTERS = ("kind", "field", "province", "trl", "ip_type", "transfer_form", "organization_type")

    label_suffix = ""
    q = TextField(label=_("Search offers and needs"), max_length=MAX_WORDS_LENGTH, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices, required=False)
    # Checked against the reference tables only when given (see ``_known``): no query for the common case.
    field = forms.CharField(label=_("S&T field"), max_length=8, required=False)
    province = forms.CharField(label=_("Province"), max_length=4, required=False)
    trl = forms.TypedChoiceField(
        label=_("TRL"),
        choices=[(n, trl_at_least_lazy(n)) for n in range(1, 10)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    ip_type = forms.ChoiceField(label=_("IP"), choices=IPType.choices, required=False)
    transfer_form = forms.ChoiceField(label=_("Transfer form"), choices=TransferForm.choices, required=False)
    organization_type = forms.ChoiceField(
        label=_("Organisation type"), choices=OrganizationType.choices, required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    # Set by the "search as typed" link: the words are not corrected for typos.
    typed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels: dict[str, str] = {}  # of the reference codes given, for the list of filters in use

    def _known(self, name: str, model) -> str:
        code = self.cleaned_data[name]
        if code:
            item = model.objects.filter(code=code).first()
            if item is None:
                raise ValidationError(_("Unknown code."), code="invalid_choice")
            self.labels[name] = item.label
        return code

    def clean_field(self):
        # Any level: the field facet leads from a field to the ones below it.
        return self._known("field", STField)

    def clean_province(self):
        return self._known("province", Province)

    def values(self) -> dict:
        """The valid, non-empty values; the invalid ones are dropped."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}

    def filters(self) -> ListingFilterSet:
        """The words and filters to list by: the valid ones (an unknown code is left out, as on the page)."""
        values = self.values()
        return ListingFilterSet({name: values[name] for name in ("q", *self.FILTERS) if name in values})

    def sort_order(self) -> str:
        """The order asked for; by default by relevance when there are words, newest first otherwise."""
        values = self.values()
        sort = values.get("sort") or ("relevance" if values.get("q") else "newest")
        # Without words there is nothing to be relevant to.
        return "newest" if sort == "relevance" and not values.get("q") else sort

    def sort_choices(self) -> list[tuple[str, "StrOrPromise"]]:
        """The orders worth offering: relevance only when there are words to be relevant to."""
        return [choice for choice in SORT_CHOICES if choice[0] != "relevance" or self.values().get("q")]

    def params(self, **changes) -> dict[str, str]:
        """The valid parameters, with ``changes`` (``None`` drops one), in the form's order; never the page."""
        values = {name: "1" if value is True else str(value) for name, value in self.values().items()} | changes
        return {name: values[name] for name in self.fields if values.get(name) not in (None, "")}

    def _label(self, name: str, value) -> "StrOrPromise":
        if label := self.labels.get(name):  # a reference code (its field is a CharField, without choices)
            return label
        choices = cast(forms.ChoiceField, self.fields[name]).choices  # flat (value, label) pairs in this form
        return dict(cast(list[tuple[Any, "StrOrPromise"]], choices))[value]

    def active_filters(self) -> list[ActiveFilter]:
        values = self.values()
        return [
            ActiveFilter(name, str(values[name]), self._label(name, values[name]), self[name].label)
            for name in self.FILTERS
            if name in values
        ]


class ReviewForm(forms.Form):
    label_suffix = ""
    DECISIONS = (
        ("publish", _("Publish")),
        ("request_changes", _("Ask for changes")),
        ("reject", _("Reject")),
    )
    # Sent by the button pressed, so it is never rendered as a field.
    decision = forms.ChoiceField(choices=DECISIONS)
    note = TextField(
        label=_("Note to the owner"),
        max_length=Listing._meta.get_field("review_note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject: say what to change, or why."),
    )
