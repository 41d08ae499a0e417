"""The contract: recording the agreed terms, who transfers to whom, and registration under Art. 31."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from techex.deals import selectors, services
from techex.deals.choices import DealStage, RegistrationStatus
from techex.deals.models import Contract, registration_compulsory
from techex.deals.states import DealError
from techex.deals.tests.factories import contract_terms, deal_parties, make_deal, make_intermediary, member_of
from techex.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(parties):
    return make_deal(parties, stage="agreed")


@pytest.mark.parametrize(
    ("cross_border", "state_budget", "st_task_registered", "compulsory"),
    [
        ("domestic", False, False, False),
        ("domestic", True, False, True),
        ("domestic", True, True, False),  # the S&T task result is already registered
        ("into_vietnam", False, False, True),
        ("out_of_vietnam", False, True, True),
    ],
)
def test_registration_is_compulsory_as_article_31_says(cross_border, state_budget, st_task_registered, compulsory):
    assert (
        registration_compulsory(
            cross_border=cross_border, state_budget=state_budget, st_task_registered=st_task_registered
        )
        is compulsory
    )


def test_record_the_agreed_terms(parties, agreed, run_on_commit):
    draft = selectors.contract_draft(deal=agreed)
    assert (draft.value_vnd, draft.transfer_objects, draft.signed_on) == (
        750_000_000,
        ("know_how", "technical_documents"),
        timezone.localdate(),
    )
    contract = run_on_commit(services.contract_record, user=parties.owner, deal=agreed, terms=draft)
    # An offer: the owner hands the technology over, the inquirer receives it.
    assert (contract.transferor_name, contract.transferee_name) == (parties.owner_org.name, parties.inquirer_org.name)
    assert contract.registration_status == RegistrationStatus.NOT_NEEDED and contract.in_force
    deal = selectors.deal_get_for_user(user=parties.owner, reference_code=agreed.reference_code)
    assert (deal.stage, deal.value_vnd) == (DealStage.SIGNED, 750_000_000)
    assert deal.reached_signed_at is not None
    assert Notification.objects.filter(recipient=parties.inquirer, kind="deal.contract_recorded").count() == 1


def test_need_listing_turns_the_sides_round(reference_data):
    parties = deal_parties(kind="need")
    deal = make_deal(parties, stage="signed")
    assert (deal.contract.transferor_name, deal.contract.transferee_name) == (
        parties.inquirer_org.name,
        parties.owner_org.name,
    )
    assert deal.transferor_organization == parties.inquirer_org


def test_broker_may_record_on_the_parties_behalf(parties, agreed):
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=agreed, broker=broker_org)
    contract = services.contract_record(user=broker, deal=agreed, terms=contract_terms())
    assert (contract.recorded_by, contract.recorded_side) == (broker, "broker")


def test_record_refusals(parties, agreed):
    with pytest.raises(PermissionDenied, match="Only the parties to the deal or its broker may record"):
        services.contract_record(user=parties.staff, deal=agreed, terms=contract_terms())
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.contract_record(user=parties.owner, deal=agreed, terms=contract_terms(signed_on=tomorrow))
    assert error.value.message_dict == {"signed_on": ["The signing date cannot be in the future."]}
    long_ago = timezone.localdate() - timedelta(days=400)
    with pytest.raises(ValidationError, match="before the deal began"):
        services.contract_record(user=parties.owner, deal=agreed, terms=contract_terms(signed_on=long_ago))
    with pytest.raises(ValidationError) as error:
        services.contract_record(
            user=parties.owner, deal=agreed, terms=contract_terms(value_vnd=None, royalty_percent=None)
        )
    assert error.value.message_dict == {"value_vnd": ["Give the contract's value, its royalty or both."]}
    with pytest.raises(ValidationError) as error:
        services.contract_record(user=parties.owner, deal=agreed, terms=contract_terms(cross_border="mars"))
    assert error.value.message_dict == {"cross_border": ["Say where the technology goes from and to."]}
    assert not Contract.objects.exists()
    assert selectors.deal_get_for_user(user=parties.owner, reference_code=agreed.reference_code).stage == "agreed"


@pytest.mark.parametrize("stage", ["inquiry", "accepted", "negotiating"])
def test_record_before_agreement_names_the_stage(parties, stage):
    deal = make_deal(parties, stage=stage)
    with pytest.raises(DealError) as error:
        services.contract_record(user=parties.owner, deal=deal, terms=contract_terms())
    assert error.value.messages == [f"A deal cannot go from “{DealStage(stage).label}” to “Contract signed”."]


def test_registration_is_followed_to_certification(parties, agreed, run_on_commit):
    contract = services.contract_record(user=parties.owner, deal=agreed, terms=contract_terms(state_budget=True))
    assert contract.registration_status == RegistrationStatus.NEEDED and not contract.in_force
    with pytest.raises(DealError) as error:
        services.contract_registration_update(user=parties.owner, contract=contract, status="certified")
    assert error.value.message_dict == {"status": ["The registration cannot go from “Needed” to “Certified”."]}
    contract = run_on_commit(
        services.contract_registration_update, user=parties.inquirer, contract=contract, status="submitted"
    )
    assert contract.registration_submitted_on == timezone.localdate()
    assert Notification.objects.filter(recipient=parties.owner, kind="deal.registration_updated").count() == 1
    with pytest.raises(ValidationError) as error:
        services.contract_registration_update(user=parties.staff, contract=contract, status="certified")
    assert error.value.message_dict == {"number": ["Give the number of the registration certificate."]}
    with pytest.raises(ValidationError) as error:
        services.contract_registration_update(
            user=parties.staff,
            contract=contract,
            status="certified",
            number="12/GCN",
            certified_on=timezone.localdate() - timedelta(days=3),
        )
    assert error.value.message_dict == {
        "certified_on": ["The certificate cannot be dated before the contract was signed."]
    }
    contract = services.contract_registration_update(
        user=parties.staff, contract=contract, status="certified", number="12/GCN", certified_on=timezone.localdate()
    )
    assert contract.in_force and contract.registration_number == "12/GCN"
    with pytest.raises(DealError, match="already certified"):
        services.contract_registration_update(user=parties.owner, contract=contract, status="submitted")


def test_registration_sent_back_goes_to_needed(parties, agreed):
    contract = services.contract_record(
        user=parties.owner, deal=agreed, terms=contract_terms(cross_border="into_vietnam")
    )
    services.contract_registration_update(user=parties.owner, contract=contract, status="submitted")
    contract = services.contract_registration_update(user=parties.owner, contract=contract, status="needed")
    assert contract.registration_status == "needed" and contract.registration_submitted_on is None


def test_voluntary_contract_has_no_registration_to_follow(parties, agreed):
    contract = services.contract_record(user=parties.owner, deal=agreed, terms=contract_terms())
    with pytest.raises(DealError) as error:
        services.contract_registration_update(user=parties.owner, contract=contract, status="submitted")
    assert error.value.messages == ["This contract does not need registration."]
    outsider = member_of(make_intermediary(name="Ai đó"))
    with pytest.raises(PermissionDenied):
        services.contract_registration_update(user=outsider, contract=contract, status="submitted")
