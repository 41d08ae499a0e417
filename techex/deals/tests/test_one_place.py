"""Each limit of a deal's texts and terms is the model's: the forms and the API read it, and never restate it."""

import pytest
from django.db import models

from techex.core.forms import value_bounds

from ..api.serializers import ContractTermsSerializer, ProposalTermsSerializer
from ..choices import DealAction, DealAuditAction
from ..forms import (
    TERMS_FIELDS,
    ContractRecordForm,
    InquiryForm,
    MessageForm,
    NDATemplateForm,
    ProposalForm,
    ReasonForm,
    RegistrationForm,
)
from ..models import Contract, Deal, DealMessage, NDATemplate, Proposal, TransferTerms
from ..states import TRANSITIONS

# Declared on the forms because the model cannot say them: a list of boxes, a percentage typed as people type it.
DECLARED = {"transfer_objects", "royalty_percent"}


@pytest.mark.parametrize("form_class", [ProposalForm, ContractRecordForm])
def test_the_terms_forms_are_built_from_the_abstract_terms_model(form_class):
    fields = form_class.base_fields
    assert set(TERMS_FIELDS) <= set(fields)
    for name in set(TERMS_FIELDS) - DECLARED:
        model_field = TransferTerms._meta.get_field(name)
        # A box to tick is never required (unticked is False); every other field is required unless blank=True.
        assert fields[name].required is not (model_field.blank or isinstance(model_field, models.BooleanField)), name
        if model_field.choices:
            assert list(fields[name].choices) == list(model_field.choices), name
        else:
            assert getattr(fields[name], "max_length", None) == model_field.max_length, name
    low, high = value_bounds(TransferTerms, "term_months")
    assert (fields["term_months"].min_value, fields["term_months"].max_value) == (low, high) == (1, 1200)


@pytest.mark.parametrize("serializer_class", [ProposalTermsSerializer, ContractTermsSerializer])
def test_the_api_takes_the_same_term_as_the_model(serializer_class):
    field = serializer_class().fields["term_months"]
    assert (field.min_value, field.max_value) == value_bounds(TransferTerms, "term_months")


@pytest.mark.parametrize(
    ("form_class", "name", "model", "model_name"),
    [
        (ProposalForm, "note", Proposal, "note"),
        (ProposalForm, "technical_assistance", Proposal, "technical_assistance"),
        (ProposalForm, "territory", Proposal, "territory"),
        (ContractRecordForm, "territory", Contract, "territory"),
        (InquiryForm, "message", Deal, "message"),
        (InquiryForm, "who_we_are", Deal, "who_we_are"),
        (InquiryForm, "intended_use", Deal, "intended_use"),
        (InquiryForm, "timeline_budget", Deal, "timeline_budget"),
        (ReasonForm, "reason", Deal, "close_reason"),
        (ReasonForm, "reason", Proposal, "response_reason"),
        (MessageForm, "body", DealMessage, "body"),
        (NDATemplateForm, "title", NDATemplate, "title"),
        (NDATemplateForm, "body", NDATemplate, "body"),
        (RegistrationForm, "number", Contract, "registration_number"),
    ],
)
def test_each_text_of_a_deal_form_has_its_model_fields_limit(form_class, name, model, model_name):
    assert form_class.base_fields[name].max_length == model._meta.get_field(model_name).max_length


def test_the_model_limits_won_where_the_copies_disagreed():
    """Forms said 600 months and 4,000 characters of note; the model says 1,200 and 2,000."""
    form = ProposalForm(
        data={
            "contract_form": "standalone",
            "transfer_objects": ["know_how"],
            "licence": "assignment",
            "exclusive": "on",
            "price_vnd": "1000",
            "term_months": "1000",
            "note": "x" * 2001,
        }
    )
    assert not form.is_valid()
    assert "term_months" not in form.errors
    assert form.errors["note"] == ["Keep this under 2,000 characters (it has 2,001)."]


def test_every_action_has_a_role_rule_and_a_state_rule():
    from ..permissions import ROLE_RULES
    from ..states import STATE_RULES

    assert set(ROLE_RULES) == set(STATE_RULES)
    assert all(isinstance(action, DealAction) for action in (*ROLE_RULES, *STATE_RULES, *TRANSITIONS))


def test_every_transition_has_its_audit_entry_and_every_entry_a_timeline_label():
    from ..selectors import TIMELINE_LABELS

    assert {DealAuditAction(f"deal.{action}") for action in TRANSITIONS} <= set(DealAuditAction)
    assert set(TIMELINE_LABELS) == set(DealAuditAction) - {DealAuditAction.NDA_TEMPLATE}


def test_the_audit_names_stored_in_the_database_keep_their_values():
    assert {action.value for action in DealAuditAction} == {
        *(f"deal.{name}" for name in ["inquire", "forward", "accept", "decline", "withdraw", "drop"]),
        *(f"deal.{name}" for name in ["start_negotiation", "agree", "sign", "complete", "assign_broker", "message"]),
        *(f"deal.proposal{name}" for name in ["", ".accept", ".reject", ".counter", ".withdraw"]),
        *(f"deal.nda.{name}" for name in ["request", "accept", "upload", "confirm", "in_force", "cancel"]),
        "deal.contract.record",
        "deal.contract.registration",
        "deal.nda_template",
    }
