"""allauth's own messages in Vietnamese: pages, flash messages, form errors and e-mails of the account flows.

allauth ships no Vietnamese catalogue; locale_vendor/vi/LC_MESSAGES/django.po translates its messages. These tests
switch the site to Vietnamese, walk the flows through the real views, and check the vendor catalogue against the
English one of the installed allauth, so an allauth upgrade that adds or changes a message is caught here
(see locale_vendor/README.md to refresh it).
"""

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from techex.accounts.tests.factories import UserFactory
from techex.core.tests.test_vietnamese import PLACEHOLDER, catalogue_key, read_po, translations

PASSWORD = "Mat-khau-2026!"

VENDOR_DIR = Path(settings.BASE_DIR) / "locale_vendor" / "vi" / "LC_MESSAGES"
OWN_PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
ALLAUTH_EN_PO = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The parts of allauth the exchange uses; socialaccount, mfa, usersessions, headless and idp are left out.
USED_SOURCES = re.compile(r"^(account/|templates/account/|templates/allauth/)")


@pytest.fixture(autouse=True)
def vietnamese():
    with override_settings(LANGUAGE_CODE="vi"):
        yield


def _text(response) -> str:
    return response.content.decode()


# --- pages, messages and errors -------------------------------------------------------------------------------------


def test_login_page_is_vietnamese(client, db):
    content = _text(client.get(reverse("account_login")))
    assert "Quên mật khẩu?" in content
    assert "Ghi nhớ đăng nhập" in content
    assert "Forgot your password?" not in content
    assert "Remember Me" not in content


