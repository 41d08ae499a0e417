"""API tokens: obtaining one with e-mail and password (under the sign-in lock-out), using and revoking it."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from techex.accounts.models import User
from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
PASSWORD = "Mat-khau-2026!"
WRONG = {"non_field_errors": ["The e-mail address or the password is not right."]}


def obtain(email: str, password: str = PASSWORD):
    return APIClient().post(TOKEN, {"email": email, "password": password}, format="json")


def test_obtain_token_and_use_it(reference_data):
    user = UserFactory(email="lan@example.vn")
    response = obtain("Lan@Example.vn ")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key
    assert obtain("lan@example.vn").json()["token"] == key  # one token per account
    assert AuditEntry.objects.filter(action="account.token_issue", target_id=str(user.pk)).count() == 1
    user.refresh_from_db()
    assert user.last_login is not None

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/listings/", {"mine": "true"}).status_code == 200


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"email": "lan@example.vn", "password": "sai-mat-khau"}, WRONG),
        ({"email": "khong-ai@example.vn", "password": PASSWORD}, WRONG),
        ({"email": "lan@example.vn"}, {"password": ["This field is required."]}),
        ({"email": 5, "password": PASSWORD}, {"email": ["Not a valid string."]}),
        (
            {"email": "lan@example.vn", "password": PASSWORD, "remember": True},
            {"remember": ["This field is not accepted here."]},
        ),
    ],
)
def test_obtain_refused(db, payload, errors):
    UserFactory(email="lan@example.vn")
    response = APIClient().post(TOKEN, payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not Token.objects.exists()


def test_obtain_ignores_a_stale_token(db):
    UserFactory(email="lan@example.vn")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token revoked-long-ago")
    response = client.post(TOKEN, {"email": "lan@example.vn", "password": PASSWORD}, format="json")
    assert response.status_code == 200


def test_obtain_refused_until_email_is_confirmed(db):
    user = User.objects.create_user(email="moi@example.vn", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = obtain("moi@example.vn")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Confirm your e-mail address (see the message we sent) before signing in."]
    }


def test_obtain_refused_for_inactive_account(db):
    UserFactory(email="nghi@example.vn", is_active=False)
    assert obtain("nghi@example.vn").json() == WRONG


def test_repeated_failures_lock_out_in_json(db):
    UserFactory(email="lan@example.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain("lan@example.vn", "sai").status_code == 400
    locked = obtain("lan@example.vn", "sai")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json() == {"detail": "Too many failed sign-in attempts. Try again later."}
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Even the right password is refused while locked out.
    assert obtain("lan@example.vn").status_code == 429
    assert not Token.objects.exists()


def test_lock_out_counts_per_account(db):
    UserFactory(email="lan@example.vn")
    UserFactory(email="binh@example.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        obtain("lan@example.vn", "sai")
    assert obtain("binh@example.vn").status_code == 200


def test_revoke_token(db):
    user = UserFactory()
    key = obtain(user.email).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(TOKEN).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    response = client.get("/api/v1/listings/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_revoke_needs_sign_in(db):
    response = APIClient().delete(TOKEN)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
