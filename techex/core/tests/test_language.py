"""The exchange speaks Vietnamese unless a visitor chooses English; API clients may ask with Accept-Language."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(LANGUAGE_CODE="vi")
def test_pages_ignore_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


@override_settings(LANGUAGE_CODE="vi")
def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/")["Content-Language"] == "en"


@override_settings(LANGUAGE_CODE="vi")
def test_api_follows_accept_language(client):
    assert client.get("/api/v1/provinces/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert client.get("/api/v1/provinces/")["Content-Language"] == "vi"


def test_api_docs_use_local_assets(client):
    body = client.get("/api/docs/").content.decode()
    assert "cdn" not in body.lower()
    assert "/static/drf_spectacular_sidecar/" in body
