"""What every domain's forms share: normalised text, fields read from a model's limits, a service's errors shown."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import model_field
from .text import clean_text, strip_invisible, too_long_message


class _LengthValidator(MaxLengthValidator):
    """Django's length check with the exchange's one message for text over its limit."""

    def __call__(self, value: Any) -> None:
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(too_long_message(limit=self.limit_value, count=self.clean(value)), code="max_length")


class TextField(forms.CharField):
    """Text stored as NFC without control characters; the length limit counts the normalised text.

    NFD input (macOS, some Vietnamese keyboards) is longer in code points than the same text in NFC, so checking
    the raw input would refuse text that fits. Invisible characters at either end go too, so a required text cannot
    be blank in disguise. Text over the limit gets the same message as from the services.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            _LengthValidator(v.limit_value) if type(v) is MaxLengthValidator else v for v in self.validators
        ]

    def to_python(self, value):
        value = super().to_python(value)
        return strip_invisible(clean_text(value)) if value else value


def text_field(*, label: Any, max_length: int | None, required: bool, rows: int = 0, help_text: Any = "") -> TextField:
    """A one-line input, or a text area of ``rows`` rows."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return TextField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text)


def model_text_field(
    model: type[models.Model],
    name: str,
    *,
    label: Any = None,
    required: bool | None = None,
    rows: int = 0,
    help_text: Any = "",
) -> TextField:
    """A text input whose limit (and, unless given, label and whether it is required) are the model field's."""
    field = model_field(model, name)
    return text_field(
        label=capfirst(field.verbose_name) if label is None else label,
        max_length=field.max_length,
        required=not field.blank if required is None else required,
        rows=rows,
        help_text=help_text,
    )


def value_bounds(model: type[models.Model], name: str) -> tuple[Any, Any]:
    """The lowest and highest value the model field's validators accept (None where there is no bound)."""
    low = high = None
    for validator in model_field(model, name).validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
    return low, high


def model_formfield(model_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """``formfield_callback`` of forms built from a model: text is normalised, numbers keep the model's bounds,
    and a required choice offers no empty option."""
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
        kwargs.setdefault("form_class", TextField)
    if isinstance(model_field, models.IntegerField | models.DecimalField):
        low, high = value_bounds(model_field.model, model_field.name)
        for key, bound in (("min_value", low), ("max_value", high)):
            if bound is not None:
                kwargs.setdefault(key, bound)
    field = model_field.formfield(**kwargs)
    if model_field.choices and not model_field.blank and isinstance(field, forms.ChoiceField):
        field.choices = model_field.choices
    return field


def fields_from_model(model: type[models.Model], names: Iterable[str], **kwargs: Any) -> dict[str, forms.Field]:
    """Form fields for ``names`` made from the model's fields (limits, choices, required); ``kwargs`` as for
    ``fields_for_model`` (labels, help_texts, widgets, field_classes)."""
    return dict(forms.fields_for_model(model, fields=list(names), formfield_callback=model_formfield, **kwargs))


def add_service_errors(
    form: forms.Form,
    exc: ValidationError | PermissionDenied,
    *,
    rename: dict[str, str] | None = None,
    default_field: str | None = None,
    model: type[models.Model] | None = None,
) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, above the form otherwise.

    ``rename`` maps a service's key to the form's field; ``default_field`` takes an error that names no field (or
    one the form lacks); with ``model``, an error on a model field the form lacks is shown above the form, prefixed
    with that field's label so the reader knows what it is about.
    """
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You may not do this."))
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(default_field, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        if name in form.fields:
            form.add_error(name, messages)
        elif name != NON_FIELD_ERRORS and (label := _model_label(model, name)):
            form.add_error(None, [f"{label}: {message}" for message in messages])
        else:
            form.add_error(default_field, messages)


def _model_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return ""
    try:
        return str(capfirst(model_field(model, name).verbose_name))
    except FieldDoesNotExist:
        return ""
