from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EmailFrequency


class PreferenceForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Notifications by e-mail"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you want e-mails."),
            "invalid_choice": _("Choose one of the options shown."),
        },
    )
