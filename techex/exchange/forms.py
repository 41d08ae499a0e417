from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ApiScope
from .models import ApiKey

MAX_RATE = 10_000


class ApiKeyForm(forms.Form):
    label_suffix = ""
    name = forms.CharField(label=_("Who uses it"), max_length=ApiKey._meta.get_field("name").max_length)
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    rate_per_minute = forms.IntegerField(label=_("Requests per minute"), min_value=1, max_value=MAX_RATE, initial=600)
