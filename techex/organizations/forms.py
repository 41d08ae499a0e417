"""Forms of the organisation pages: they parse input; the services decide and write."""

from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from techex.accounts.models import User
from techex.core.forms import TextField
from techex.core.models import max_length_of
from techex.reference.models import Province, Ward
from techex.reference.selectors import province_list, ward_list_for_province

from .choices import MembershipRole, OrganizationType
from .models import Organization
from .selectors import user_find_by_email
from .validators import normalize_tax_code, validate_tax_code


def _limit(name: str) -> int:
    return max_length_of(Organization, name)


class OrganizationForm(forms.Form):
    """An organisation's profile, for creating and editing."""

    error_css_class = "field-error"
    required_css_class = "required"

    name = TextField(label=_("Name"), max_length=_limit("name"))
    short_name = TextField(
        label=_("Short name"),
        max_length=_limit("short_name"),
        required=False,
        help_text=_("An abbreviation, e.g. CTU."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=OrganizationType.choices)
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=20,
        required=False,
        help_text=_("10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Province or city"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("— choose a province —"),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("reference:ward_options"),
                "hx-target": "#id_ward",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        ),
    )
    ward = forms.ModelChoiceField(label=_("Commune or ward"), queryset=Ward.objects.all(), required=False)
    address = TextField(label=_("Address"), max_length=_limit("address"), required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Contact e-mail"), max_length=254, required=False)
    phone = TextField(
        label=_("Phone"),
        max_length=_limit("phone"),
        required=False,
        validators=[RegexValidator(r"^[0-9+().\s-]{6,32}$", _("Enter a phone number: digits, spaces, + ( ) - ."))],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    description = TextField(
        label=_("Description"),
        max_length=_limit("description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the organisation does, its research strengths or its technology needs."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = province_list()
        self._limit_ward_choices()

    def _limit_ward_choices(self) -> None:
        """Offer only the communes of the chosen province; any commune is still parsed so a mismatch is named."""
        if self.is_bound:
            province_code = str(self.data.get(self.add_prefix("province"), ""))
        else:
            province = self.initial.get("province")
            province_code = str(getattr(province, "pk", province) or "")
        wards = list(ward_list_for_province(province_code=province_code[:4]))
        placeholder = _("— choose a commune or ward —") if wards else _("— choose a province first —")
        self.fields["ward"].widget.choices = [("", placeholder)] + [(ward.code, ward.full_name) for ward in wards]

    def clean_tax_code(self) -> str:
        value = normalize_tax_code(self.cleaned_data.get("tax_code", ""))
        if value:
            validate_tax_code(value)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        ward, province = cleaned.get("ward"), cleaned.get("province")
        if ward is not None and "province" not in self.errors and (province is None or ward.province_id != province.pk):
            self.add_error("ward", _("This commune does not belong to the chosen province."))
        return cleaned


class OrganizationFilterForm(forms.Form):
    """The filters of the public list; anything invalid is ignored rather than refused."""

    q = forms.CharField(label=_("Name or tax code"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("All types")), *OrganizationType.choices], required=False)
    province = forms.ModelChoiceField(
        label=_("Province or city"), queryset=Province.objects.none(), required=False, empty_label=_("All provinces")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = province_list()

    def filters(self) -> dict[str, str]:
        """Return the valid filters as selector arguments."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        province = data.get("province")
        return {"q": data.get("q", ""), "type": data.get("type", ""), "province": province.pk if province else ""}


class MemberAddForm(forms.Form):
    """Add a person who already has an account, by e-mail address."""

    error_css_class = "field-error"

    email = forms.EmailField(label=_("E-mail address of the account"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)

    member: User  # the account found, once the form is valid

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        member = user_find_by_email(email=email)
        if member is None:
            raise forms.ValidationError(
                _("No account uses this e-mail address. Ask the person to sign up first, then add them."),
                code="unknown_user",
            )
        self.member = member
        return email


class MemberRoleForm(forms.Form):
    member = forms.IntegerField(min_value=1)
    role = forms.ChoiceField(choices=MembershipRole.choices)


class VerificationDecisionForm(forms.Form):
    """Staff's decision on an organisation's verification."""

    VERIFY = "verify"
    REFUSE = "refuse"

    error_css_class = "field-error"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VERIFY, _("Verify")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = TextField(
        label=_("Reason for refusing"),
        max_length=_limit("verification_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's administrators see this text; say what to correct."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == self.REFUSE and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason for refusing verification."))
        return cleaned
