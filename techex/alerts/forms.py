"""Forms of the saved-search pages: save a search from the browse page, rename one, alerts on or off."""

from django import forms
from django.utils.translation import gettext_lazy as _

from techex.listings.form_fields import TextField
from techex.listings.forms import BrowseForm

from .models import SavedSearch
from .selectors import FILTER_NAMES


class SaveSearchForm(BrowseForm):
    """The browse page's words and filters, to keep; unlike browsing, where a bad value is dropped, it is an error."""

    name = TextField(label=_("Name"), max_length=SavedSearch._meta.get_field("name").max_length, required=False)

    def saved_filters(self) -> dict:
        """The non-empty filters of a valid form, as the service takes them."""
        return {name: self.cleaned_data[name] for name in FILTER_NAMES if self.cleaned_data.get(name) not in (None, "")}

    def search_data(self) -> dict:
        return {"q": self.cleaned_data.get("q", ""), "filters": self.saved_filters(), "name": self.cleaned_data["name"]}


class RenameForm(forms.Form):
    label_suffix = ""
    name = TextField(label=_("New name"), max_length=SavedSearch._meta.get_field("name").max_length)


class AlertsForm(forms.Form):
    """Alerts on or off: the button pressed sends ``active`` = 1 or 0."""

    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
