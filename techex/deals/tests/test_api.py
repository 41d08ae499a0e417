"""The deals API: every step through its endpoint, bad input, refusals with their messages, the list's query budget."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from techex.core.tests.api import NOT_FOUND, NOT_SIGNED_IN, api
from techex.deals import services
from techex.deals.models import NDA, Deal, DealMessage, Proposal
from techex.deals.tests.factories import (
    deal_parties,
    ensure_nda_template,
    inquiry_data,
    make_deal,
    make_intermediary,
    member_of,
)
from techex.listings.tests.factories import make_published
from techex.listings.tests.uploads import PDF_BYTES, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/deals/"
TERMS = {
    "contract_form": "standalone",
    "transfer_objects": ["know_how", "technical_documents"],
    "licence": "non_exclusive_licence",
    "price_vnd": 800_000_000,
    "exclusive": False,
    "territory": "Cần Thơ",
    "term_months": 24,
    "technical_assistance": "Đào tạo 2 tuần",
}


def url(deal, action: str = "") -> str:
    return f"{LIST}{deal.reference_code}/" + (f"{action}/" if action else "")


def stage_of(deal) -> str:
    return Deal.objects.get(pk=deal.pk).stage


# --- inquiry -----------------------------------------------------------------------------------------------------


def test_create_an_inquiry(parties):
    body = {"listing": parties.listing.reference_code, "organization": parties.inquirer_org.pk, **inquiry_data()}
    response = api(parties.inquirer).post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "inquiry"
    assert data["listing"] == {
        "reference_code": parties.listing.reference_code,
        "kind": "offer",
        "title": parties.listing.title,
    }
    assert data["roles"] == ["inquirer"]
    assert data["actions"] == ["withdraw", "message"]
    assert data["contacts"] == []
    assert data["owner_organization"]["name"] == parties.owner_org.name
    assert Deal.objects.get().reference_code == data["reference_code"]


def test_create_needs_sign_in_and_valid_input(parties):
    response = APIClient().post(LIST, {}, format="json")
    assert (response.status_code, response.json()) == (401, NOT_SIGNED_IN)
    client = api(parties.inquirer)
    response = client.post(
        LIST,
        {"listing": "CT-TO-1999-00001", "organization": parties.owner_org.pk, "message": 7, "price": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "listing": ["No live listing has this reference code."],
        "organization": ["Choose one of your organisations."],
        "message": ["Not a valid string."],
        "who_we_are": ["This field is required."],
        "intended_use": ["This field is required."],
        "timeline_budget": ["This field is required."],
        "price": ["This field is not accepted here."],
    }
    response = client.post(LIST, "listing=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    own = api(parties.owner).post(
        LIST,
        {"listing": parties.listing.reference_code, "organization": parties.owner_org.pk, **inquiry_data()},
        format="json",
    )
    assert own.status_code == 400
    assert own.json() == {"non_field_errors": ["You cannot send an inquiry about your own organisation's listing."]}
    blank = client.post(
        LIST,
        {
            "listing": parties.listing.reference_code,
            "organization": parties.inquirer_org.pk,
            **inquiry_data(message=" "),
        },
        format="json",
    )
    assert blank.json() == {"message": ["Write a message to the listing's owner."]}
    assert not Deal.objects.exists()


# --- lists -------------------------------------------------------------------------------------------------------


def test_list_shows_only_ones_deals(parties, inquiry):
    other = make_deal(deal_parties())
    assert [row["reference_code"] for row in api(parties.inquirer).get(LIST).json()["results"]] == [
        inquiry.reference_code
    ]
    assert [row["reference_code"] for row in api(parties.owner).get(LIST, {"awaiting": "true"}).json()["results"]] == [
        inquiry.reference_code
    ]
    assert api(parties.inquirer).get(LIST, {"awaiting": "true"}).json()["results"] == []
    assert api(parties.owner).get(LIST, {"stage": "accepted"}).json()["results"] == []
    outsider = member_of(make_intermediary(name="Công ty Tò Mò"))
    assert api(outsider).get(LIST).json()["results"] == []
    # Staff follow every deal with all=true; their own list holds only deals they take part in.
    assert api(parties.staff).get(LIST).json()["results"] == []
    everything = api(parties.staff).get(LIST, {"all": "true"}).json()["results"]
    assert {row["reference_code"] for row in everything} == {inquiry.reference_code, other.reference_code}
    found = api(parties.staff).get(LIST, {"all": "true", "q": inquiry.reference_code}).json()["results"]
    assert [row["reference_code"] for row in found] == [inquiry.reference_code]


def test_list_refusals(parties, inquiry):
    assert APIClient().get(LIST).status_code == 401
    response = api(parties.owner).get(LIST, {"all": "true"})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only the exchange's staff may filter every deal."},
    )
    response = api(parties.staff).get(LIST, {"q": "lúa", "stage": "nope"})
    assert response.status_code == 400
    assert response.json() == {"stage": ['"nope" is not a valid choice.']}
    response = api(parties.staff).get(LIST, {"q": "lúa"})
    assert response.json() == {"q": ["Use this filter with all=true (staff)."]}
    for query in ({"q": "\x00"}, {"page": "abc"}, {"created_from": "2026-13-01"}, {"broker": "x"}):
        assert api(parties.staff).get(LIST, {"all": "true", **query}).status_code in {400, 404}


def test_list_query_count_does_not_grow_with_the_deals(reference_data, count_queries):
    parties = deal_parties()
    make_deal(parties, stage="negotiating")
    client = api(parties.inquirer)
    client.get(LIST)  # the token's first use

    def count() -> int:
        with count_queries() as queries:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(queries)

    one = count()
    for stage in ("inquiry", "accepted", "agreed", "signed"):
        parties.listing = make_published(user=parties.owner, organization=parties.owner_org, staff=parties.staff)
        make_deal(parties, stage=stage)
    assert len(client.get(LIST).json()["results"]) == 5
    # The token with its user, the memberships, the count, the page of deals with their sides and contract, the
    # open proposals, the current NDAs.
    assert count() == one == 6


# --- transitions -------------------------------------------------------------------------------------------------


def test_accept_and_refusals(parties, inquiry):
    response = api(parties.inquirer).post(url(inquiry, "accept"))
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only the listing's owners or the deal's broker may answer an inquiry."},
    )
    response = api(parties.owner).post(url(inquiry, "accept"))
    assert response.status_code == 200
    data = response.json()
    assert data["stage"] == "accepted"
    assert {c["side"] for c in data["contacts"]} == {"owner", "inquirer"}
    response = api(parties.owner).post(url(inquiry, "accept"))
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["A deal cannot go from “Accepted” to “Accepted”."]},
    )
    contacts = api(parties.inquirer).get(url(inquiry)).json()["contacts"]
    assert {c["side"]: c["person_email"] for c in contacts}["owner"] == parties.owner.email


def test_decline_withdraw_drop_need_reasons(parties, inquiry):
    client = api(parties.owner)
    assert client.post(url(inquiry, "decline"), {}, format="json").json() == {"reason": ["This field is required."]}
    assert client.post(url(inquiry, "decline"), {"reason": " "}, format="json").json() == {
        "reason": ["This field may not be blank."]
    }
    response = client.post(url(inquiry, "decline"), {"reason": "Đã có đối tác."}, format="json")
    assert response.status_code == 200 and response.json()["close_reason"] == "Đã có đối tác."
    deal = make_deal(parties, stage="accepted")
    assert api(parties.owner).post(url(deal, "withdraw"), {"reason": "x"}, format="json").status_code == 403
    response = api(parties.inquirer).post(url(deal, "withdraw"), {"reason": "Hết vốn."}, format="json")
    assert response.json()["stage"] == "withdrawn"
    deal = make_deal(parties, stage="negotiating")
    assert api(parties.owner).post(url(deal, "drop"), {"reason": "x"}, format="json").status_code == 403
    assert api(parties.staff).post(url(deal, "drop"), {"reason": "Ngừng"}, format="json").json()["stage"] == "dropped"


def test_forward_and_assign_broker(brokered):
    deal = make_deal(brokered)
    assert api(brokered.owner).get(url(deal)).status_code == 404
    data = api(brokered.inquirer).get(url(deal)).json()
    assert data["owner_organization"] is None and data["broker"]["name"] == brokered.broker_org.name
    response = api(brokered.broker).post(url(deal, "forward"))
    assert response.status_code == 200 and response.json()["actions"][:1] == ["accept"]
    assert api(brokered.owner).get(url(deal)).json()["roles"] == ["owner"]
    other_broker = make_intermediary(name="Công ty Tư vấn Mê Kông")
    response = api(brokered.owner).post(url(deal, "assign-broker"), {"broker": other_broker.pk}, format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "Only the exchange's staff may do this."})
    response = api(brokered.staff).post(url(deal, "assign-broker"), {"broker": 10**12}, format="json")
    assert response.json() == {"broker": ["No organisation has this id."]}
    response = api(brokered.staff).post(url(deal, "assign-broker"), {"broker": other_broker.pk}, format="json")
    assert response.json()["broker"]["id"] == other_broker.pk
    assert api(brokered.broker).get(url(deal)).status_code == 404


def test_start_negotiation_and_complete(parties):
    deal = make_deal(parties, stage="accepted")
    assert api(parties.inquirer).post(url(deal, "start-negotiation")).json()["stage"] == "negotiating"
    signed = make_deal(deal_parties(), stage="signed")
    owner = signed.owner_organization.memberships.get().user
    response = api(owner).post(url(signed, "complete"))
    assert response.status_code == 200 and response.json()["stage"] == "completed"


# --- messages and files ------------------------------------------------------------------------------------------


def test_messages_json_and_multipart_with_download(parties, accepted):
    response = api(parties.owner).post(url(accepted, "messages"), {"body": "Chào anh"}, format="json")
    assert response.status_code == 201 and response.json()["side"] == "owner"
    response = api(parties.inquirer).post(
        url(accepted, "messages"),
        {"body": "Gửi bản vẽ", "files": [pdf_upload("bản vẽ.pdf"), png_upload()]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    files = response.json()["attachments"]
    assert [(f["name"], f["content_type"]) for f in files] == [
        ("bản vẽ.pdf", "application/pdf"),
        ("may-say.png", "image/png"),
    ]
    download = api(parties.owner).get(files[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"] and download["X-Content-Type-Options"] == "nosniff"
    page = api(parties.owner).get(url(accepted, "messages")).json()
    assert [m["body"] for m in page["results"]] == ["Chào anh", "Gửi bản vẽ"]
    assert page["results"][1]["author"] == parties.inquirer.full_name


def test_message_refusals(parties, accepted):
    client = api(parties.owner)
    assert client.post(url(accepted, "messages"), {"body": ""}, format="json").json() == {
        "body": ["This field may not be blank."]
    }
    bad = SimpleUploadedFile("virus.pdf", b"MZ not a document", content_type="application/pdf")
    response = client.post(url(accepted, "messages"), {"body": "Xem", "files": [bad]}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "files": ["virus.pdf: This file type is not accepted. Upload a PDF, DOCX, XLSX, PPTX, JPEG, PNG or WebP file."]
    }
    assert not DealMessage.objects.exists()
    services.deal_withdraw(user=parties.inquirer, deal=accepted, reason="Thôi.")
    response = client.post(url(accepted, "messages"), {"body": "Còn không?"}, format="json")
    assert response.json() == {"non_field_errors": ["This deal is closed (“Withdrawn”)."]}


# --- proposals ---------------------------------------------------------------------------------------------------


def test_proposal_round_through_the_api(parties, accepted):
    inquirer, owner = api(parties.inquirer), api(parties.owner)
    response = inquirer.post(url(accepted, "proposals"), TERMS, format="json")
    assert response.status_code == 201, response.json()
    first = response.json()
    assert (first["status"], first["side"], first["price_vnd"]) == ("open", "inquirer", 800_000_000)
    assert api(parties.owner).get(url(accepted)).json()["open_proposal"] == first["id"]
    response = inquirer.post(f"{url(accepted)}proposals/{first['id']}/accept/")
    assert (response.status_code, response.json()) == (403, {"detail": "Only the other side may answer this proposal."})
    response = owner.post(
        f"{url(accepted)}proposals/{first['id']}/counter/", {**TERMS, "price_vnd": 950_000_000}, format="json"
    )
    assert response.status_code == 201
    counter = response.json()
    assert (counter["counter_of"], counter["side"]) == (first["id"], "owner")
    response = inquirer.post(f"{url(accepted)}proposals/{counter['id']}/reject/", {"reason": "Cao quá"}, format="json")
    assert response.json()["status"] == "rejected"
    response = inquirer.post(url(accepted, "proposals"), {**TERMS, "price_vnd": 880_000_000}, format="json")
    third = response.json()
    assert inquirer.post(f"{url(accepted)}proposals/{third['id']}/withdraw/").json()["status"] == "withdrawn"
    fourth = owner.post(url(accepted, "proposals"), {**TERMS, "price_vnd": 900_000_000}, format="json").json()
    response = inquirer.post(f"{url(accepted)}proposals/{fourth['id']}/accept/")
    assert response.json()["status"] == "accepted"
    deal = api(parties.owner).get(url(accepted)).json()
    assert (deal["stage"], deal["value_vnd"]) == ("agreed", 900_000_000)
    statuses = [p["status"] for p in owner.get(url(accepted, "proposals")).json()["results"]]
    assert statuses == ["countered", "rejected", "withdrawn", "accepted"]


def test_proposal_bad_terms_and_foreign_ids(parties, accepted):
    client = api(parties.inquirer)
    response = client.post(
        url(accepted, "proposals"),
        {**TERMS, "price_vnd": "800", "transfer_objects": ["gold"], "royalty_percent": "abc", "exclusive": "yes"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"price_vnd", "transfer_objects", "royalty_percent", "exclusive"}
    response = client.post(url(accepted, "proposals"), {**TERMS, "price_vnd": None}, format="json")
    assert response.json() == {"price_vnd": ["Give a price, a royalty or both."]}
    assert not Proposal.objects.exists()
    other = make_deal(deal_parties(), stage="negotiating")
    foreign = other.proposals.get()
    # Another deal's proposal under this deal's code is the same 404 as a missing one.
    for proposal_id in (foreign.pk, 999999999):
        response = api(parties.owner).post(f"{url(accepted)}proposals/{proposal_id}/accept/")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Proposal.objects.get(pk=foreign.pk).status == "open"


# --- NDA ---------------------------------------------------------------------------------------------------------


def test_nda_in_app_through_the_api(parties, accepted):
    ensure_nda_template()
    assert api(parties.owner).get(url(accepted, "nda")).status_code == 404
    response = api(parties.inquirer).post(url(accepted, "nda/request"), {"method": "in_app"}, format="json")
    assert response.status_code == 201
    nda = response.json()
    assert (
        nda["status"] == "requested"
        and nda["template"]["version"] == ensure_nda_template().version
        and nda["inquirer_accepted_at"]
    )
    assert "nda-accept" in api(parties.owner).get(url(accepted)).json()["actions"]
    response = api(parties.owner).post(url(accepted, "nda/accept"))
    assert response.json()["status"] == "in_force"
    assert api(parties.inquirer).get(url(accepted)).json()["nda_status"] == "in_force"


def test_nda_signed_file_through_the_api(parties, accepted):
    response = api(parties.owner).post(url(accepted, "nda/request"), {"method": "signed_file"}, format="json")
    assert response.status_code == 201
    response = api(parties.owner).post(url(accepted, "nda/upload"), {"file": "x"}, format="json")
    assert response.status_code == 415
    response = api(parties.owner).post(url(accepted, "nda/upload"), {"file": pdf_upload("nda.pdf")}, format="multipart")
    assert response.status_code == 200, response.json()
    nda = response.json()
    assert nda["uploaded_side"] == "owner" and nda["signed_file_url"].endswith(f"{url(accepted)}nda/file/")
    download = api(parties.inquirer).get(nda["signed_file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert api(parties.owner).post(url(accepted, "nda/confirm")).status_code == 403
    assert api(parties.inquirer).post(url(accepted, "nda/confirm")).json()["status"] == "in_force"
    assert NDA.objects.get().confirmed_by == parties.inquirer


def test_nda_template(parties):
    current = ensure_nda_template().version
    assert APIClient().get(f"{LIST}nda-template/").status_code == 401
    assert api(parties.owner).get(f"{LIST}nda-template/").json()["version"] == current
    body = {"title": "Thỏa thuận bảo mật v2", "body": "Điều 1."}
    assert api(parties.owner).post(f"{LIST}nda-template/", body, format="json").status_code == 403
    response = api(parties.staff).post(f"{LIST}nda-template/", body, format="json")
    assert (response.status_code, response.json()["version"]) == (201, current + 1)


# --- contract ----------------------------------------------------------------------------------------------------


def test_contract_and_registration_through_the_api(parties):
    deal = make_deal(parties, stage="agreed")
    assert api(parties.owner).get(url(deal, "contract")).status_code == 404
    body = {
        **TERMS,
        "value_vnd": 800_000_000,
        "signed_on": timezone.localdate().isoformat(),
        "cross_border": "into_vietnam",
    }
    del body["price_vnd"], body["technical_assistance"]
    response = api(parties.staff).post(url(deal, "contract"), body, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only the parties to the deal or its broker may record the contract."},
    )
    response = api(parties.inquirer).post(url(deal, "contract"), body, format="json")
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["registration_compulsory"] and not contract["in_force"]
    assert contract["registration_status"] == "needed"
    assert contract["transferor_name"] == parties.owner_org.name
    assert stage_of(deal) == "signed"
    response = api(parties.owner).post(url(deal, "complete"))
    assert response.json() == {
        "non_field_errors": ["The contract is not in force until its registration is certified (Law 07/2017, Art. 31)."]
    }
    registration = url(deal, "contract/registration")
    assert api(parties.owner).post(registration, {"status": "submitted"}, format="json").status_code == 200
    response = api(parties.staff).post(registration, {"status": "certified", "number": "9/GCN"}, format="json")
    assert response.json() == {"certified_on": ["Give the date of the registration certificate."]}
    today = timezone.localdate().isoformat()
    response = api(parties.staff).post(
        registration, {"status": "certified", "number": "9/GCN", "certified_on": today}, format="json"
    )
    assert response.json()["in_force"] is True
    assert api(parties.owner).post(url(deal, "complete")).json()["stage"] == "completed"


def test_registration_before_a_contract_is_a_clear_400(parties, accepted):
    response = api(parties.owner).post(url(accepted, "contract/registration"), {"status": "submitted"}, format="json")
    assert response.json() == {
        "non_field_errors": ["Only a signed contract of an open deal has a registration to follow."]
    }


# --- staff -------------------------------------------------------------------------------------------------------


def test_funnel_and_timeline(parties):
    deal = make_deal(parties, stage="signed")
    assert api(parties.owner).get(f"{LIST}funnel/").status_code == 403
    funnel = api(parties.staff).get(f"{LIST}funnel/").json()
    assert [(row["stage"], row["count"]) for row in funnel] == [
        ("inquiry", 1),
        ("accepted", 1),
        ("negotiating", 1),
        ("agreed", 1),
        ("signed", 1),
        ("completed", 0),
    ]
    timeline = api(parties.inquirer).get(url(deal, "timeline")).json()["results"]
    assert [row["action"] for row in timeline][:2] == ["deal.inquire", "deal.accept"]
    assert timeline[0]["label"] == "Inquiry sent"


def test_odd_query_strings_and_addresses_get_an_answer(parties, inquiry):
    from tests.test_no_server_errors import ODD_QUERIES

    for user in (parties.owner, parties.staff):
        client = api(user)
        for query in [*ODD_QUERIES, "all=true&q=%00", "all=true&field=%27", "awaiting=maybe", "stage=%00"]:
            for path in (LIST, f"{url(inquiry)}messages/", f"{url(inquiry)}timeline/"):
                response = client.get(f"{path}?{query}")
                assert response.status_code in {200, 400, 403, 404}, (path, query, response.status_code)
    client = api(parties.owner)
    for address in (
        f"{LIST}{'A' * 25}/",
        f"{LIST}CT%00GD/",
        f"{url(inquiry)}proposals/{'9' * 19}/accept/",
        f"{url(inquiry)}attachments/{'g' * 32}/",
    ):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {}, format="json").status_code == 404, address
