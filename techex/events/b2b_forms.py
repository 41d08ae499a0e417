"""Forms of the B2B pages: shape only; the rules (limits, slots, listings) are the services' (``b2b``)."""

from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from techex.listings.models import Listing

from .forms import DateTimeLocal
from .models import B2BSettings

DATETIME_FIELDS = ("starts_at", "ends_at", "break_starts_at", "break_ends_at")


SETTINGS_FORM_FIELDS = (
    "starts_at",
    "ends_at",
    "meeting_minutes",
    "break_starts_at",
    "break_ends_at",
    "tables",
    "request_limit",
    "requests_open",
)


class B2BSettingsForm(forms.Form):
    """The settings' fields as the model declares them; the rules between them are the model's ``clean``."""

    def __init__(self, *args: Any, instance: B2BSettings | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=SETTINGS_FORM_FIELDS))
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in SETTINGS_FORM_FIELDS}


B2BSettingsForm.base_fields = fields_for_model(
    B2BSettings,
    fields=SETTINGS_FORM_FIELDS,
    widgets={name: DateTimeLocal() for name in DATETIME_FIELDS},
    field_classes={name: forms.DateTimeField for name in DATETIME_FIELDS},
)


class B2BProfileForm(forms.Form):
    offer = forms.CharField(label=_("What we offer"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    seek = forms.CharField(label=_("What we seek"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    listings = forms.ModelMultipleChoiceField(
        label=_("Our listings to show"),
        queryset=Listing.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_slots = forms.TypedMultipleChoiceField(
        label=_("When we can meet"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, listings: Any, slots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listings"].queryset = listings  # type: ignore[attr-defined]
        self.fields["available_slots"].choices = slots  # type: ignore[attr-defined]


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    important = forms.BooleanField(label=_("This meeting is important to me"), required=False)


class ScheduleRunForm(forms.Form):
    allow_moving = forms.BooleanField(label=_("Published meetings may move"), required=False)
