"""Input and output of the token endpoint."""

from rest_framework import serializers

from techex.core.api import StrictCharField, WriteSerializer


class TokenObtainSerializer(WriteSerializer):
    email = StrictCharField(max_length=254, help_text="The e-mail address you sign in with.")
    password = StrictCharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text="Send it as `Authorization: Token <token>`; it stays valid until revoked."
    )
