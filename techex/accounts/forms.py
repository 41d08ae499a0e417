from allauth.core import context, ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

from techex.core.text import clean_text

SIGNUP_EMAIL_LIMITED = _(
    "Too many sign-ups were asked for this e-mail address recently. Wait an hour and try again, or reset the "
    "password if the account is yours."
)


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def clean_full_name(self) -> str:
        value = clean_text(self.cleaned_data["full_name"])
        if not value:
            raise forms.ValidationError(_("Enter your full name."))
        return value

    def clean(self):
        cleaned = super().clean()
        email = str((cleaned or {}).get("email") or "").lower()
        # Each sign-up e-mails the address (a confirmation, or "you already have an account"): a limit per address,
        # in allauth's rate limits (ACCOUNT_RATE_LIMITS["signup_email"]), answered the same whether or not an
        # account exists. allauth's own limit on sign-ups is per client address.
        if email and not self.errors and not ratelimit.consume(context.request, action="signup_email", key=email):
            self.add_error("email", SIGNUP_EMAIL_LIMITED)
        return cleaned

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
