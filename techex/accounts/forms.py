from django import forms
from django.utils.translation import gettext_lazy as _

from techex.core.text import clean_text


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def clean_full_name(self) -> str:
        value = clean_text(self.cleaned_data["full_name"])
        if not value:
            raise forms.ValidationError(_("Enter your full name."))
        return value

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
