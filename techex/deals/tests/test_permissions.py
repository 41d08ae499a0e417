"""Who may read a deal: the two parties, its broker and staff; for anyone else every address is the same 404.

The matrix runs every API address of a deal (and the file views the pages route) for each kind of caller,
including guessed reference codes, proposal ids and file tokens, and checks that a refused write changes nothing.
"""

import secrets

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from techex.core.models import AuditEntry
from techex.core.tests.api import NOT_FOUND, api
from techex.deals import files, selectors, services
from techex.deals.choices import NDAMethod
from techex.deals.models import Deal, DealMessage, Proposal
from techex.deals.tests.factories import (
    deal_parties,
    make_deal,
    make_intermediary,
    member_of,
)
from techex.listings.tests.uploads import pdf_upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/deals/"
ALLOWED = ("owner", "inquirer", "broker", "staff")
REFUSED = ("outsider", "anonymous", "listing_broker")


@pytest.fixture
def world(reference_data):
    """A signed deal with everything a deal can hold: a message with a file, proposals, a signed NDA, a contract.

    Its listing has a broker of its own (not the deal's); staff assigned another intermediary to the deal.
    """
    parties = deal_parties(broker=True)
    deal = make_deal(parties, stage="negotiating")
    deal_broker = member_of(make_intermediary(name="Trung tâm Môi giới Tây Đô"))
    services.deal_assign_broker(user=parties.staff, deal=deal, broker=deal_broker.organizations.get())
    message = services.deal_message_post(user=parties.owner, deal=deal, body="Bản vẽ", files=[pdf_upload()])
    nda = services.nda_request(user=parties.inquirer, deal=deal, method=NDAMethod.SIGNED_FILE)
    nda = services.nda_upload_signed(user=parties.inquirer, nda=nda, file=pdf_upload("nda.pdf"))
    services.nda_confirm_signed(user=parties.owner, nda=nda)
    proposal = deal.proposals.get()
    services.proposal_accept(user=parties.owner, proposal=proposal)
    services.contract_record(user=parties.owner, deal=deal, terms=selectors.contract_draft(deal=deal))
    other = make_deal(deal_parties(), stage="negotiating")
    other_message = services.deal_message_post(
        user=other.inquirer, deal=other, body="Tệp của giao dịch khác", files=[pdf_upload()]
    )
    return {
        "deal": Deal.objects.get(pk=deal.pk),
        "proposal": proposal,
        "token": message.attachments.get().token,
        "other": other,
        "other_proposal": other.proposals.get(),
        "other_token": other_message.attachments.get().token,
        "users": {
            "owner": parties.owner,
            "inquirer": parties.inquirer,
            "broker": deal_broker,
            "staff": parties.staff,
            "outsider": member_of(make_intermediary(name="Công ty Tò Mò")),
            "anonymous": None,
            "listing_broker": parties.broker,
        },
    }


def reads(world) -> list[str]:
    base = f"{LIST}{world['deal'].reference_code}/"
    return [
        base,
        f"{base}messages/",
        f"{base}proposals/",
        f"{base}nda/",
        f"{base}nda/file/",
        f"{base}contract/",
        f"{base}timeline/",
        f"{base}attachments/{world['token']}/",
    ]


