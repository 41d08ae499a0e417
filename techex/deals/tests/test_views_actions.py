"""Every action form of the deal page: what it changes when the input is right, and what it says when it is not."""

from datetime import timedelta
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from techex.deals.choices import DealStage, NDAMethod, NDAStatus, ProposalStatus, RegistrationStatus
from techex.deals.models import NDA, Contract, Deal, DealAttachment, DealMessage, Proposal
from techex.deals.tests.factories import ensure_nda_template, make_deal, make_intermediary, member_of
from techex.listings.tests.uploads import PDF_BYTES, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def url(deal, name: str, *args) -> str:
    return reverse(f"deals:{name}", args=[deal.reference_code, *args])


def fresh(deal) -> Deal:
    return Deal.objects.get(pk=deal.pk)


def terms(prefix: str, **overrides) -> dict:
    data = {
        "contract_form": "standalone",
        "transfer_objects": ["know_how", "technical_documents"],
        "licence": "non_exclusive_licence",
        "price_vnd": "1.200.000.000",
        "royalty_percent": "",
        "territory": "Thành phố Cần Thơ",
        "term_months": "24",
        "technical_assistance": "Đào tạo 5 ngày.",
        "note": "",
    }
    data.update(overrides)
    return {f"{prefix}-{name}": value for name, value in data.items()}


def contract(**overrides) -> dict:
    data = {
        "contract_form": "standalone",
        "transfer_objects": ["know_how"],
        "licence": "non_exclusive_licence",
        "value_vnd": "750.000.000",
        "royalty_percent": "",
        "territory": "Thành phố Cần Thơ",
        "term_months": "36",
        "signed_on": timezone.localdate().isoformat(),
        "cross_border": "domestic",
    }
    data.update(overrides)
    return {f"contract-{name}": value for name, value in data.items()}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- answering an inquiry ---------------------------------------------------------------------------------------------


def test_owner_accepts(as_user, parties, inquiry):
    response = as_user(parties.owner).post(url(inquiry, "action", "accept"), follow=True)
    assert "You accepted the inquiry. Both sides now see each other&#x27;s contacts." in text(response)
    assert fresh(inquiry).stage == DealStage.ACCEPTED


def test_the_inquirer_cannot_accept_its_own_inquiry(as_user, parties, inquiry):
    response = as_user(parties.inquirer).post(url(inquiry, "action", "accept"), follow=True)
    assert escape("Only the listing's owners or the deal's broker may answer an inquiry.") in text(response)
    assert fresh(inquiry).stage == DealStage.INQUIRY


def test_decline_needs_a_reason(as_user, parties, inquiry):
    client = as_user(parties.owner)
    response = client.post(url(inquiry, "close", "decline"), {"decline-reason": "   "})
    assert response.status_code == 200 and "This field is required." in text(response)
    assert '<details class="fold" open>' in text(response)  # the form with the error is unfolded
    assert fresh(inquiry).stage == DealStage.INQUIRY

    response = client.post(
        url(inquiry, "close", "decline"), {"decline-reason": "Chưa đủ năng lực chuyển giao."}, follow=True
    )
    assert "The inquiry was declined." in text(response)
    deal = fresh(inquiry)
    assert (deal.stage, deal.close_reason) == (DealStage.DECLINED, "Chưa đủ năng lực chuyển giao.")
    assert "Chưa đủ năng lực chuyển giao." in text(response)


