"""Forms of the expert directory: search with facets, and the staff's expert form (the services have the last word)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from techex.listings.filtersets import MAX_WORDS_LENGTH
from techex.listings.form_fields import STFieldsField
from techex.reference.models import STField

from .expert_models import Expert
from .models import ServiceCategory


class ExpertSearchForm(forms.Form):
    """``?q=&field=&province=&category=``: the words (as long as a listing search's) and the three facets."""

    q = forms.CharField(required=False, max_length=MAX_WORDS_LENGTH, label=_("Search experts"))
    field = forms.CharField(required=False, max_length=8)
    province = forms.CharField(required=False, max_length=8)
    category = forms.CharField(required=False, max_length=40)

    def values(self) -> dict[str, str]:
        """The valid values ("" for a bad one: a filter left out, never an error page)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: (data.get(name) or "").strip() for name in ("q", "field", "province", "category")}


class ExpertForm(forms.ModelForm):
    """Staff create or edit an expert; ``consent`` records the expert's consent given to staff (creation only)."""

    label_suffix = ""
    fields_chosen = STFieldsField(
        label=_("S&T fields"),
        queryset=STField.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={"required": _("Choose at least one S&T field.")},
    )
    categories_chosen = forms.ModelMultipleChoiceField(
        label=_("Services provided"),
        queryset=ServiceCategory.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("The expert has consented in writing to be listed in the directory"), required=False
    )

    class Meta:
        model = Expert
        fields = [
            "full_name",
            "title",
            "specialities",
            "languages",
            "organization",
            "organization_name",
            "province",
            "cv",
            "publications",
            "accepts_requests",
            "email",
            "phone",
        ]
        widgets = {
            "specialities": forms.Textarea(attrs={"rows": 4}),
            "cv": forms.Textarea(attrs={"rows": 5}),
            "publications": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("consent")
            self.initial["fields_chosen"] = list(self.instance.fields.all())
            self.initial["categories_chosen"] = list(self.instance.categories.all())

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        values = {name: data[name] for name in self.Meta.fields}
        values["fields"] = data["fields_chosen"]
        values["categories"] = data["categories_chosen"]
        if "consent" in self.fields:
            values["consent"] = data["consent"]
        return values
