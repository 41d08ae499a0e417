"""Numbers and dates in the locale's formats (config/formats): grouped in Vietnamese, unambiguous in English."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from techex.listings.form_fields import group_thousands

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "techex"]


def render(source: str, **context) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "grouped"), [("vi", "1.332"), ("en", "1,332")])
def test_a_number_in_a_template_is_grouped_in_the_language(language, grouped):
    with translation.override(language):
        assert render("{{ n }}", n=1332) == grouped
        assert render("{{ n|intcomma }}", n=1332) == grouped
        assert group_thousands(1_500_000) == ("1.500.000" if language == "vi" else "1,500,000")


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [("vi", "07/12/2026", "Ngày 07 tháng 12 năm 2026"), ("en", "7 Dec 2026", "7 December 2026")],
)
def test_a_date_reads_day_first_in_both_languages(language, short, long):
    day = datetime.date(2026, 12, 7)
    with translation.override(language):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert render("{{ day|date }}", day=day) == long
        assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=day) == short


def test_ids_written_into_html_are_not_grouped():
    """Every integer a template prints is grouped (1.332), so an id in an attribute must be ``|unlocalize``d."""
    # (A form field's auto_id and allauth's attrs.id are strings.)
    bare_id = re.compile(r"\{\{\s*[\w.]*(?:\.pk|(?<!attrs)\.id|(?<!auto)_id)\s*\}\}")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in sorted(folder.rglob("*.html"))
        for match in bare_id.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    with translation.override("vi"):
        assert render("{% load l10n %}{{ n|unlocalize }}", n=1332) == "1332"


def test_numeric_attributes_are_not_grouped():
    """A browser reads maxlength="1,000" as 1 (a search box that took one letter): numbers in such attributes are
    ``|unlocalize``d."""
    numeric = re.compile(
        r'\b(?:maxlength|minlength|max|min|step|size|colspan|rowspan)="\{\{(?![^}]*unlocalize)[^}]*\}\}"'
    )
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in sorted(folder.rglob("*.html"))
        for match in numeric.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