def test_inquirer_withdraws_with_a_reason(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(
        url(accepted, "close", "withdraw"), {"withdraw-reason": "Đã tìm được giải pháp khác."}, follow=True
    )
    assert "You withdrew from the deal." in text(response)
    assert fresh(accepted).stage == DealStage.WITHDRAWN


def test_staff_drop_a_deal_and_a_party_may_not(as_user, parties, accepted):
    response = as_user(parties.owner).post(
        url(accepted, "close", "drop"), {"drop-reason": "Không liên lạc được."}, follow=True
    )
    assert escape("Only the exchange's staff or the deal's broker may drop a deal.") in text(response)
    assert fresh(accepted).stage == DealStage.ACCEPTED
    response = as_user(parties.staff).post(
        url(accepted, "close", "drop"), {"drop-reason": "Không liên lạc được."}, follow=True
    )
    assert "The deal was dropped." in text(response)
    assert fresh(accepted).stage == DealStage.DROPPED


def test_unknown_actions_are_404(as_user, parties, inquiry):
    client = as_user(parties.owner)
    assert client.post(url(inquiry, "action", "explode")).status_code == 404
    assert client.post(url(inquiry, "close", "accept")).status_code == 404
    assert client.get(url(inquiry, "action", "accept")).status_code == 405


def test_broker_forwards_an_anonymous_listings_inquiry(as_user, brokered):
    deal = make_deal(brokered)
    assert as_user(brokered.owner).get(deal.get_absolute_url()).status_code == 404  # not forwarded yet
    response = as_user(brokered.broker).post(url(deal, "action", "forward"), follow=True)
    assert "The inquiry was forwarded to the listing&#x27;s owner." in text(response)
    assert fresh(deal).forwarded_at is not None
    assert as_user(brokered.owner).get(deal.get_absolute_url()).status_code == 200


def test_start_negotiation(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(url(accepted, "action", "start_negotiation"), follow=True)
    assert "The negotiation has started." in text(response)
    assert fresh(accepted).stage == DealStage.NEGOTIATING


# --- messages ---------------------------------------------------------------------------------------------------------


def test_message_with_an_attachment(as_user, parties, accepted):
    client = as_user(parties.inquirer)
    response = client.post(
        url(accepted, "message"),
        {"message-body": "Gửi anh chị bản vẽ mặt bằng.", "message-files": [pdf_upload("mặt bằng.pdf"), png_upload()]},
        follow=True,
    )
    assert "Your message was posted." in text(response)
    message = DealMessage.objects.get()
    assert (message.body, message.side, message.author) == (
        "Gửi anh chị bản vẽ mặt bằng.",
        "inquirer",
        parties.inquirer,
    )
    files = list(message.attachments.order_by("id"))
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert reverse("deals:attachment", args=[files[0].token]) in text(response)

    download = as_user(parties.owner).get(reverse("deals:attachment", args=[files[0].token]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


def test_message_by_htmx_returns_the_thread(as_user, parties, accepted):
    response = as_user(parties.owner).post(
        url(accepted, "message"), {"message-body": "Chào hợp tác xã."}, HTTP_HX_REQUEST="true"
    )
    page = text(response)
    assert page.lstrip().startswith('<section class="card deal-card" id="thread"')
    assert "Chào hợp tác xã." in page and "<html" not in page


def test_message_refuses_a_file_that_is_not_a_document(as_user, parties, accepted):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_user(parties.inquirer).post(
        url(accepted, "message"), {"message-body": "Xem tệp.", "message-files": [fake]}
    )
    assert response.status_code == 200 and "virus.pdf" in text(response)
    assert not DealMessage.objects.exists() and not DealAttachment.objects.exists()


def test_message_needs_a_body(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(url(accepted, "message"), {"message-body": ""}, HTTP_HX_REQUEST="true")
    assert "This field is required." in text(response)
    assert not DealMessage.objects.exists()


# --- proposals --------------------------------------------------------------------------------------------------------


def test_propose_counter_and_accept(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(url(accepted, "propose"), terms("propose"), follow=True)
    assert "Your proposal was sent." in text(response)
    first = Proposal.objects.get()
    assert (first.side, first.price_vnd, first.transfer_objects) == (
        "inquirer",
        1_200_000_000,
        ["know_how", "technical_documents"],
    )
    assert fresh(accepted).stage == DealStage.NEGOTIATING

    owner = as_user(parties.owner)
    page = text(owner.get(accepted.get_absolute_url()))
    assert url(accepted, "proposal", first.pk, "counter") in page
    assert 'value="1,200,000,000"' in page  # the counter starts from the terms it answers
    response = owner.post(
        url(accepted, "proposal", first.pk, "counter"),
        terms("counter", price_vnd="1.500.000.000", royalty_percent="2,5"),
        follow=True,
    )
    assert "Your counter-proposal was sent." in text(response)
    counter = Proposal.objects.get(status=ProposalStatus.OPEN)
    assert (counter.side, counter.counter_of, counter.price_vnd) == ("owner", first, 1_500_000_000)
    assert str(counter.royalty_percent) == "2.50"
    first.refresh_from_db()
    assert first.status == ProposalStatus.COUNTERED

    response = as_user(parties.inquirer).post(url(accepted, "proposal", counter.pk, "accept"), follow=True)
    assert "You accepted the proposal: the terms are agreed." in text(response)
    deal = fresh(accepted)
    assert (deal.stage, deal.value_vnd) == (DealStage.AGREED, 1_500_000_000)


def test_a_proposal_needs_a_price_or_a_royalty(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(
        url(accepted, "propose"), terms("propose", price_vnd="", royalty_percent="")
    )
    assert response.status_code == 200 and "Give a price, a royalty, or both." in text(response)
    response = as_user(parties.inquirer).post(url(accepted, "propose"), terms("propose", royalty_percent="nhiều"))
    assert "Enter a number." in text(response)
    assert not Proposal.objects.exists() and fresh(accepted).stage == DealStage.ACCEPTED


def test_exclusivity_must_match_the_licence(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(url(accepted, "propose"), terms("propose", licence="exclusive_licence"))
    assert escape("An assignment or an exclusive licence is exclusive; tick “exclusive”.") in text(response)
    assert not Proposal.objects.exists()


def test_reject_needs_a_reason(as_user, parties):
    deal = make_deal(parties, stage=DealStage.NEGOTIATING)
    proposal = Proposal.objects.get()
    owner = as_user(parties.owner)
    response = owner.post(url(deal, "proposal", proposal.pk, "reject"), {"reject-reason": ""})
    assert response.status_code == 200 and "This field is required." in text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    response = owner.post(url(deal, "proposal", proposal.pk, "reject"), {"reject-reason": "Giá quá thấp."}, follow=True)
    assert "You rejected the proposal." in text(response) and "Giá quá thấp." in text(response)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.response_reason) == (ProposalStatus.REJECTED, "Giá quá thấp.")


def test_withdraw_own_proposal_but_not_accept_it(as_user, parties):
    deal = make_deal(parties, stage=DealStage.NEGOTIATING)
    proposal = Proposal.objects.get()
    inquirer = as_user(parties.inquirer)
    response = inquirer.post(url(deal, "proposal", proposal.pk, "accept"), follow=True)
    assert "Only the other side may answer this proposal." in text(response)
    assert fresh(deal).stage == DealStage.NEGOTIATING
    response = inquirer.post(url(deal, "proposal", proposal.pk, "withdraw"), follow=True)
    assert "You withdrew your proposal." in text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_a_proposal_answered_twice_is_refused(as_user, parties):
    deal = make_deal(parties, stage=DealStage.NEGOTIATING)
    proposal = Proposal.objects.get()
    owner = as_user(parties.owner)
    owner.post(url(deal, "proposal", proposal.pk, "accept"))
    response = owner.post(url(deal, "proposal", proposal.pk, "reject"), {"reject-reason": "Muộn."}, follow=True)
    assert "This proposal has already been answered." in text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_another_deals_proposal_is_404(as_user, parties, reference_data):
    from techex.deals.tests.factories import deal_parties

    deal = make_deal(parties, stage=DealStage.NEGOTIATING)
    other = make_deal(deal_parties(), stage=DealStage.NEGOTIATING)
    foreign = Proposal.objects.get(deal=other)
    client = as_user(parties.owner)
    assert client.post(url(deal, "proposal", foreign.pk, "accept")).status_code == 404
    assert client.post(url(deal, "proposal", "abc", "accept")).status_code == 404
    assert client.post(url(deal, "proposal", "99999999999999999999999", "accept")).status_code == 404
    assert client.post(url(deal, "proposal", Proposal.objects.get(deal=deal).pk, "explode")).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ProposalStatus.OPEN


# --- NDA --------------------------------------------------------------------------------------------------------------


def test_nda_in_the_app(as_user, parties, accepted):
    template = ensure_nda_template()
    inquirer = as_user(parties.inquirer)
    page = text(inquirer.get(accepted.get_absolute_url()))
    assert escape(template.title) in page
    response = inquirer.post(url(accepted, "nda_request"), {"nda-method": NDAMethod.IN_APP}, follow=True)
    assert "The NDA was requested." in text(response)
    nda = NDA.objects.get()
    assert nda.inquirer_accepted_at is not None and nda.status == NDAStatus.REQUESTED

    owner = as_user(parties.owner)
    assert url(accepted, "action", "nda_accept") in text(owner.get(accepted.get_absolute_url()))
    response = owner.post(url(accepted, "action", "nda_accept"), follow=True)
    assert "You accepted the NDA for your side." in text(response)
    assert "The NDA is in force" in text(response)
    nda.refresh_from_db()
    assert nda.status == NDAStatus.IN_FORCE


def test_nda_request_needs_a_method(as_user, parties, accepted):
    response = as_user(parties.inquirer).post(url(accepted, "nda_request"), {"nda-method": "fax"})
    assert response.status_code == 200 and "Select a valid choice." in text(response)
    assert not NDA.objects.exists()


def test_nda_signed_file_uploaded_and_confirmed(as_user, parties, accepted):
    inquirer = as_user(parties.inquirer)
    inquirer.post(url(accepted, "nda_request"), {"nda-method": NDAMethod.SIGNED_FILE})
    response = inquirer.post(url(accepted, "nda_upload"), {"ndafile-file": png_upload("ảnh.png")}, follow=True)
    assert "The signed NDA was uploaded; the other side confirms it." in text(response)
    response = inquirer.post(url(accepted, "nda_upload"), {"ndafile-file": pdf_upload("nda-da-ky.pdf")}, follow=True)
    nda = NDA.objects.get()
    assert nda.signed_file_name == "nda-da-ky.pdf" and nda.status == NDAStatus.REQUESTED
    assert url(accepted, "action", "nda_confirm") not in text(response)  # the uploader does not confirm

    owner = as_user(parties.owner)
    download = owner.get(url(accepted, "nda_file"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    response = owner.post(url(accepted, "action", "nda_confirm"), follow=True)
    assert "The signed NDA is confirmed: it is in force." in text(response)
    nda.refresh_from_db()
    assert nda.status == NDAStatus.IN_FORCE


def test_nda_upload_refuses_a_fake_document(as_user, parties, accepted):
    inquirer = as_user(parties.inquirer)
    inquirer.post(url(accepted, "nda_request"), {"nda-method": NDAMethod.SIGNED_FILE})
    fake = SimpleUploadedFile("nda.pdf", b"just text", content_type="application/pdf")
    response = inquirer.post(url(accepted, "nda_upload"), {"ndafile-file": fake})
    assert response.status_code == 200 and "field-error" in text(response)
    assert not NDA.objects.get().signed_file
    response = inquirer.post(url(accepted, "nda_upload"), {})
    assert "This field is required." in text(response)


def test_nda_request_cancelled_and_asked_again_another_way(as_user, parties, accepted):
    ensure_nda_template()
    inquirer = as_user(parties.inquirer)
    inquirer.post(url(accepted, "nda_request"), {"nda-method": NDAMethod.IN_APP})
    response = inquirer.post(url(accepted, "action", "nda_cancel"), follow=True)
    assert "The NDA request was cancelled." in text(response)
    assert NDA.objects.get().status == NDAStatus.CANCELLED
    inquirer.post(url(accepted, "nda_request"), {"nda-method": NDAMethod.SIGNED_FILE})
    assert NDA.objects.exclude(status=NDAStatus.CANCELLED).get().method == NDAMethod.SIGNED_FILE


def test_nda_actions_without_an_nda_are_404(as_user, parties, accepted):
    client = as_user(parties.owner)
    assert client.post(url(accepted, "action", "nda_accept")).status_code == 404
    assert client.get(url(accepted, "nda_file")).status_code == 404


# --- contract, registration, completion -------------------------------------------------------------------------------


def test_contract_recorded_from_the_agreed_terms(as_user, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    owner = as_user(parties.owner)
    page = text(owner.get(deal.get_absolute_url()))
    assert url(deal, "contract_record") in page
    assert 'value="750,000,000"' in page  # the agreed price
    response = owner.post(url(deal, "contract_record"), contract(), follow=True)
    assert "The contract was recorded. Registration is voluntary for this contract." in text(response)
    deal = fresh(deal)
    assert deal.stage == DealStage.SIGNED and deal.value_vnd == 750_000_000
    assert deal.contract.registration_status == RegistrationStatus.NOT_NEEDED
    assert deal.contract.transferor_name == parties.owner_org.name
    assert url(deal, "contract_pdf") in text(response)


def test_contract_with_bad_input_changes_nothing(as_user, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    owner = as_user(parties.owner)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = owner.post(url(deal, "contract_record"), contract(signed_on=tomorrow))
    assert response.status_code == 200 and "The signing date cannot be in the future." in text(response)
    response = owner.post(url(deal, "contract_record"), contract(value_vnd="", signed_on="hôm qua"))
    assert "Enter a valid date." in text(response)
    response = owner.post(url(deal, "contract_record"), contract(value_vnd=""))
    assert escape("Give the contract's value, a royalty, or both.") in text(response)
    assert fresh(deal).stage == DealStage.AGREED and not Contract.objects.exists()


def test_compulsory_registration_is_tracked_until_certified(as_user, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    owner = as_user(parties.owner)
    response = owner.post(url(deal, "contract_record"), contract(**{"state_budget": "on"}), follow=True)
    assert "It must be registered (Law on Technology Transfer, Art. 31)" in text(response)
    assert "Compulsory: a domestic transfer using state capital or budget (Art. 31)." in text(response)
    deal = fresh(deal)
    assert deal.contract.registration_status == RegistrationStatus.NEEDED
    response = owner.post(url(deal, "action", "complete"), follow=True)
    assert "The contract is not in force until its registration is certified" in text(response)

    response = owner.post(url(deal, "registration"), {"registration-status": "submitted"}, follow=True)
    assert "The registration was updated." in text(response)
    response = owner.post(url(deal, "registration"), {"registration-status": "certified"})
    assert "Give the number of the registration certificate." in text(response)
    response = owner.post(url(deal, "registration"), {"registration-status": "not_needed"})
    assert "Select a valid choice." in text(response)
    assert fresh(deal).contract.registration_status == RegistrationStatus.SUBMITTED

    today = timezone.localdate().isoformat()
    owner.post(
        url(deal, "registration"),
        {
            "registration-status": "certified",
            "registration-number": "123/GCN-SKHCN",
            "registration-certified_on": today,
        },
    )
    deal = fresh(deal)
    assert (deal.contract.registration_status, deal.contract.registration_number) == ("certified", "123/GCN-SKHCN")
    response = owner.post(url(deal, "action", "complete"), follow=True)
    assert "The deal is completed." in text(response)
    assert fresh(deal).stage == DealStage.COMPLETED


def test_complete_a_voluntary_contract(as_user, parties):
    deal = make_deal(parties, stage=DealStage.SIGNED)
    response = as_user(parties.inquirer).post(url(deal, "action", "complete"), follow=True)
    assert "The deal is completed." in text(response)
    page = text(response)
    assert 'class="current" aria-current="step">Completed<' in page


# --- broker -----------------------------------------------------------------------------------------------------------


def test_staff_assign_a_broker_that_each_party_then_sees(as_user, parties, accepted):
    broker = make_intermediary(name="Trung tâm Tư vấn Chuyển giao Mê Kông")
    member = member_of(broker)
    response = as_user(parties.staff).post(url(accepted, "assign_broker"), {"broker-broker": broker.pk}, follow=True)
    assert "The broker was assigned." in text(response)
    assert fresh(accepted).broker == broker
    for user in (parties.owner, parties.inquirer, member):
        assert "Trung tâm Tư vấn Chuyển giao Mê Kông" in text(as_user(user).get(accepted.get_absolute_url()))


def test_only_staff_assign_brokers_and_only_intermediaries(as_user, parties, accepted):
    broker = make_intermediary()
    response = as_user(parties.owner).post(url(accepted, "assign_broker"), {"broker-broker": broker.pk}, follow=True)
    assert escape("Only the exchange's staff may do this.") in text(response)
    response = as_user(parties.staff).post(url(accepted, "assign_broker"), {"broker-broker": parties.inquirer_org.pk})
    assert "Select a valid choice." in text(response)
    assert fresh(accepted).broker is None


def test_a_form_sent_from_a_stale_page_says_why_it_was_refused(as_user, parties, accepted):
    as_user(parties.owner).post(url(accepted, "close", "decline"), {"decline-reason": "Đã chọn đối tác khác."})
    inquirer = as_user(parties.inquirer)
    response = inquirer.post(url(accepted, "propose"), terms("propose"), follow=True)
    assert response.redirect_chain[-1][0].endswith("#proposals")
    assert "This could not be done: Proposals can be made once the inquiry is accepted" in text(response)
    response = inquirer.post(url(accepted, "message"), {"message-body": "Còn đó không?"}, follow=True)
    assert "This could not be done: This deal is closed (“Declined”)." in text(response)
    assert not Proposal.objects.exists() and not DealMessage.objects.exists()
