"""Forms of matching: the match alert threshold (shown on the saved-searches page of ``techex.alerts``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_THRESHOLD


class ThresholdForm(forms.Form):
    label_suffix = ""
    threshold = forms.IntegerField(
        label=_("Tell me about new matches scoring at least"),
        min_value=1,
        max_value=100,
        initial=DEFAULT_THRESHOLD,
        help_text=_("From 1 to 100. A need's owner hears of new offers, an offer's owner of new needs."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    alerts_enabled = forms.BooleanField(
        label=_("Tell me about new matches of my listings"), required=False, initial=True
    )
