from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import STAFF_EVENTS, ApiScope, WebhookEvent
from .models import ApiKey, WebhookEndpoint

MAX_RATE = 10_000


class ApiKeyForm(forms.Form):
    label_suffix = ""
    name = forms.CharField(label=_("Who uses it"), max_length=ApiKey._meta.get_field("name").max_length)
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    rate_per_minute = forms.IntegerField(label=_("Requests per minute"), min_value=1, max_value=MAX_RATE, initial=600)


class WebhookEndpointForm(forms.Form):
    label_suffix = ""
    name = forms.CharField(label=_("Who receives it"), max_length=WebhookEndpoint._meta.get_field("name").max_length)
    url = forms.URLField(
        label=_("Address"),
        max_length=WebhookEndpoint._meta.get_field("url").max_length,
        assume_scheme="https",
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    is_staff_system = forms.BooleanField(label=_("A department's own system (may receive deal events)"), required=False)

    def clean(self):
        data = super().clean() or {}
        if STAFF_EVENTS & set(data.get("events") or []) and not data.get("is_staff_system"):
            self.add_error("events", _("Deal events go only to a department's own system."))
        return data
