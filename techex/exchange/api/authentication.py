"""API keys on every API endpoint: ``Authorization: Api-Key <prefix>.<secret>``.

A key does not sign anyone in: its requests see what the public sees, at the key's own rate (``read``), and the feed
of changes (``harvest``). A wrong, malformed or revoked key is a 401, never a silent fall back to anonymous.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ..models import ApiKey
from ..services import api_key_find, api_key_used

KEYWORD = b"api-key"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request) -> tuple[AnonymousUser, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the API key as “Authorization: Api-Key <key>”."))
        try:
            text = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("This API key is not valid or was revoked.")) from error
        key = api_key_find(text=text)
        if key is None:
            raise AuthenticationFailed(_("This API key is not valid or was revoked."))
        api_key_used(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return "Api-Key"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A key issued by the exchange's staff to a partner system: `Api-Key <prefix>.<secret>`. "
            "Scopes: `read` (the public API at the key's own rate), `harvest` (the feed of changes).",
        }
