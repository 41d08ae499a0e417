"""The reference data shipped in data/reference loads completely and can be loaded again safely."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from techex.reference.models import TRL, IPCClass, Province, STField, VSICCode, Ward

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "communes": Ward.objects.count(),
        "st_fields": STField.objects.count(),
        "trl": TRL.objects.count(),
        "ipc": IPCClass.objects.count(),
        "vsic": VSICCode.objects.count(),
    }


def test_everything_is_loaded(reference_data):
    assert counts() == {"provinces": 34, "communes": 3321, "st_fields": 301, "trl": 9, "ipc": 786, "vsic": 109}
    assert set(Province.objects.filter(is_mekong=True).values_list("code", flat=True)) == {
        "80",
        "82",
        "86",
        "91",
        "92",
        "96",
    }
    assert Province.objects.get(code="92").name == "Cần Thơ"
    assert Ward.objects.filter(province_id="92").count() == 103


def test_fields_are_a_hierarchy(reference_data):
    major = STField.objects.get(code="10101")
    assert (major.level, major.parent.code, major.parent.parent.code) == (3, "101", "1")
    assert STField.objects.filter(level=1).count() == 6
    assert STField.objects.get(code="4").name == "Khoa học nông nghiệp"


def test_trl_has_both_languages(reference_data):
    level = TRL.objects.get(level=1)
    assert level.name == "Nguyên lý cơ bản đã được quan sát"
    assert level.name_en == "Basic principles observed"


def test_loading_again_changes_nothing_and_repairs_edits(reference_data):
    Province.objects.filter(code="92").update(name="Sai tên")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert counts()["communes"] == 3321
    assert Province.objects.get(code="92").name == "Cần Thơ"
    assert out.getvalue().strip() == (
        "provinces: 34, communes: 3321, st_fields: 301, trl: 9, ipc: 786, vsic: 109, commune_successions: 10599"
    )


def test_commune_options_follow_the_province(client, reference_data):
    html = client.get(reverse("reference:ward_options"), {"province": "92", "ward": "31135"}).content.decode()
    assert html.count("<option") == 104  # the prompt and Cần Thơ's 103 communes
    assert "Phường Ninh Kiều" in html
    assert html.count(" selected") == 1 and '<option value="31135" selected>Phường Ninh Kiều</option>' in html
    empty = client.get(reverse("reference:ward_options"), {"province": "<script>"}).content.decode()
    assert empty.count("<option") == 1 and "<script>" not in empty
