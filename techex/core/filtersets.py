"""What every FilterSet shares: its valid values, filtering any queryset with some filters left out, its errors in
the API's words and its query parameters in the API schema.

A list is filtered by one FilterSet, used by its page and by its API view (NetBox's way): the page drops a value
it cannot use, the API answers it 400 naming the parameter, as it answers a bad field of a body.
"""

from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .api import MAX_BIGINT


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes decimals)."""

    # The stubs narrow field_class to DecimalField; NumberFilter itself takes any number field (its max validator
    # applies to an IntegerField alike).
    field_class = forms.IntegerField  # type: ignore[assignment]


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose values are read once, in the order its filters are declared."""

    def values(self) -> dict[str, Any]:
        """The valid, non-empty filter values; an invalid one is left out (``api_errors`` names it)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: cleaned[name] for name in self.filters if cleaned.get(name) not in (None, "", [])}

    def apply(self, queryset: QuerySet, *, without: Iterable[str] = ()) -> QuerySet:
        """``queryset`` filtered by the valid values, but for the filters named in ``without`` (a facet counts
        over the results with every *other* filter applied; the search engine applies the words itself)."""
        for name, value in self.values().items():
            if name not in without:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def api_errors(self) -> dict[str, list[str]]:
        """The invalid values' messages by parameter, worded as the API words a bad field (DRF's messages)."""
        if not self.is_bound:
            return {}
        return {
            name: [api_message(self.form.fields[name], error) for error in errors]
            for name, errors in self.form.errors.as_data().items()
        }


# --- the API's words for a form field's errors -------------------------------------------------------------------

# Django's form fields and DRF's serializer fields refuse the same things with different sentences; the API speaks
# DRF's everywhere (and DRF's translations come with them).
_DRF_FIELDS: tuple[tuple[type[forms.Field], type[serializers.Field]], ...] = (
    (forms.IntegerField, serializers.IntegerField),
    (forms.DateField, serializers.DateField),
    (forms.ChoiceField, serializers.ChoiceField),
    (forms.CharField, serializers.CharField),
)
_DRF_PARAMS = {
    "invalid_choice": lambda params: {"input": params.get("value", "")},
    "max_length": lambda params: {"max_length": params.get("limit_value")},
    "min_length": lambda params: {"min_length": params.get("limit_value")},
    "max_value": lambda params: {"max_value": params.get("limit_value")},
    "min_value": lambda params: {"min_value": params.get("limit_value")},
    "invalid": lambda params: {"format": "YYYY-MM-DD"},
}


def _drf_messages(field_class: type[serializers.Field]) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    for klass in reversed(field_class.__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def api_message(field: forms.Field, error: ValidationError) -> str:
    """The message of a form field's error as the API says it; Django's own when DRF has none for it."""
    drf_class = next((drf for form_class, drf in _DRF_FIELDS if isinstance(field, form_class)), None)
    code = error.code or ""
    template = _drf_messages(drf_class).get(code) if drf_class and code in _DRF_PARAMS else None
    if template is None:
        return " ".join(error.messages)
    return str(template).format(**_DRF_PARAMS[code](error.params or {}))


# --- the API schema ----------------------------------------------------------------------------------------------


def _choices(field: forms.ChoiceField) -> Iterable[tuple[Any, Any]]:
    # The stubs allow groups and callables; a filter's choices are flat (value, label) pairs.
    return cast("Iterable[tuple[Any, Any]]", field.choices)


def _schema(field: forms.Field) -> dict[str, Any]:
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _label in _choices(field) if value != ""]}
    if isinstance(field, forms.IntegerField):
        schema: dict[str, Any] = {"type": "integer"}
        schema.update({"minimum": field.min_value} if field.min_value is not None else {})
        schema.update({"maximum": field.max_value} if field.max_value is not None else {})
        if field.max_value == MAX_BIGINT:
            schema["format"] = "int64"
        return schema
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    schema = {"type": "string", "minLength": 1}
    max_length = getattr(field, "max_length", None)
    if max_length:
        schema["maxLength"] = max_length
    return schema


def filterset_parameters(filterset_class: type[FilterSet], *, only: Iterable[str] = ()) -> list[OpenApiParameter]:
    """The FilterSet's filters as query parameters of an API operation, described by their ``help_text``."""
    names = list(only) or list(filterset_class.base_filters)
    parameters = []
    for name in names:
        field = filterset_class.base_filters[name].field
        description = str(field.help_text or "")
        if isinstance(field, forms.ChoiceField):
            values = "\n".join(f"* `{value}` - {label}" for value, label in _choices(field) if value != "")
            description = f"{description}\n\n{values}" if description else values
        parameters.append(OpenApiParameter(name, _schema(field), OpenApiParameter.QUERY, description=description))
    return parameters
