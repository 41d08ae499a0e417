"""Forms of the deal pages: they check the shape of what is typed and hand clean values to the services."""

from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techex.core.forms import TextField, fields_from_model, model_text_field
from techex.core.text import clean_text
from techex.listings.form_fields import LabelledChoiceField, VNDField
from techex.organizations.models import Organization
from techex.reference.models import Province, STField
from techex.reference.selectors import province_list

from .choices import DealStage, NDAMethod, RegistrationStatus, TransferObject
from .filtersets import DealFilterSet
from .models import CONTRACT_TERMS, Contract, Deal, DealMessage, NDATemplate, Proposal, TransferTerms
from .selectors import broker_choices
from .types import ContractTerms, ProposalTerms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

# Files one message may carry; each is checked by the service (type by content, size).
MAX_FILES = 5
# The terms of a transfer, as the abstract model defines them: the proposal and contract forms are built from it,
# so a limit (term in months, territory) is the model's and nowhere else.
TERMS_FIELDS = tuple(field.name for field in TransferTerms._meta.get_fields())
TERMS_LABELS = {
    "contract_form": _("Form of transfer (Art. 5)"),
    "licence": _("Rights transferred"),
    "exclusive": _("Exclusive"),
    "territory": _("Territory"),
    "term_months": _("Term (months)"),
}


def _dataclass_values(cls, data: dict) -> dict:
    """The cleaned values a terms dataclass takes; lists become tuples (the dataclasses are frozen)."""
    names = {f.name for f in dataclass_fields(cls)}
    return {name: tuple(value) if isinstance(value, list) else value for name, value in data.items() if name in names}


def transfer_objects_field() -> forms.MultipleChoiceField:
    """The objects of transfer (Art. 4) as boxes to tick; the model keeps them as a JSON list."""
    return forms.MultipleChoiceField(
        label=_("Object of transfer (Art. 4)"),
        choices=TransferObject.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one object of transfer.")},
    )


def _form_from_model(model, names, **kwargs) -> type[forms.Form]:
    """A form class whose fields are the model's (its limits, choices and required fields); a subclass declares
    the fields that need more than the model says (a list of choices, amounts as people type them)."""
    return type(f"{model.__name__}FieldsForm", (forms.Form,), fields_from_model(model, names, **kwargs))


