"""Sign-up, e-mail verification, sign-in, password reset and lock-out, through the real allauth and axes views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from techex.accounts.models import User
from techex.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2026!"
NEW_PASSWORD = "Song-Hau-chay-2026"


def _link(message, path_prefix: str) -> str:
    match = re.search(rf"https?://testserver({re.escape(path_prefix)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _unverified_user(email="chua.xac.nhan@example.vn"):
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="Trần Văn Chưa")
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def test_signup_confirm_and_sign_in_end_to_end(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Nguyễn Thị Lan", "email": "lan@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "Confirm your e-mail address" in client.get(response["Location"]).content.decode()
    assert not _signed_in(client)

    user = User.objects.get(email="lan@example.vn")
    assert user.full_name == "Nguyễn Thị Lan"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.vn"]
    assert "Can Tho Technology Exchange" in mail.outbox[0].body
    confirm_url = _link(mail.outbox[0], "/accounts/confirm-email/")

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "lan@example.vn" in page.content.decode()
    assert not EmailAddress.objects.get(user=user).verified  # a GET alone never confirms (mail scanners follow links)

    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert _signed_in(client)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_a_bad_confirmation_link_is_explained(client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "not-a-key"}))
    assert response.status_code == 200
    assert "This confirmation link has expired or is not valid." in response.content.decode()
    assert client.post(reverse("account_confirm_email", kwargs={"key": "not-a-key"})).status_code in (200, 404)


def test_signup_without_full_name_is_refused(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "  ", "email": "x@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.vn").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password2": "different-2026!"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"full_name": "N" * 151}, "full_name"),
    ],
)
def test_signup_bad_input_is_a_field_error(client, data, field):
    post = {"full_name": "Lê Văn Tám", "email": "tam@example.vn", "password1": PASSWORD, "password2": PASSWORD}
    post.update(data)
    response = client.post(reverse("account_signup"), post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == 0


def test_signup_with_a_taken_address_does_not_reveal_the_account(client):
    UserFactory(email="taken@example.vn")
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Kẻ Lạ", "email": "taken@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="taken@example.vn").count() == 1


def test_signup_stores_nfd_name_as_nfc(client):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Phạm Thị Hường")
    client.post(
        reverse("account_signup"),
        {"full_name": nfd, "email": "huong@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="huong@example.vn").full_name == unicodedata.normalize("NFC", nfd)


def test_sign_in_is_refused_before_the_address_is_confirmed(client):
    _unverified_user()
    response = client.post(reverse("account_login"), {"login": "chua.xac.nhan@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not _signed_in(client)
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert len(mail.outbox) == 1  # a fresh confirmation link is sent


def test_sign_in_with_a_confirmed_address(client):
    UserFactory(email="da.xac.nhan@example.vn")
    response = client.post(reverse("account_login"), {"login": "DA.XAC.NHAN@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert _signed_in(client)


def test_wrong_password_is_a_form_error(client):
    UserFactory(email="a@example.vn")
    response = client.post(reverse("account_login"), {"login": "a@example.vn", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not _signed_in(client)


def test_password_reset_by_email(client):
    user = UserFactory(email="quen@example.vn")
    response = client.post(reverse("account_reset_password"), {"email": "quen@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0], "/accounts/password/reset/key/")

    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key into the session so it does not leak via Referer
    form_url = response["Location"]
    assert "Set a new password" in client.get(form_url).content.decode()

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)

    client.logout()
    client.post(reverse("account_login"), {"login": "quen@example.vn", "password": NEW_PASSWORD})
    assert _signed_in(client)


def test_used_reset_link_is_refused(client):
    UserFactory(email="quen@example.vn")
    client.post(reverse("account_reset_password"), {"email": "quen@example.vn"})
    reset_url = _link(mail.outbox[0], "/accounts/password/reset/key/")
    form_url = client.get(reset_url)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    response = client.get(reset_url)
    assert "This link does not work" in response.content.decode()


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_lock_out_after_repeated_failures(client):
    UserFactory(email="bi.khoa@example.vn")
    limit = settings.AXES_FAILURE_LIMIT
    url = reverse("account_login")
    for _ in range(limit - 1):
        response = client.post(url, {"login": "bi.khoa@example.vn", "password": "sai-mat-khau"})
        assert response.status_code == 200
    response = client.post(url, {"login": "bi.khoa@example.vn", "password": "sai-mat-khau"})
    assert response.status_code in (403, 429)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "Try again in 30 minutes." in response.content.decode()

    response = client.post(url, {"login": "bi.khoa@example.vn", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not _signed_in(client)


def test_lock_out_is_per_account_and_ignores_letter_case(client):
    UserFactory(email="bi.khoa@example.vn")
    UserFactory(email="khac@example.vn")
    url = reverse("account_login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        login = "BI.KHOA@example.vn" if n % 2 else "bi.khoa@example.vn"
        client.post(url, {"login": login, "password": "sai-mat-khau"})
    assert client.post(url, {"login": "bi.khoa@example.vn", "password": PASSWORD}).status_code in (403, 429)
    # Someone else on the same network (one NAT for a whole university) may still sign in.
    response = client.post(url, {"login": "khac@example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_reset_password_from_key_done",
    ],
)
def test_account_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content and "card narrow" in content


def test_signup_form_asks_for_the_full_name(client):
    assert 'name="full_name"' in client.get(reverse("account_signup")).content.decode()


def test_signed_in_pages_of_allauth_use_the_site_layout(client):
    client.force_login(UserFactory())
    for name in ("account_logout", "account_change_password", "account_email"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="site-header"' in response.content.decode(), name


def test_sign_out(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _signed_in(client)
