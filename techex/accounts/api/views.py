"""API tokens: obtain one with e-mail and password, revoke it."""

from allauth.account.utils import has_verified_email
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techex.core.api import ApiViewMixin, error_responses

from ..lockout import retry_after_seconds
from ..requests import AuthenticatedRequest
from ..services import token_issue, token_revoke
from .serializers import TokenObtainSerializer, TokenSerializer

WRONG_CREDENTIALS = _("The e-mail address or the password is not right.")
UNVERIFIED = _("Confirm your e-mail address (see the message we sent) before signing in.")
LOCKED_OUT = _("Too many failed sign-in attempts. Try again later.")
SLOWED_DOWN = _("Too many sign-in attempts for this account. Wait a few seconds and try again.")


class TokenView(ApiViewMixin, APIView):
    """The caller's API token."""

    def get_authenticators(self):
        # Obtaining a token needs no credentials, and a stale token a client sends out of habit must not stand in
        # the way of getting a new one.
        request = getattr(self, "request", None)  # None while the schema is generated
        if request is not None and request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(
        summary="Obtain an API token",
        description=(
            "Sign in with e-mail and password; the same lock-out as the sign-in page applies (429 after repeated "
            "failures from one address; 429 for a few seconds at a time after many failures for the account). The "
            "answer is the account's one token, the same on every call until it is revoked."
        ),
        request=TokenObtainSerializer,
        responses={200: TokenSerializer, **error_responses(400, 415, authenticates=False)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].strip().lower()
        # django-axes watches authenticate(): it refuses a locked-out login and counts every failure.
        http_request = request._request
        user = authenticate(request=http_request, email=email, password=serializer.validated_data["password"])
        if getattr(http_request, "axes_locked_out", False):
            # Answered here in JSON; left set, axes' middleware would replace this answer with the HTML page.
            http_request.axes_locked_out = False  # type: ignore[attr-defined]  # set by django-axes (untyped)
            slowed_down = bool(getattr(http_request, "signin_wait_seconds", 0))
            return Response(
                {"detail": SLOWED_DOWN if slowed_down else LOCKED_OUT},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(retry_after_seconds(http_request))},
            )
        if user is None:
            raise ValidationError({"non_field_errors": [WRONG_CREDENTIALS]})
        if not has_verified_email(user):
            raise ValidationError({"non_field_errors": [UNVERIFIED]})
        # A token is a sign-in: axes resets the failure count, Django records the last login.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response({"token": token_issue(user=user).key})

    @extend_schema(
        summary="Revoke your API token",
        description="Deletes the token; obtain a new one to use the API with a token again.",
        request=None,
        responses={204: None, **error_responses(403)},
    )
    def delete(self, request: AuthenticatedRequest) -> Response:
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
