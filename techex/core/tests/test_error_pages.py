"""`make run` (config.settings.local) serves the site's own 404 and 500 pages in Vietnamese, never Django's technical
pages (which list every URL pattern, in English)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Run under the local settings in a process of its own (settings are read once per process); no database is needed
# for an anonymous visitor's error page.
LOCAL_RUN = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
with override_settings(ROOT_URLCONF="tests.error_urls"):
    missing = client.get("/trang-go-nham/")
    crash = client.get("/crash-for-test/")
print(json.dumps({
    "debug": settings.DEBUG,
    "missing": [missing.status_code, missing.content.decode()],
    "crash": [crash.status_code, crash.content.decode()],
}))
"""


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('local') / 'db.sqlite3'}"
    result = subprocess.run(  # noqa: S603 (our own script, run with this interpreter)
        [sys.executable, "-c", LOCAL_RUN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_run_has_debug_off(local_run):
    assert local_run["debug"] is False


def test_the_default_run_answers_a_mistyped_url_with_the_sites_404_in_vietnamese(local_run):
    status, html = local_run["missing"]
    assert status == 404
    assert "Không tìm thấy trang" in html
    assert '<html lang="vi">' in html
    assert "Using the URLconf" not in html  # Django's technical 404


def test_the_default_run_answers_a_crash_with_the_sites_500_in_vietnamese(local_run):
    status, html = local_run["crash"]
    assert status == 500
    assert "Đã xảy ra lỗi" in html
    assert "Traceback" not in html and "RuntimeError" not in html
