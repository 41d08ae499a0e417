"""What the events API says: events with their programme, and a member's own registrations."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from techex.core.api import StrictBooleanField, StrictCharField, StrictIntegerField, WriteSerializer, optional_text

from ..choices import MeetingStatus, RegistrationRole
from ..models import Event, Registration, Session
from ..selectors import places_left


class SessionSerializer(serializers.ModelSerializer):
    ics_url = serializers.SerializerMethodField(help_text="The session's calendar file (ICS).")

    class Meta:
        model = Session
        fields = ("id", "title", "starts_at", "ends_at", "room", "speakers", "description", "ics_url")

    def get_ics_url(self, session: Session) -> str:
        from django.urls import reverse

        return reverse("events:session_ics", args=[session.event.slug, session.pk])


EVENT_API_FIELDS: tuple[str, ...] = (
    "slug",
    "title",
    "type",
    "type_label",
    "status",
    "summary",
    "starts_at",
    "ends_at",
    "province",
    "province_name",
    "venue",
    "address",
    "map_url",
    "online_url",
    "capacity",
    "places_left",
    "registration_open",
    "needs_approval",
    "b2b_enabled",
    "url",
)


class EventSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    province = serializers.CharField(source="province_id", read_only=True, help_text="The province code.")
    province_name = serializers.CharField(source="province.name", read_only=True)
    places_left = serializers.SerializerMethodField(help_text="Free places; null when the event has no limit.")
    registration_open = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Event
        fields = EVENT_API_FIELDS

    def get_places_left(self, event: Event) -> int | None:
        return places_left(event=event)

    def get_registration_open(self, event: Event) -> bool:
        return event.registration_is_open()


class OrganizerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField()
    sessions = SessionSerializer(many=True, read_only=True)
    organizers = OrganizerSerializer(many=True, read_only=True)
    other_organizers = serializers.CharField()
    st_fields = serializers.SerializerMethodField(method_name="st_field_codes", help_text="S&T field codes.")
    cancel_reason = serializers.CharField()

    class Meta(EventSerializer.Meta):
        fields = (
            *EVENT_API_FIELDS,
            "description",
            "sessions",
            "organizers",
            "other_organizers",
            "st_fields",
            "cancel_reason",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def st_field_codes(self, event: Event) -> list[str]:
        return [field.code for field in event.fields.all()]


class RegistrationSerializer(serializers.ModelSerializer):
    event: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    organization = serializers.CharField(source="organization_label", read_only=True)
    sessions: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    checkin_code = serializers.SerializerMethodField(help_text="Shown once the place is confirmed.")

    class Meta:
        model = Registration
        fields = (
            "id",
            "event",
            "event_title",
            "status",
            "role",
            "organization",
            "sessions",
            "wants_b2b",
            "checkin_code",
            "created_at",
        )

    def get_checkin_code(self, registration: Registration) -> str | None:
        return registration.checkin_code if registration.status == "confirmed" else None


class RegistrationCreateSerializer(WriteSerializer):
    """A signed-in member registers; guests register on the event's page (their e-mail is confirmed there)."""

    event = StrictCharField(max_length=80, help_text="The event's slug.")
    organization = StrictIntegerField(
        required=False, allow_null=True, min_value=1, help_text="One of your organisations (its id)."
    )
    role = serializers.ChoiceField(RegistrationRole.choices, required=False, default=RegistrationRole.VISITOR)
    sessions = serializers.ListField(
        child=StrictIntegerField(min_value=1), required=False, default=list, max_length=100, help_text="Session ids."
    )
    wants_b2b = StrictBooleanField(required=False, default=False)
    phone = optional_text(default="", help_text="A phone number for the organisers.")

    def validated(self) -> dict[str, Any]:
        return dict(self.validated_data)


class B2BMeetingSerializer(serializers.Serializer):
    """One published meeting of the caller's B2B agenda: (slot times, meeting, the other side) rows."""

    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    table = serializers.IntegerField(help_text="Counted from 1.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    with_name = serializers.CharField(help_text="The other participant.")
    with_organization = serializers.CharField(allow_blank=True)

    def to_representation(self, instance):
        times, meeting, other = instance
        return {
            "id": meeting.pk,
            "starts_at": serializers.DateTimeField().to_representation(times[0]) if times else None,
            "ends_at": serializers.DateTimeField().to_representation(times[1]) if times else None,
            "table": meeting.table,
            "status": meeting.status,
            "with_name": other.name,
            "with_organization": other.organization_label or "",
        }
