"""The registry of kinds and the text of every deal kind."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from techex.notifications import kinds
from techex.notifications.kinds import get_kind, register, registered_kinds, render

DEAL_KINDS = {
    "deal.inquiry": "Công ty Lúa Vàng is interested in “Máy sấy lúa” (deal CT-GD-2026-00001).",
    "deal.forwarded": "The broker forwarded an inquiry about “Máy sấy lúa” to you (deal CT-GD-2026-00001).",
    "deal.accepted": (
        "Công ty Lúa Vàng accepted your inquiry about “Máy sấy lúa” (deal CT-GD-2026-00001): "
        "you can now see each other's contacts."
    ),
    "deal.declined": "Công ty Lúa Vàng declined your inquiry about “Máy sấy lúa” (deal CT-GD-2026-00001).",
    "deal.withdrawn": "Công ty Lúa Vàng withdrew its inquiry about “Máy sấy lúa” (deal CT-GD-2026-00001).",
    "deal.dropped": "Deal CT-GD-2026-00001 about “Máy sấy lúa” was closed without agreement.",
    "deal.negotiation_started": "Negotiation has started in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.message": "New message from Công ty Lúa Vàng in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.proposal": "Công ty Lúa Vàng made a proposal in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.proposal_countered": "Công ty Lúa Vàng made a counter-proposal in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.proposal_accepted": (
        "Công ty Lúa Vàng accepted the proposal in deal CT-GD-2026-00001 about “Máy sấy lúa”: the terms are agreed."
    ),
    "deal.proposal_rejected": "Công ty Lúa Vàng rejected the proposal in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.proposal_withdrawn": "Công ty Lúa Vàng withdrew its proposal in deal CT-GD-2026-00001 about “Máy sấy lúa”.",
    "deal.nda_requested": (
        "Công ty Lúa Vàng asks for a non-disclosure agreement in deal CT-GD-2026-00001 about “Máy sấy lúa”."
    ),
    "deal.nda_signed": (
        "Công ty Lúa Vàng uploaded the signed non-disclosure agreement of deal CT-GD-2026-00001: please confirm it."
    ),
    "deal.nda_in_force": "The non-disclosure agreement of deal CT-GD-2026-00001 about “Máy sấy lúa” is in force.",
    "deal.contract_recorded": "The contract of deal CT-GD-2026-00001 about “Máy sấy lúa” was recorded.",
    "deal.registration_updated": (
        "The registration of the contract of deal CT-GD-2026-00001 about “Máy sấy lúa” was updated."
    ),
    "deal.completed": "Deal CT-GD-2026-00001 about “Máy sấy lúa” is completed.",
    "deal.broker_assigned": (
        "Công ty Lúa Vàng was assigned as the broker of deal CT-GD-2026-00001 about “Máy sấy lúa”."
    ),
}
PARAMS = {"deal": "CT-GD-2026-00001", "listing": "Máy sấy lúa", "organization": "Công ty Lúa Vàng"}


@pytest.fixture
def registry():
    """Leave the registry as it was after a test that registers kinds."""
    saved = dict(kinds._REGISTRY)
    yield
    kinds._REGISTRY.clear()
    kinds._REGISTRY.update(saved)


@pytest.mark.parametrize(("key", "expected"), DEAL_KINDS.items())
def test_every_deal_kind_renders_with_the_deal_params(key, expected):
    kind = get_kind(key)
    assert kind is not None and kind.params <= set(PARAMS)
    assert render(key, PARAMS) == expected


def test_every_deal_event_of_the_deals_contract_has_a_kind():
    assert {kind.key for kind in registered_kinds() if kind.key.startswith("deal.")} == set(DEAL_KINDS)


def test_text_follows_the_readers_language_not_the_writers(registry):
    register("test.greeting", _("Not found."))  # a message the catalogue already translates
    with translation.override("vi"):
        assert render("test.greeting", {}) == "Không tìm thấy."
    with translation.override("en"):
        assert render("test.greeting", {}) == "Not found."


def test_a_missing_param_reads_as_an_ellipsis_and_an_unknown_kind_as_a_generic_text():
    assert render("deal.completed", {"deal": "CT-GD-2026-00001"}) == "Deal CT-GD-2026-00001 about “…” is completed."
    assert render("no.such_kind", PARAMS) == "You have a new notification."


def test_params_are_not_interpreted_as_format_strings():
    assert (
        render("deal.completed", {"deal": "%(listing)s", "listing": "%s %d"})
        == "Deal %(listing)s about “%s %d” is completed."
    )


def test_register_refuses_bad_keys_and_a_second_message_for_a_key(registry):
    with pytest.raises(ValueError, match="dotted lower-case name"):
        register("Deal Inquiry", "x")
    with pytest.raises(ValueError, match="dotted lower-case name"):
        register("nodot", "x")
    register("test.same", "Once")
    assert register("test.same", "Once").source == "Once"  # the same again is harmless (a module imported twice)
    with pytest.raises(ValueError, match="already registered with another message"):
        register("test.same", "Twice")


def test_digest_kinds_are_marked(registry):
    assert register("test.match", "A match for %(listing)s", digest=True).digest
    assert not get_kind("deal.inquiry").digest
