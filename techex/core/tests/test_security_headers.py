"""Every answer, page or API, carries the Content-Security-Policy and the Permissions-Policy."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/listings/", "/no-such-page/"])
def test_policies_on_pages_and_api(client, path):
    response = APIClient().get(path) if path.startswith("/api/") else client.get(path)
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"):
        assert directive in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions and "microphone=()" in permissions


def test_the_api_docs_inline_script_carries_the_nonce(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_no_template_has_what_the_policy_refuses():
    """Inline style attributes, event handler attributes, and <script>/<style> blocks without the nonce."""
    import re
    from pathlib import Path

    from django.conf import settings

    refused = re.compile(r"""\sstyle=|\son[a-z]+=["']|<script(?![^>]*\b(src|nonce)=)[^>]*>|<style(?![^>]*\bnonce=)""")
    roots = [settings.BASE_DIR / "templates", *Path(settings.BASE_DIR / "techex").glob("*/templates")]
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for root in roots
        for path in root.rglob("*.html")
        for match in refused.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
