"""Negotiation: messages with files, proposals and counter-proposals, NDAs; every step and every refusal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from techex.core.models import AuditEntry
from techex.deals import selectors, services
from techex.deals.choices import DealStage, NDAMethod, NDAStatus, ProposalStatus
from techex.deals.models import NDA, DealAttachment, DealMessage, NDATemplate, Proposal
from techex.deals.states import DealError
from techex.deals.tests.factories import (
    deal_parties,
    ensure_nda_template,
    make_deal,
    make_intermediary,
    make_nda_in_force,
    member_of,
    proposal_terms,
)
from techex.listings import selectors as listing_selectors
from techex.listings import services as listing_services
from techex.listings.tests.uploads import pdf_upload, png_upload
from techex.notifications.models import Notification
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def notified(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.fixture
def negotiating(parties):
    return make_deal(parties, stage="negotiating")


# --- messages ----------------------------------------------------------------------------------------------------


def test_parties_broker_and_staff_post_messages(parties, accepted, run_on_commit):
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=accepted, broker=broker_org)
    for user, side in (
        (parties.owner, "owner"),
        (parties.inquirer, "inquirer"),
        (broker, "broker"),
        (parties.staff, "staff"),
    ):
        message = run_on_commit(services.deal_message_post, user=user, deal=accepted, body=f"Chào từ {side}")
        assert (message.side, message.author) == (side, user)
    assert [m.body for m in selectors.deal_messages(deal=accepted)] == [
        "Chào từ owner",
        "Chào từ inquirer",
        "Chào từ broker",
        "Chào từ staff",
    ]
    assert notified(parties.inquirer, "deal.message") == 3  # not for its own message
    assert notified(broker, "deal.message") == 3


def test_outsiders_cannot_post(parties, accepted):
    outsider = member_of(OrganizationFactory(name="Công ty Tò Mò"))
    with pytest.raises(PermissionDenied, match="Only the parties to the deal, its broker and the exchange's staff"):
        services.deal_message_post(user=outsider, deal=accepted, body="Cho tôi xem với")
    assert not DealMessage.objects.exists()


def test_message_with_files_checked_by_content(parties, accepted):
    message = services.deal_message_post(
        user=parties.owner, deal=accepted, body="Gửi anh bản vẽ", files=[pdf_upload("bản vẽ.pdf"), png_upload()]
    )
    files = list(message.attachments.order_by("id"))
    assert [(f.original_name, f.content_type, f.extension) for f in files] == [
        ("bản vẽ.pdf", "application/pdf", "pdf"),
        ("may-say.png", "image/png", "png"),
    ]
    assert files[0].file.name == f"deals/{accepted.pk}/{files[0].token}.pdf"
    entry = AuditEntry.objects.filter(action="deal.message").get()
    assert entry.data["message"] == message.pk and len(entry.data["sha256"]) == 64
    assert [f["token"] for f in entry.data["files"]] == [f.token for f in files]


def test_message_with_a_disguised_file_changes_nothing(parties, accepted):
    fake = SimpleUploadedFile("hop-dong.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.deal_message_post(user=parties.owner, deal=accepted, body="Xem file", files=[pdf_upload(), fake])
    assert error.value.message_dict == {
        "files": [
            "hop-dong.pdf: This file type is not accepted. Upload a PDF, DOCX, XLSX, PPTX, JPEG, PNG or WebP file."
        ]
    }
    assert not DealMessage.objects.exists() and not DealAttachment.objects.exists()
    with pytest.raises(ValidationError, match="at most 5 files"):
        services.deal_message_post(user=parties.owner, deal=accepted, body="x", files=[pdf_upload()] * 6)
    with pytest.raises(ValidationError) as error:
        services.deal_message_post(user=parties.owner, deal=accepted, body=" \n ")
    assert error.value.message_dict == {"body": ["Write a message."]}


def test_messages_are_never_edited(parties, accepted):
    message = services.deal_message_post(user=parties.owner, deal=accepted, body="Giá 700 triệu")
    message.body = "Giá 900 triệu"
    with pytest.raises(PermissionError):
        message.save()
    assert DealMessage.objects.get().body == "Giá 700 triệu"


# --- proposals ---------------------------------------------------------------------------------------------------


def test_first_proposal_opens_the_negotiation(parties, accepted, run_on_commit):
    proposal = run_on_commit(services.proposal_create, user=parties.inquirer, deal=accepted, terms=proposal_terms())
    assert (proposal.side, proposal.status, proposal.price_vnd) == ("inquirer", "open", 750_000_000)
    assert proposal.transfer_objects == ["know_how", "technical_documents"]
    deal = selectors.deal_get_for_user(user=parties.owner, reference_code=accepted.reference_code)
    assert deal.stage == DealStage.NEGOTIATING
    assert notified(parties.owner, "deal.proposal") == 1
    assert "proposal_accept" in selectors.deal_actions_for_user(user=parties.owner, deal=deal)
    assert "proposal_accept" not in selectors.deal_actions_for_user(user=parties.inquirer, deal=deal)
    assert "proposal_withdraw" in selectors.deal_actions_for_user(user=parties.inquirer, deal=deal)
    assert selectors.deal_awaiting(user=parties.owner) == [deal]


def test_proposals_refused_before_acceptance_and_after_agreement(parties, inquiry):
    with pytest.raises(DealError) as error:
        services.proposal_create(user=parties.inquirer, deal=inquiry, terms=proposal_terms())
    assert error.value.messages == ["Proposals can be made once the inquiry is accepted and until terms are agreed."]
    agreed = make_deal(deal_parties(), stage="agreed")
    agreed_parties_owner = agreed.owner_organization.memberships.get().user
    with pytest.raises(DealError, match="Proposals can be made once"):
        services.proposal_create(user=agreed_parties_owner, deal=agreed, terms=proposal_terms())
    assert not Proposal.objects.filter(deal=inquiry).exists()


def test_only_parties_propose(parties, accepted):
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=accepted, broker=broker_org)
    for user in (broker, parties.staff):
        with pytest.raises(PermissionDenied) as error:
            services.proposal_create(user=user, deal=accepted, terms=proposal_terms())
        assert str(error.value) == "Only the two parties to the deal may make proposals."


def test_one_open_proposal_at_a_time(parties, negotiating):
    with pytest.raises(DealError) as error:
        services.proposal_create(user=parties.owner, deal=negotiating, terms=proposal_terms())
    assert error.value.messages == ["There is already a proposal awaiting an answer: answer it or withdraw it first."]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"price_vnd": None, "royalty_percent": None}, {"price_vnd": ["Give a price, a royalty or both."]}),
        (
            {"royalty_percent": Decimal("0")},
            {"royalty_percent": ["A royalty is more than 0 and at most 100 per cent."]},
        ),
        (
            {"royalty_percent": Decimal("100.5")},
            {"royalty_percent": ["A royalty is more than 0 and at most 100 per cent."]},
        ),
        ({"transfer_objects": ()}, {"transfer_objects": ["Choose at least one object of transfer (Art. 4)."]}),
        ({"transfer_objects": ("gold",)}, {"transfer_objects": ["Unknown object of transfer: gold."]}),
        (
            {"licence": "exclusive_licence", "exclusive": False},
            {"exclusive": ["An assignment or an exclusive licence is exclusive; tick “exclusive”."]},
        ),
        (
            {"licence": "non_exclusive_licence", "exclusive": True},
            {"exclusive": ["A non-exclusive licence cannot be exclusive."]},
        ),
        ({"term_months": 0}, {"term_months": ["Ensure this value is greater than or equal to 1."]}),
        ({"contract_form": "handshake"}, {"contract_form": ["Value 'handshake' is not a valid choice."]}),
    ],
)
def test_bad_terms_are_refused_and_change_nothing(parties, accepted, overrides, errors):
    with pytest.raises(ValidationError) as error:
        services.proposal_create(user=parties.inquirer, deal=accepted, terms=proposal_terms(**overrides))
    assert error.value.message_dict == errors
    assert not Proposal.objects.exists()
    assert selectors.deal_get_for_user(user=parties.owner, reference_code=accepted.reference_code).stage == "accepted"


def test_royalty_only_proposal(parties, accepted):
    proposal = services.proposal_create(
        user=parties.owner, deal=accepted, terms=proposal_terms(price_vnd=None, royalty_percent=Decimal("3.5"))
    )
    assert (proposal.price_vnd, proposal.royalty_percent) == (None, Decimal("3.50"))


def test_accept_agrees_the_deal(parties, negotiating, run_on_commit):
    proposal = negotiating.proposals.get()
    with pytest.raises(PermissionDenied) as error:
        services.proposal_accept(user=parties.inquirer, proposal=proposal)
    assert str(error.value) == "Only the other side may answer this proposal."
    proposal = run_on_commit(services.proposal_accept, user=parties.owner, proposal=proposal)
    assert (proposal.status, proposal.responded_by) == (ProposalStatus.ACCEPTED, parties.owner)
    deal = selectors.deal_get_for_user(user=parties.owner, reference_code=negotiating.reference_code)
    assert (deal.stage, deal.value_vnd) == (DealStage.AGREED, 750_000_000)
    assert notified(parties.inquirer, "deal.proposal_accepted") == 1
    with pytest.raises(DealError) as error:
        services.proposal_accept(user=parties.owner, proposal=proposal)
    assert error.value.messages == ["A deal cannot go from “Agreed” to “Agreed”."]
    with pytest.raises(DealError, match="already been answered"):
        services.proposal_reject(user=parties.owner, proposal=proposal, reason="x")


def test_reject_needs_a_reason_and_keeps_negotiating(parties, negotiating, run_on_commit):
    proposal = negotiating.proposals.get()
    with pytest.raises(ValidationError) as error:
        services.proposal_reject(user=parties.owner, proposal=proposal, reason="")
    assert error.value.message_dict == {"reason": ["Give the reason."]}
    proposal = run_on_commit(services.proposal_reject, user=parties.owner, proposal=proposal, reason="Giá quá thấp.")
    assert (proposal.status, proposal.response_reason) == ("rejected", "Giá quá thấp.")
    assert notified(parties.inquirer, "deal.proposal_rejected") == 1
    deal = selectors.deal_get_for_user(user=parties.owner, reference_code=negotiating.reference_code)
    assert deal.stage == DealStage.NEGOTIATING
    # A new proposal may follow, from either side.
    assert services.proposal_create(user=parties.owner, deal=deal, terms=proposal_terms(price_vnd=900_000_000))


def test_counter_replaces_the_open_proposal(parties, negotiating, run_on_commit):
    first = negotiating.proposals.get()
    with pytest.raises(PermissionDenied, match="Only the other side"):
        services.proposal_counter(user=parties.inquirer, proposal=first, terms=proposal_terms())
    counter = run_on_commit(
        services.proposal_counter, user=parties.owner, proposal=first, terms=proposal_terms(price_vnd=950_000_000)
    )
    first.refresh_from_db()
    assert (first.status, counter.status, counter.counter_of, counter.side) == ("countered", "open", first, "owner")
    assert notified(parties.inquirer, "deal.proposal_countered") == 1
    with pytest.raises(ValidationError):
        services.proposal_counter(user=parties.inquirer, proposal=counter, terms=proposal_terms(price_vnd=None))
    assert Proposal.objects.get(pk=counter.pk).status == "open"
    # The inquirer accepts the counter: the owner's price is the deal's value.
    services.proposal_accept(user=parties.inquirer, proposal=counter)
    assert (
        selectors.deal_get_for_user(user=parties.owner, reference_code=negotiating.reference_code).value_vnd
        == 950_000_000
    )


def test_withdraw_own_proposal_only(parties, negotiating):
    proposal = negotiating.proposals.get()
    with pytest.raises(PermissionDenied) as error:
        services.proposal_withdraw(user=parties.owner, proposal=proposal)
    assert str(error.value) == "Only the side that made a proposal may withdraw it."
    assert services.proposal_withdraw(user=parties.inquirer, proposal=proposal).status == "withdrawn"
    with pytest.raises(DealError, match="already been answered"):
        services.proposal_accept(user=parties.owner, proposal=proposal)


def test_member_of_both_parties_cannot_say_which_side(parties, accepted):
    both = member_of(parties.owner_org)
    MembershipFactory(user=both, organization=parties.inquirer_org)
    with pytest.raises(PermissionDenied, match="member of both parties"):
        services.proposal_create(user=both, deal=accepted, terms=proposal_terms())
    # Answering is unambiguous: it is for the side that did not propose.
    proposal = services.proposal_create(user=parties.inquirer, deal=accepted, terms=proposal_terms())
    assert services.proposal_accept(user=both, proposal=proposal).status == "accepted"
    assert AuditEntry.objects.filter(action="deal.proposal.accept").get().data["side"] == "owner"


# --- NDA ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def confidential(parties):
    """A confidential document on the live listing, approved by staff."""
    attachment = listing_services.attachment_add(
        listing=parties.listing,
        user=parties.owner,
        file=pdf_upload("quy-trinh.pdf"),
        kind="document",
        is_confidential=True,
    )
    listing_services.listing_revise(listing=parties.listing, user=parties.owner)
    listing_services.listing_publish(listing=parties.listing, user=parties.staff)
    return attachment


def visible_tokens(user, listing):
    return set(listing_selectors.attachments_visible(user=user, listing=listing).values_list("token", flat=True))


def test_in_app_nda_opens_the_confidential_documents(parties, accepted, confidential, run_on_commit):
    ensure_nda_template()
    listing = parties.listing
    assert confidential.token not in visible_tokens(parties.inquirer, listing)
    nda = run_on_commit(services.nda_request, user=parties.inquirer, deal=accepted, method=NDAMethod.IN_APP)
    assert (nda.status, nda.requested_side, nda.template.version) == (
        "requested",
        "inquirer",
        ensure_nda_template().version,
    )
    assert nda.inquirer_accepted_by == parties.inquirer and nda.owner_accepted_at is None
    assert notified(parties.owner, "deal.nda_requested") == 1
    assert confidential.token not in visible_tokens(parties.inquirer, listing)
    with pytest.raises(DealError, match="Your side has already accepted this NDA."):
        services.nda_accept(user=parties.inquirer, nda=nda)
    nda = run_on_commit(services.nda_accept, user=parties.owner, nda=nda)
    assert nda.status == NDAStatus.IN_FORCE and nda.in_force_at is not None
    assert notified(parties.inquirer, "deal.nda_in_force") == 1
    assert confidential.token in visible_tokens(parties.inquirer, listing)
    assert listing_selectors.attachment_get_for_user(user=parties.inquirer, token=confidential.token) == confidential
    page = listing_selectors.listing_attachments_for_page(user=parties.inquirer, listing=listing)
    assert [row.can_open for row in page["documents"]] == [True]
    # Other organisations, and the owner side of other deals, still do not see it.
    outsider = member_of(OrganizationFactory(name="Công ty Khác"))
    assert confidential.token not in visible_tokens(outsider, listing)
    # Closing the deal without agreement closes the documents again.
    services.deal_withdraw(user=parties.inquirer, deal=accepted, reason="Không phù hợp.")
    assert confidential.token not in visible_tokens(parties.inquirer, listing)


def test_signed_file_nda(parties, accepted, confidential, run_on_commit):
    nda = services.nda_request(user=parties.owner, deal=accepted, method=NDAMethod.SIGNED_FILE)
    with pytest.raises(DealError, match="signed on paper"):
        services.nda_accept(user=parties.inquirer, nda=nda)
    with pytest.raises(DealError, match="No signed document has been uploaded yet."):
        services.nda_confirm_signed(user=parties.owner, nda=nda)
    with pytest.raises(ValidationError, match="not accepted"):
        services.nda_upload_signed(
            user=parties.inquirer,
            nda=nda,
            file=SimpleUploadedFile("nda.pdf", b"<script>", content_type="application/pdf"),
        )
    assert not NDA.objects.get(pk=nda.pk).signed_file
    nda = run_on_commit(services.nda_upload_signed, user=parties.inquirer, nda=nda, file=pdf_upload("nda đã ký.pdf"))
    assert (nda.uploaded_side, nda.signed_file_name, nda.signed_file_type) == (
        "inquirer",
        "nda đã ký.pdf",
        "application/pdf",
    )
    assert notified(parties.owner, "deal.nda_signed") == 1
    assert selectors.deal_awaiting(user=parties.owner) == [accepted]
    with pytest.raises(PermissionDenied, match="Only the other party or the exchange's staff may confirm"):
        services.nda_confirm_signed(user=parties.inquirer, nda=nda)
    nda = services.nda_confirm_signed(user=parties.owner, nda=nda)
    assert nda.status == "in_force" and nda.confirmed_by == parties.owner
    assert confidential.token in visible_tokens(parties.inquirer, parties.listing)
    assert selectors.nda_file_get_for_user(user=parties.inquirer, reference_code=accepted.reference_code) == nda


def test_staff_may_confirm_a_signed_nda(parties, accepted):
    nda = services.nda_request(user=parties.inquirer, deal=accepted, method=NDAMethod.SIGNED_FILE)
    nda = services.nda_upload_signed(user=parties.owner, nda=nda, file=pdf_upload())
    assert services.nda_confirm_signed(user=parties.staff, nda=nda).status == "in_force"


def test_nda_refusals(parties, inquiry):
    ensure_nda_template()
    with pytest.raises(DealError) as error:
        services.nda_request(user=parties.inquirer, deal=inquiry, method=NDAMethod.IN_APP)
    assert error.value.messages == ["An NDA can be asked for once the inquiry is accepted and while the deal is open."]
    deal = services.deal_accept(user=parties.owner, deal=inquiry)
    with pytest.raises(PermissionDenied, match="Only the two parties"):
        services.nda_request(user=parties.staff, deal=deal, method=NDAMethod.IN_APP)
    with pytest.raises(ValidationError) as error:
        services.nda_request(user=parties.inquirer, deal=deal, method="handshake")
    assert error.value.message_dict == {"method": ["Choose how the NDA is made: in the app or as a signed document."]}
    nda = services.nda_request(user=parties.inquirer, deal=deal, method=NDAMethod.IN_APP)
    with pytest.raises(DealError, match="already has an NDA"):
        services.nda_request(user=parties.owner, deal=deal, method=NDAMethod.SIGNED_FILE)
    with pytest.raises(DealError, match="accepted in the app; there is no file"):
        services.nda_upload_signed(user=parties.owner, nda=nda, file=pdf_upload())
    # Cancel, then ask again the other way.
    assert services.nda_cancel(user=parties.owner, nda=nda).status == "cancelled"
    with pytest.raises(DealError, match="nothing more can be done"):
        services.nda_accept(user=parties.owner, nda=nda)
    assert services.nda_request(user=parties.owner, deal=deal, method=NDAMethod.SIGNED_FILE).method == "signed_file"


def test_nda_in_force_cannot_be_cancelled(parties, accepted):
    nda = make_nda_in_force(parties, accepted)
    with pytest.raises(DealError, match="“In force”; nothing more can be done"):
        services.nda_cancel(user=parties.owner, nda=nda)


def test_without_a_standard_text_no_in_app_nda(parties, accepted):
    NDATemplate.objects.all().delete()
    with pytest.raises(DealError, match="has not published its standard NDA text yet"):
        services.nda_request(user=parties.inquirer, deal=accepted, method=NDAMethod.IN_APP)


def test_staff_publish_a_new_nda_version_and_old_ndas_keep_theirs(parties, accepted):
    nda = make_nda_in_force(parties, accepted)
    with pytest.raises(PermissionDenied):
        services.nda_template_update(user=parties.owner, title="x", body="y")
    with pytest.raises(ValidationError) as error:
        services.nda_template_update(user=parties.staff, title="Bản mới", body="")
    assert error.value.message_dict == {"body": ["Write the text of the NDA."]}
    template = services.nda_template_update(user=parties.staff, title="Thỏa thuận bảo mật v2", body="Điều 1. …")
    assert template.version == nda.template.version + 1
    assert selectors.nda_template_current() == template
    assert NDA.objects.get(pk=nda.pk).template.version == nda.template.version
    assert AuditEntry.objects.filter(action="deal.nda_template", target_id=str(template.pk)).exists()


def test_wrong_party_for_the_remaining_steps(parties, negotiating):
    broker_org = make_intermediary()
    broker = member_of(broker_org)
    services.deal_assign_broker(user=parties.staff, deal=negotiating, broker=broker_org)
    proposal = negotiating.proposals.get()
    with pytest.raises(PermissionDenied, match="Only the other side may answer this proposal."):
        services.proposal_reject(user=parties.inquirer, proposal=proposal, reason="x")
    with pytest.raises(PermissionDenied, match="Only the other side may answer this proposal."):
        services.proposal_accept(user=broker, proposal=proposal)
    nda = services.nda_request(user=parties.owner, deal=negotiating, method=NDAMethod.SIGNED_FILE)
    with pytest.raises(PermissionDenied, match="Only the two parties"):
        services.nda_upload_signed(user=broker, nda=nda, file=pdf_upload())
    with pytest.raises(PermissionDenied, match="Only the two parties"):
        services.nda_cancel(user=parties.staff, nda=nda)
    assert Proposal.objects.get(pk=proposal.pk).status == "open"
    assert NDA.objects.get(pk=nda.pk).status == "requested" and not NDA.objects.get(pk=nda.pk).signed_file
