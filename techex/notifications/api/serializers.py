"""Notifications as the API shows them to their recipient."""

from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="What happened, in the language of the request.")
    url = serializers.CharField(read_only=True, help_text="The path on this site the notification is about.")
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read", "read_at"]
        read_only_fields = fields


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only the unread notifications.")


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")
