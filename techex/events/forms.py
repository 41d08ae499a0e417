"""Forms of the event pages: they check the shape of what is typed and hand clean values to the services."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from techex.core.forms import fields_from_model, model_text_field, text_field
from techex.core.text import clean_text
from techex.listings.form_fields import LabelledChoiceField, LabelledMultipleChoiceField
from techex.organizations.models import Organization
from techex.reference.models import STField
from techex.reference.selectors import province_list

from .choices import EventType, RegistrationRole, RegistrationStatus
from .filtersets import EventFilterSet
from .models import Event, Registration, Session
from .services import EVENT_FIELDS, MESSAGE_BODY_MAX, MESSAGE_STATUSES, MESSAGE_SUBJECT_MAX, SESSION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _top_fields() -> list[tuple[str, Any]]:
    return [(f.code, f"{f.code} {f.label}") for f in STField.objects.filter(level=1).order_by("code")]


class EventFilterForm(forms.Form):
    """The list's filters; a bad value is shown as an error and that filter is not applied."""

    label_suffix = ""
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Any type")), *EventType.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)
    province = LabelledChoiceField(
        label=_("Province"), queryset=province_list(), required=False, empty_label=_("Any province")
    )
    field = forms.CharField(label=_("S&T field"), required=False, max_length=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].widget = forms.Select(choices=[("", _("Any field")), *_top_fields()])

    def clean_field(self) -> str:
        code = clean_text(self.cleaned_data["field"] or "")
        if code and not STField.objects.filter(code=code).exists():
            raise ValidationError(_("Unknown S&T field."), code="invalid_choice")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> EventFilterSet:
        """The valid filters, as the list's FilterSet takes them (the API reads the same FilterSet)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        province = data.get("province")
        values = {
            "type": data.get("type"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "province": province.code if province else None,
            "field": data.get("field"),
        }
        return EventFilterSet({name: value for name, value in values.items() if value not in (None, "")})


class EventForm(forms.Form):
    """Staff: an event's details (the fields are the model's, listed once in ``services.EVENT_FIELDS``)."""

    label_suffix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        datetime_widgets = {
            name: DateTimeLocal()
            for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
        }
        self.fields.update(
            fields_from_model(
                Event,
                EVENT_FIELDS,
                widgets={**datetime_widgets, "description": forms.Textarea(attrs={"rows": 8})},
                field_classes={name: forms.DateTimeField for name in datetime_widgets},
            )
        )
        self.fields["province"] = LabelledChoiceField(label=_("Province"), queryset=province_list())
        self.fields["organizers"] = forms.ModelMultipleChoiceField(
            label=_("Organisers on the exchange"),
            queryset=Organization.objects.order_by("name"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )
        self.fields["fields"] = LabelledMultipleChoiceField(
            label=_("S&T fields"),
            queryset=STField.objects.filter(level__lte=2).order_by("code"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS if name in self.cleaned_data}


def event_initial(event: Event) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
    initial["organizers"] = list(event.organizers.all())
    initial["fields"] = list(event.fields.all())
    return initial


class CancelEventForm(forms.Form):
    reason = model_text_field(Event, "cancel_reason", label=_("Why is the event cancelled?"), required=True, rows=3)


class SessionForm(forms.Form):
    label_suffix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_from_model(
                Session,
                SESSION_FIELDS,
                widgets={
                    "starts_at": DateTimeLocal(),
                    "ends_at": DateTimeLocal(),
                    "description": forms.Textarea(attrs={"rows": 3}),
                },
                field_classes={"starts_at": forms.DateTimeField, "ends_at": forms.DateTimeField},
            )
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SESSION_FIELDS if name in self.cleaned_data}


class _SessionsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        from django.utils import timezone

        start = timezone.localtime(obj.starts_at)
        return f"{start:%d/%m %H:%M} · {obj.title}" + (f" ({obj.room})" if obj.room else "")


class RegistrationForm(forms.Form):
    """A member's or a guest's registration; the guest gives name, e-mail, phone and organisation."""

    label_suffix = ""

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.is_member = bool(getattr(user, "is_authenticated", False))
        if self.is_member:
            organizations = Organization.objects.filter(memberships__user=user).order_by("name")
            if organizations.exists():
                self.fields["organization"] = forms.ModelChoiceField(
                    label=_("Organisation"), queryset=organizations, empty_label=None
                )
            else:
                self.fields["organization_name"] = model_text_field(Registration, "organization_name")
            self.fields["phone"] = model_text_field(Registration, "phone")
        else:
            self.fields["full_name"] = model_text_field(Registration, "full_name")
            self.fields["email"] = forms.EmailField(label=_("E-mail"), max_length=254)
            self.fields["phone"] = model_text_field(Registration, "phone", required=True)
            self.fields["organization_name"] = model_text_field(Registration, "organization_name")
        self.fields["role"] = forms.ChoiceField(
            label=_("I come as"),
            choices=RegistrationRole.choices,
            initial=RegistrationRole.VISITOR,
            widget=forms.RadioSelect,
        )
        sessions = event.sessions.order_by("starts_at", "pk")
        if sessions.exists():
            self.fields["sessions"] = _SessionsChoice(
                label=_("Sessions I will attend"),
                queryset=sessions,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if event.b2b_enabled:
            self.fields["wants_b2b"] = forms.BooleanField(
                label=_("I want to take part in the B2B meetings"), required=False
            )

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["sessions"] = list(data.get("sessions") or [])
        return data


class MessageRegistrantsForm(forms.Form):
    """Staff: a message to the event's registrants of the statuses ticked."""

    label_suffix = ""
    statuses = forms.MultipleChoiceField(
        label=pgettext_lazy("e-mail", "To"),
        choices=[(status.value, status.label) for status in MESSAGE_STATUSES],
        initial=[RegistrationStatus.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    subject = text_field(label=_("Subject"), max_length=MESSAGE_SUBJECT_MAX, required=True)
    body = text_field(label=pgettext_lazy("e-mail", "Message"), max_length=MESSAGE_BODY_MAX, required=True, rows=6)
