"""The indicators' definitions are written once: docs/statistics.md is what ``manage.py statistics_docs`` writes."""

from techex.statistics import targets
from techex.statistics.docs import DOC_PATH, render
from techex.statistics.indicators import INDICATORS, PUBLIC


def test_the_committed_doc_states_the_code_s_definitions():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run: python manage.py statistics_docs"


def test_every_indicator_is_defined_in_both_languages():
    keys = [i.key for i in INDICATORS + PUBLIC]
    assert len(keys) == len(set(keys))
    for indicator in INDICATORS + PUBLIC:
        assert indicator.definition_vi.strip() and indicator.definition_en.strip()
        assert indicator.definition_vi != indicator.definition_en


def test_targets_in_force():
    assert str(targets.target_for(targets.VALUE_GROWTH, 2024)) == "0.25"
    assert str(targets.target_for(targets.VALUE_GROWTH, 2026)) == "0.30"
    assert str(targets.target_for(targets.IP_SHARE, 2030)) == "0.20"
    assert targets.target_for(targets.INSTITUTES_SHARE, 2031) is None
