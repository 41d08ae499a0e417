"""The import pages explain themselves in the app, in Vietnamese and English, instead of citing developer files."""

import pytest
from django.urls import reverse
from django.utils import translation

from techex.listings.models import ImportJob
from techex.listings.tabular import COLUMNS

DEVELOPER_WORDS = ("docs/import-format.md", "db_worker", "manage.py")


@pytest.fixture(autouse=True)
def _restore_language():
    # A request in Vietnamese leaves Vietnamese active in this thread; later tests read English messages.
    with translation.override(translation.get_language()):
        yield


@pytest.mark.parametrize(("language", "heading"), [("vi", "Hướng dẫn nhập tin từ tệp"), ("en", "Importing listings")])
def test_the_import_help_page_names_every_column_in_each_language(client, staff, settings, language, heading):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("listings:import_help"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    missing = [name for name in COLUMNS if f"<code>{name}</code>" not in html]
    assert missing == []
    assert not any(word in html for word in DEVELOPER_WORDS)


def test_the_import_help_page_is_for_staff_only(client, owner):
    assert client.get(reverse("listings:import_help")).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("listings:import_help")).status_code == 404


def test_the_import_pages_link_the_help_and_cite_no_developer_file(client, staff, settings):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    help_url = reverse("listings:import_help")
    upload = client.get(reverse("listings:import")).content.decode()
    assert f'href="{help_url}"' in upload
    job = ImportJob.objects.create(created_by=staff, original_name="tin.csv", file="imports/x.csv")
    waiting = client.get(job.get_absolute_url()).content.decode()
    assert f'href="{help_url}"' in waiting and "Lượt nhập sẽ bắt đầu trong giây lát" in waiting
    for html in (upload, waiting):
        assert not any(word in html for word in DEVELOPER_WORDS)