def test_wrong_password_error_is_vietnamese(client, db):
    UserFactory(email="a@example.vn")
    response = client.post(reverse("account_login"), {"login": "a@example.vn", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Địa chỉ email hoặc mật khẩu không đúng."]
    assert "Địa chỉ email hoặc mật khẩu không đúng." in _text(response)


def test_signed_in_message_is_vietnamese(client, db):
    UserFactory(email="lan@example.vn", full_name="Nguyễn Thị Lan")
    response = client.post(reverse("account_login"), {"login": "lan@example.vn", "password": PASSWORD}, follow=True)
    assert "Đăng nhập thành công với tư cách Nguyễn Thị Lan." in _text(response)
    assert "Successfully signed in" not in _text(response)


def test_signed_out_message_is_vietnamese(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"), follow=True)
    assert "Bạn đã đăng xuất." in _text(response)


def test_password_change_page_and_error_are_vietnamese(client, db):
    client.force_login(UserFactory())
    content = _text(client.get(reverse("account_change_password")))
    for expected in ("Đổi mật khẩu", "Mật khẩu hiện tại", "Mật khẩu mới", "Nhập lại mật khẩu mới"):
        assert expected in content, expected
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "khong-dung", "password1": "Song-Hau-2026!", "password2": "Song-Hau-2026!"},
    )
    assert response.context["form"].errors["oldpassword"] == ["Vui lòng nhập đúng mật khẩu hiện tại."]


def test_email_addresses_page_is_vietnamese(client, db):
    client.force_login(UserFactory())
    content = _text(client.get(reverse("account_email")))
    for expected in ("Tài khoản của bạn có các địa chỉ email sau:", "Đặt làm email chính", "Thêm email"):
        assert expected in content, expected


# --- e-mails --------------------------------------------------------------------------------------------------------


def test_sign_up_confirmation_e_mail_is_vietnamese(client, db):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Nguyễn Thị Lan", "email": "lan@example.vn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Vui lòng xác nhận địa chỉ email của bạn"
    assert "Sàn giao dịch công nghệ Cần Thơ xin chào bạn!" in message.body
    assert (
        "Bạn nhận được email này vì người dùng Nguyễn Thị Lan đã dùng địa chỉ email của bạn để đăng ký tài khoản "
        "trên testserver." in message.body
    )
    assert "Để xác nhận, vui lòng mở liên kết sau: http://testserver/accounts/confirm-email/" in message.body
    assert "Cảm ơn bạn đã sử dụng Sàn giao dịch công nghệ Cần Thơ." in message.body
    assert "receiving this email" not in message.body
    assert "To confirm" not in message.body


def test_password_reset_e_mail_is_vietnamese(client, db):
    UserFactory(email="quen@example.vn")
    response = client.post(reverse("account_reset_password"), {"email": "quen@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Liên kết đặt lại mật khẩu"
    assert (
        "Bạn nhận được email này vì bạn hoặc một người khác đã yêu cầu đặt lại mật khẩu cho tài khoản của bạn."
        in message.body
    )
    assert "Để đặt lại mật khẩu, vui lòng mở liên kết bên dưới." in message.body
    assert "http://testserver/accounts/password/reset/key/" in message.body
    assert "password reset" not in message.body.lower()


def test_password_reset_e_mail_for_an_unknown_address_is_vietnamese(client, db):
    client.post(reverse("account_reset_password"), {"email": "khong.co@example.vn"})
    message = mail.outbox[0]
    assert message.subject == "Không tìm thấy tài khoản"
    assert "Nếu đó là bạn, bạn có thể đăng ký tài khoản bằng liên kết bên dưới." in message.body


# --- the vendor catalogue -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vendor_entries() -> list[dict]:
    return read_po(VENDOR_DIR / "django.po")


def _keys(entries) -> set:
    return {(e.get("msgctxt"), e["msgid"]) for e in entries}


def test_vendor_catalogue_is_in_locale_paths_after_ours():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert paths == [Path(settings.BASE_DIR) / "locale", Path(settings.BASE_DIR) / "locale_vendor"]


def test_vendor_catalogue_is_complete_vietnamese(vendor_entries):
    header, entries = vendor_entries[0], vendor_entries[1:]
    assert "Language: vi\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(translations(e))] == []
    wrong = [
        (e["msgid"], text)
        for e in entries
        for text in translations(e)
        if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(text))
    ]
    assert wrong == []


def test_vendor_catalogue_is_compiled(vendor_entries):
    """django.mo is committed: it must hold every entry of django.po with the same text (run msgfmt)."""
    with (VENDOR_DIR / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    stale = [e["msgid"] for e in vendor_entries[1:] if compiled.get(catalogue_key(e)) != translations(e)[0]]
    assert stale == []


def test_vendor_catalogue_matches_the_installed_allauth(vendor_entries):
    """Every message of the account flows of this allauth is translated, and none is left from an older one.

    Fails after an allauth upgrade that adds or rewords a message: refresh as locale_vendor/README.md says.
    """
    english = read_po(ALLAUTH_EN_PO)[1:]
    used = [e for e in english if any(USED_SOURCES.match(ref) for ref in e["references"])]
    assert len(used) > 150
    assert sorted(_keys(used) - _keys(vendor_entries[1:])) == []  # missing here
    # Besides allauth's, the file holds the few Django messages whose Vietnamese Django lacks (their source is django/).
    allauth_entries = [e for e in vendor_entries[1:] if not all(r.startswith("django/") for r in e["references"])]
    assert sorted(_keys(allauth_entries) - _keys(english)) == []  # no longer in allauth


def test_short_password_error_is_vietnamese(client, db):
    with override_settings(LANGUAGE_CODE="vi"):
        response = client.post(
            "/accounts/signup/", {"email": "a@b.vn", "password1": "x9", "password2": "x9", "full_name": "Lan"}
        )
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in response.content.decode()


def test_our_catalogue_wins_over_the_vendor_one(vendor_entries):
    own = {(e.get("msgctxt"), e["msgid"]): translations(e)[0] for e in read_po(OWN_PO)[1:]}
    shared = [e for e in vendor_entries[1:] if (e.get("msgctxt"), e["msgid"]) in own and "msgid_plural" not in e]
    assert shared  # "Confirm", "Cancel", "Hello from %(site_name)s!"…
    with translation.override("vi"):
        shown = {e["msgid"]: translation.gettext(e["msgid"]) for e in shared if "msgctxt" not in e}
    assert shown == {msgid: own[(None, msgid)] for msgid in shown}
