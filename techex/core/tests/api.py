"""Helpers for API tests."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
NOT_FOUND = {"detail": "Not found."}
STAFF_ONLY = {"detail": "Only the exchange's staff may do this."}


def api(user=None) -> APIClient:
    """A client signed in with the user's token (or anonymous)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