def writes(world) -> list[tuple[str, dict]]:
    base = f"{LIST}{world['deal'].reference_code}/"
    proposal = f"{base}proposals/{world['proposal'].pk}/"
    terms = {"contract_form": "standalone", "transfer_objects": ["know_how"], "licence": "assignment", "price_vnd": 1}
    return [
        (f"{base}forward/", {}),
        (f"{base}accept/", {}),
        (f"{base}decline/", {"reason": "x"}),
        (f"{base}withdraw/", {"reason": "x"}),
        (f"{base}drop/", {"reason": "x"}),
        (f"{base}start-negotiation/", {}),
        (f"{base}complete/", {}),
        (f"{base}assign-broker/", {"broker": None}),
        (f"{base}messages/", {"body": "Cho tôi xem"}),
        (f"{base}proposals/", terms),
        (f"{proposal}accept/", {}),
        (f"{proposal}reject/", {"reason": "x"}),
        (f"{proposal}counter/", terms),
        (f"{proposal}withdraw/", {}),
        (f"{base}nda/request/", {"method": "in_app"}),
        (f"{base}nda/accept/", {}),
        (f"{base}nda/confirm/", {}),
        (f"{base}nda/cancel/", {}),
        (f"{base}contract/", {**terms, "value_vnd": 1, "signed_on": timezone.localdate().isoformat()}),
        (f"{base}contract/registration/", {"status": "submitted"}),
    ]


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", ALLOWED)
def test_participants_read_everything(world, who):
    client = api(world["users"][who])
    for address in reads(world):
        response = client.get(address)
        assert response.status_code == 200, (who, address, body_of(response)[:200])


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_gets_the_same_404_for_every_read(world, who):
    client = api(world["users"][who])
    for address in reads(world):
        response = client.get(address)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (who, address)
    listed = client.get(LIST)
    if world["users"][who] is not None:
        assert listed.json()["results"] == []


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_gets_404_for_every_write_and_nothing_changes(world, who):
    client = api(world["users"][who])
    before = (AuditEntry.objects.count(), DealMessage.objects.count(), Proposal.objects.count())
    for address, body in writes(world):
        response = client.post(address, body, format="json")
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (who, address)
    response = client.post(
        f"{LIST}{world['deal'].reference_code}/nda/upload/", {"file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 404
    assert (AuditEntry.objects.count(), DealMessage.objects.count(), Proposal.objects.count()) == before
    assert Deal.objects.get(pk=world["deal"].pk).stage == "signed"


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_guessed_codes_ids_and_tokens_are_404_for_everyone(world, who):
    client = api(world["users"][who])
    deal, other = world["deal"], world["other"]
    year = timezone.localdate().year
    guesses = [
        f"{LIST}CT-GD-{year}-99999/",
        f"{LIST}CT-GD-{year}-99999/messages/",
        f"{LIST}{deal.reference_code}/attachments/{secrets.token_hex(16)}/",
        # A real file of another deal under this deal's code.
        f"{LIST}{deal.reference_code}/attachments/{world['other_token']}/",
        # This deal's file under another deal's code.
        f"{LIST}{other.reference_code}/attachments/{world['token']}/",
        f"{LIST}{deal.reference_code}/attachments/{world['token'].upper()}/",
        f"{LIST}{other.reference_code}/nda/file/",
    ]
    for address in guesses:
        assert client.get(address).status_code == 404, (who, address)
    # Another deal's proposal under this deal's code.
    response = client.post(f"{LIST}{deal.reference_code}/proposals/{world['other_proposal'].pk}/accept/")
    assert response.status_code == 404
    assert Proposal.objects.get(pk=world["other_proposal"].pk).status == "open"


def _file_view(view, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return view(request, **kwargs)


@pytest.mark.parametrize("who", ALLOWED + REFUSED)
def test_the_pages_file_views_check_access(world, who):
    user = world["users"][who]
    token, code = world["token"], world["deal"].reference_code
    if who in ALLOWED:
        assert _file_view(files.attachment_download, user, token=token).status_code == 200
        assert _file_view(files.nda_file_download, user, reference_code=code).status_code == 200
    else:
        with pytest.raises(Http404):
            _file_view(files.attachment_download, user, token=token)
        with pytest.raises(Http404):
            _file_view(files.nda_file_download, user, reference_code=code)
    for bad in (secrets.token_hex(16), "../../etc/passwd", "\x00" * 32, ""):
        with pytest.raises(Http404):
            _file_view(files.attachment_download, user, token=bad)


def test_an_inactive_member_reads_nothing(world):
    owner = world["users"]["owner"]
    owner.is_active = False
    owner.save()
    with pytest.raises(Http404):
        selectors.deal_get_for_user(user=owner, reference_code=world["deal"].reference_code)


def test_roles_as_the_api_reports_them(world):
    code = world["deal"].reference_code
    roles = {who: api(world["users"][who]).get(f"{LIST}{code}/").json()["roles"] for who in ALLOWED}
    assert roles == {"owner": ["owner"], "inquirer": ["inquirer"], "broker": ["broker"], "staff": ["staff"]}
