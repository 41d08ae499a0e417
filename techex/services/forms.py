"""Forms of the service pages; each hands its cleaned data to one service, which has the last word."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from techex.core.forms import fields_from_model, model_text_field
from techex.deals.forms import MultipleFileField
from techex.organizations.models import Organization
from techex.reference.models import Province

from .models import (
    RATING_MAX,
    RATING_MIN,
    Quote,
    RequestMessage,
    ServiceCategory,
    ServiceProvider,
    ServiceRequest,
    ValuationRecord,
)


class RequestForm(forms.Form):
    """Ask for a service: for which organisation, from whom (or let staff route it), and what is needed."""

    label_suffix = ""
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("For the organisation"))
    provider = forms.ModelChoiceField(
        queryset=ServiceProvider.objects.none(),
        required=False,
        label=_("Provider"),
        empty_label=_("Let the exchange's staff choose a provider"),
    )
    description = model_text_field(
        ServiceRequest,
        "description",
        label=_("What do you need?"),
        rows=6,
        help_text=_("The technology, what you expect of the service, your timeline and budget if you know them."),
    )

    def __init__(self, data: Any = None, *, organizations: Any, providers: Any, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class GuestRequestForm(forms.Form):
    """Ask for a service without an account: the request waits until the address is confirmed."""

    label_suffix = ""
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send a link to confirm it; the request waits until then.")
    )
    province = forms.ModelChoiceField(
        queryset=Province.objects.filter(is_mekong=True).order_by("name"),
        label=_("Province or city"),
        help_text=_("Your request goes to this province's Department of Science and Technology."),
    )
    description = model_text_field(ServiceRequest, "description", label=_("What do you need?"), rows=6)


class QuoteForm(forms.Form):
    label_suffix = ""
    amount_vnd = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=10**12)
    duration_days = forms.IntegerField(label=_("Duration (days)"), min_value=1, max_value=3650)
    note = model_text_field(Quote, "note", label=_("What the price covers"), rows=3)


class ReasonForm(forms.Form):
    label_suffix = ""
    reason = model_text_field(ServiceRequest, "close_reason", label=_("Reason"), required=True, rows=3)


class CloseForm(forms.Form):
    label_suffix = ""
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(RATING_MAX, RATING_MIN - 1, -1)],
        widget=forms.RadioSelect,
    )
    comment = model_text_field(ServiceRequest, "rating_comment", label=_("Comment"), rows=3)
    testimonial_consent = forms.BooleanField(
        required=False, label=_("The exchange may show my comment, with my organisation's name, on its service pages.")
    )


class MessageForm(forms.Form):
    label_suffix = ""
    body = model_text_field(RequestMessage, "body", label=_("Message"), rows=3)
    file = forms.FileField(label=_("File (optional)"), required=False)


class AssignForm(forms.Form):
    label_suffix = ""
    provider = forms.ModelChoiceField(queryset=ServiceProvider.objects.none(), label=_("Provider"))

    def __init__(self, data: Any = None, *, providers: Any) -> None:
        super().__init__(data)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers


class ProviderApplyForm(forms.Form):
    label_suffix = ""
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organisation"))
    categories = forms.ModelMultipleChoiceField(
        queryset=ServiceCategory.objects.none(), label=_("Services you offer"), widget=forms.CheckboxSelectMultiple
    )
    description = model_text_field(
        ServiceProvider,
        "description",
        label=_("What you offer"),
        rows=5,
        help_text=_("Your experience, experts, past work and the area you serve."),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Licences or certificates"),
        required=False,
        help_text=_("PDF, Word or images; checked by their content."),
    )

    def __init__(self, data: Any = None, files: Any = None, *, organizations: Any) -> None:
        super().__init__(data, files)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        cast(forms.ModelMultipleChoiceField, self.fields["categories"]).queryset = ServiceCategory.objects.active()


class DecisionForm(forms.Form):
    VERIFY, REFUSE = "verify", "refuse"
    label_suffix = ""
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VERIFY, _("Verify the provider")), (REFUSE, _("Refuse the application"))],
        widget=forms.RadioSelect,
    )
    note = model_text_field(ServiceProvider, "decision_note", label=_("Note (required to refuse)"), rows=2)


# --- valuation records (issue 13) ------------------------------------------------------------------------------------


class ValuationForm(forms.Form):
    """Deliver a valuation request with its result: the method, the value range, the date and the report."""

    label_suffix = ""
    prefix = "valuation"

    def __init__(self, data: Any = None, files: Any = None) -> None:
        super().__init__(data, files)
        self.fields.update(
            fields_from_model(
                ValuationRecord,
                ["method", "value_low_vnd", "value_high_vnd", "valued_on", "note"],
                labels={"method": _("Method"), "valued_on": _("Valuation date")},
                widgets={
                    "valued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    "note": forms.Textarea(attrs={"rows": 3}),
                },
            )
        )
        self.fields["report"] = forms.FileField(
            label=_("Valuation report (optional)"),
            required=False,
            help_text=_("PDF, Word or images; checked by their content."),
        )