class PercentField(forms.DecimalField):
    """A percentage as people type it: "2,5", "2.5" or "2,5 %" (a royalty never needs a thousands separator)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=Decimal("0.01"), max_value=Decimal("100"), max_digits=5, decimal_places=2, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class InquiryForm(forms.Form):
    """An expression of interest: a message and the three standard answers."""

    label_suffix = ""
    organization: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=pgettext_lazy("inquiry form", "On behalf of"), queryset=None, empty_label=None
    )
    who_we_are = model_text_field(
        Deal,
        "who_we_are",
        label=_("Who we are"),
        rows=3,
        help_text=_("Your organisation, what it does, its size and experience."),
    )
    intended_use = model_text_field(
        Deal,
        "intended_use",
        label=_("What we want to do with it"),
        rows=3,
        help_text=_("Where and how you would use the technology, or what you would offer for the need."),
    )
    timeline_budget = model_text_field(
        Deal,
        "timeline_budget",
        label=_("Timeline and budget"),
        rows=2,
        help_text=_("When you want to start, and the budget you have in mind (VND)."),
    )
    message = model_text_field(Deal, "message", label=_("Message"), rows=4)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations


class ReasonForm(forms.Form):
    """Decline, withdraw, drop or reject: the reason is required and shown to the other side."""

    label_suffix = ""
    # The reason is kept as the deal's (or the proposal's) reason: the two model fields have one limit.
    reason = model_text_field(Deal, "close_reason", label=_("Reason"), required=True, rows=3)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each file's content and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(n)d files to one message."), params={"n": MAX_FILES}, code="too_many"
            )
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class MessageForm(forms.Form):
    label_suffix = ""
    body = model_text_field(DealMessage, "body", label=_("Message"), rows=3)
    # A declared field goes to base_fields: on an instance, ``files`` is still BaseForm's uploaded files.
    files: MultiValueDict[str, UploadedFile] = MultipleFileField(  # type: ignore[assignment]  # see the line above
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or images; up to %(n)d files.") % {"n": MAX_FILES},
    )


class ProposalForm(
    _form_from_model(  # type: ignore[misc]  # a base built from the model at import: mypy cannot follow it
        Proposal,
        (*TERMS_FIELDS, "technical_assistance", "note"),
        labels={
            **TERMS_LABELS,
            "technical_assistance": _("Technical assistance, training, experts"),
            "note": _("Note"),
        },
        help_texts={
            "territory": _("For example: the Mekong Delta."),
            "term_months": _("Leave empty for no limit."),
        },
        widgets={"technical_assistance": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2})},
    )
):
    """The terms of a proposal or counter-proposal (Law 07/2017/QH14, Art. 4 and 5)."""

    label_suffix = ""
    transfer_objects = transfer_objects_field()
    price_vnd = VNDField(label=_("Price (VND)"), required=False, help_text=_("A lump sum, e.g. 1.500.000.000."))
    royalty_percent = PercentField(
        label=_("Royalty (% of net sales)"), help_text=_("Give a price, a royalty, or both.")
    )
    field_order = (
        "contract_form",
        "transfer_objects",
        "licence",
        "price_vnd",
        "royalty_percent",
        "exclusive",
        "territory",
        "term_months",
        "technical_assistance",
        "note",
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("price_vnd") is None and data.get("royalty_percent") is None and not self.errors:
            raise ValidationError(_("Give a price, a royalty, or both."), code="no_price")
        return data

    def terms(self) -> ProposalTerms:
        return ProposalTerms(**_dataclass_values(ProposalTerms, self.cleaned_data))

    @classmethod
    def initial_from(cls, proposal) -> dict:
        """Start a counter-proposal (or the contract) from the terms it answers."""
        names = [name for name in cls.base_fields if name != "note"]
        return {name: getattr(proposal, name) for name in names}


class NDARequestForm(forms.Form):
    label_suffix = ""
    method = forms.ChoiceField(
        label=_("How to sign"), choices=NDAMethod.choices, widget=forms.RadioSelect, initial=NDAMethod.IN_APP
    )


class NDAUploadForm(forms.Form):
    label_suffix = ""
    file = forms.FileField(label=_("Signed NDA"), help_text=_("A PDF or a scan (image) signed by your side."))


class ContractRecordForm(
    _form_from_model(  # type: ignore[misc]  # a base built from the model at import: mypy cannot follow it
        Contract,
        (*TERMS_FIELDS, "signed_on", "cross_border", "state_budget", "st_task_registered"),
        labels={
            **TERMS_LABELS,
            "signed_on": _("Date signed"),
            "cross_border": _("Origin of the technology"),
            "state_budget": _("State capital or budget is used"),
            "st_task_registered": _("It is the result of an S&T task that is already registered"),
        },
        help_texts={
            "state_budget": _("Registration is then compulsory (Law on Technology Transfer, Art. 31)."),
            "st_task_registered": _("The exception of Art. 31 for state-funded results."),
        },
        widgets={"signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
    )
):
    """The contract as signed, pre-filled from the accepted proposal."""

    label_suffix = ""
    transfer_objects = transfer_objects_field()
    value_vnd = VNDField(label=_("Contract value (VND)"), required=False)
    royalty_percent = PercentField(label=_("Royalty (% of net sales)"))
    field_order = CONTRACT_TERMS

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("value_vnd") is None and data.get("royalty_percent") is None and not self.errors:
            raise ValidationError(_("Give the contract's value, a royalty, or both."), code="no_value")
        return data

    @staticmethod
    def initial_from(proposal) -> dict:
        """The contract as the accepted proposal described it."""
        data = ProposalForm.initial_from(proposal)
        data["value_vnd"] = data.pop("price_vnd")
        data.pop("technical_assistance", None)
        return data

    def terms(self) -> ContractTerms:
        return ContractTerms(**_dataclass_values(ContractTerms, self.cleaned_data))


class RegistrationForm(forms.Form):
    label_suffix = ""
    status = forms.ChoiceField(label=_("Registration status"), choices=RegistrationStatus.choices)
    number = model_text_field(Contract, "registration_number", label=_("Certificate number"), required=False)
    certified_on = forms.DateField(
        label=_("Certified on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("status") == RegistrationStatus.CERTIFIED and not self.errors:
            missing = {}
            if not data.get("number"):
                missing["number"] = _("Give the number of the registration certificate.")
            if not data.get("certified_on"):
                missing["certified_on"] = _("Give the date of the registration certificate.")
            if missing:
                raise ValidationError(missing)
        return data


class BrokerLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class BrokerForm(forms.Form):
    label_suffix = ""
    broker = BrokerLabelField(
        label=_("Broker"),
        queryset=None,
        required=False,
        empty_label=_("— no broker —"),
        help_text=_("An intermediary organisation. Choose “no broker” to take the broker away."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["broker"]).queryset = broker_choices()


class NDATemplateForm(forms.Form):
    label_suffix = ""
    title = model_text_field(NDATemplate, "title", label=_("Title"))
    body = model_text_field(NDATemplate, "body", label=_("Text"), rows=18)


class StaffFilterForm(forms.Form):
    """The filters of the staff list; a bad value is shown as an error and the filter is not applied."""

    label_suffix = ""
    q = TextField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A deal's or listing's reference code, an organisation's name, words of the listing."),
    )
    stage = forms.ChoiceField(
        label=pgettext_lazy("deal", "Stage"), choices=[("", _("Any stage")), *DealStage.choices], required=False
    )
    province = LabelledChoiceField(
        label=_("Province"), queryset=province_list(), required=False, empty_label=_("Any province")
    )
    field = forms.CharField(label=_("S&T field"), required=False, max_length=16)
    broker = BrokerLabelField(label=_("Broker"), queryset=None, required=False, empty_label=_("Any broker"))
    date_from = forms.DateField(
        label=_("Started from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Started until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["broker"]).queryset = broker_choices()
        self.fields["field"].widget = forms.Select(choices=self._field_choices())

    @staticmethod
    def _field_choices() -> list[tuple[str, "StrOrPromise"]]:
        top = STField.objects.filter(level=1).order_by("code")
        return [("", _("Any field")), *[(f.code, f"{f.code} {f.label}") for f in top]]

    def clean_field(self):
        code = clean_text(self.cleaned_data["field"] or "")
        if code and not STField.objects.filter(code=code).exists():
            raise ValidationError(_("Unknown S&T field."), code="invalid_choice")
        return code

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> DealFilterSet:
        """The valid filters, as the list's FilterSet takes them; a bad one is left out (the form shows its error)."""
        self.is_valid()
        data = self.cleaned_data
        province: Province | None = data.get("province")
        broker: Organization | None = data.get("broker")
        values = {
            "q": data.get("q"),
            "stage": data.get("stage"),
            "province": province.code if province else None,
            "field": data.get("field"),
            "broker": broker.pk if broker else None,
            "created_from": data.get("date_from"),
            "created_to": data.get("date_to"),
        }
        return DealFilterSet({name: value for name, value in values.items() if value not in (None, "")})
