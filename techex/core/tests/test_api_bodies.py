"""Bodies the API cannot read are answered in JSON with a clear message, never a 500 or Django's HTML page."""

import pytest

from techex.core.tests.api import api

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/api/v1/organizations/"


def test_deeply_nested_json_is_a_400(owner):
    response = api(owner).generic("POST", ORGANIZATIONS, b"[" * 200_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The JSON is nested too deeply."]}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The request body is too large; the limit is 2.5\xa0MB."),
        ("vi", "Nội dung yêu cầu quá lớn; giới hạn là 2,5\xa0MB."),
    ],
)
def test_a_body_beyond_the_upload_limit_is_a_json_413(owner, language, message):
    body = b'{"name": "' + b"x" * 3_000_000 + b'"}'
    response = api(owner).generic(
        "POST", ORGANIZATIONS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message}
