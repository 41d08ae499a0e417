"""Form fields of the listing pages: normalised text, amounts in đồng, comma lists, reference-data labels."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from techex.core.forms import TextField  # noqa: F401 (the one text field; imported from here by older code)
from techex.reference.models import TRL, STField, VSICCode

from .validation import clean_keywords

# A VND amount above a quadrillion đồng is a typing slip, not a price.
MAX_VND = 10**15
# Indents a sub-field under its parent in a flat <select> (optgroups would hide the parent field itself).
INDENT = "\u2003"


def group_thousands(value: int) -> str:
    """Write an amount with its thousands grouped by the active language's separator (1.500.000 in Vietnamese).

    The grouping comes from the locale formats (config/formats), as for every number a template prints.
    """
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def trl_at_least(level: int) -> str:
    """The label of the TRL filter at a level. It keeps offers at that level or higher (and the needs that accept
    it), so its counts shrink slowly from level to level: "TRL 5" alone read as "exactly 5"."""
    return gettext("TRL %(level)s or higher") % {"level": level}


trl_at_least_lazy = lazy(trl_at_least, str)


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


class VNDField(forms.IntegerField):
    """An amount in đồng; separators between thousands are accepted, as people write them ("1.500.000 đ")."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_VND, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.,_₫]|vnđ|vnd|đồng|đ", "", value.lower())
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, int):
            return group_thousands(value)
        return value


class STFieldsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: STField) -> str:
        return INDENT * (obj.level - 1) + f"{obj.code} {obj.label}"


class VSICField(forms.ModelChoiceField):
    def label_from_instance(self, obj: VSICCode) -> str:
        return f"{obj.code} {obj.name_en if _english() and obj.name_en else obj.name}"


class LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class LabelledMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class CommaListField(forms.CharField):
    """A comma- or semicolon-separated list typed in one box, cleaned to a list of distinct items."""

    def __init__(self, *, max_items: int, item_length: int, **kwargs):
        self.max_items, self.item_length = max_items, item_length
        super().__init__(max_length=max_items * (item_length + 2), required=False, **kwargs)

    def clean(self, value):
        items = clean_keywords(super().clean(value) or "")
        if len(items) > self.max_items:
            raise ValidationError(_("Give at most %(n)d items."), params={"n": self.max_items}, code="too_many")
        if any(len(item) > self.item_length for item in items):
            raise ValidationError(
                _("An item has at most %(n)d characters."), params={"n": self.item_length}, code="too_long"
            )
        return items


def trl_choices() -> list[tuple]:
    return [("", _("— choose —"))] + [(t.level, f"{t.level} – {t.label}") for t in TRL.objects.order_by("level")]
