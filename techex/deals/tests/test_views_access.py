"""Who may open a deal's pages and files: the two parties, the broker and staff; for anyone else the same 404 as for
a deal, file or proposal that does not exist (guessed reference codes and tokens included)."""

import pytest
from django.urls import reverse

from techex.accounts.tests.factories import UserFactory
from techex.deals import services
from techex.deals.choices import DealStage, NDAMethod
from techex.deals.models import Deal, DealAttachment, Proposal
from techex.deals.tests.factories import make_deal, make_intermediary, make_nda_in_force, member_of
from techex.listings.tests.uploads import pdf_upload

pytestmark = pytest.mark.django_db

GUESSED_REF = "CT-GD-2026-99999"
GUESSED_TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def signed(parties):
    """A signed deal with a broker, a message with a file and a signed NDA: every kind of page and file."""
    deal = make_deal(parties, stage=DealStage.SIGNED)
    parties.broker_org = make_intermediary()
    parties.broker = member_of(parties.broker_org)
    services.deal_assign_broker(user=parties.staff, deal=deal, broker=parties.broker_org)
    services.deal_message_post(user=parties.owner, deal=deal, body="Hồ sơ kỹ thuật.", files=[pdf_upload()])
    make_nda_in_force(parties, deal, method=NDAMethod.SIGNED_FILE)
    return Deal.objects.get(pk=deal.pk)


def pages(deal) -> dict[str, str]:
    token = DealAttachment.objects.get(deal=deal).token
    code = deal.reference_code
    return {
        "detail": reverse("deals:detail", args=[code]),
        "contract": reverse("deals:contract", args=[code]),
        "pdf": reverse("deals:contract_pdf", args=[code]),
        "nda file": reverse("deals:nda_file", args=[code]),
        "attachment": reverse("deals:attachment", args=[token]),
    }


def posts(deal) -> dict[str, str]:
    code = deal.reference_code
    proposal = Proposal.objects.filter(deal=deal).first()
    assert proposal is not None
    return {
        "complete": reverse("deals:action", args=[code, "complete"]),
        "drop": reverse("deals:close", args=[code, "drop"]),
        "message": reverse("deals:message", args=[code]),
        "propose": reverse("deals:propose", args=[code]),
        "proposal": reverse("deals:proposal", args=[code, proposal.pk, "accept"]),
        "nda": reverse("deals:nda_request", args=[code]),
        "nda upload": reverse("deals:nda_upload", args=[code]),
        "broker": reverse("deals:assign_broker", args=[code]),
        "contract": reverse("deals:contract_record", args=[code]),
        "registration": reverse("deals:registration", args=[code]),
    }


@pytest.mark.parametrize("role", ["owner", "inquirer", "broker", "staff"])
def test_the_parties_the_broker_and_staff_open_every_page(client, parties, signed, role):
    client.force_login(getattr(parties, role))
    statuses = {name: client.get(path).status_code for name, path in pages(signed).items()}
    assert statuses == dict.fromkeys(statuses, 200)


def test_a_member_of_another_organisation_gets_404_everywhere(client, parties, signed, outsider):
    client.force_login(outsider)
    statuses = {name: client.get(path).status_code for name, path in pages(signed).items()}
    statuses |= {
        f"POST {name}": client.post(path, {"drop-reason": "x"}).status_code for name, path in posts(signed).items()
    }
    assert statuses == dict.fromkeys(statuses, 404)
    assert Deal.objects.get(pk=signed.pk).stage == DealStage.SIGNED


def test_a_user_without_organisation_gets_404(client, parties, signed):
    client.force_login(UserFactory())
    assert client.get(signed.get_absolute_url()).status_code == 404
    assert client.get(pages(signed)["attachment"]).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_and_files_are_404(client, parties, signed):
    login = reverse("account_login")
    for name in ("detail", "contract", "pdf"):
        response = client.get(pages(signed)[name])
        assert response.status_code == 302 and response["Location"].startswith(login), name
    for name in ("nda file", "attachment"):
        assert client.get(pages(signed)[name]).status_code == 404, name
    for name, path in posts(signed).items():
        response = client.post(path)
        assert response.status_code == 302 and response["Location"].startswith(login), name


@pytest.mark.parametrize("role", ["owner", "staff"])
def test_guessed_references_and_tokens_are_404_even_for_staff(client, parties, signed, role):
    client.force_login(getattr(parties, role))
    guesses = [
        reverse("deals:detail", args=[GUESSED_REF]),
        reverse("deals:contract", args=[GUESSED_REF]),
        reverse("deals:contract_pdf", args=[GUESSED_REF]),
        reverse("deals:nda_file", args=[GUESSED_REF]),
        reverse("deals:attachment", args=[GUESSED_TOKEN]),
        "/deals/files/..%2F..%2Fetc%2Fpasswd/",
        reverse("deals:attachment", args=["x" * 500]),
        reverse("deals:detail", args=["CT-GD-2026-00001' OR '1'='1"]),
        "/deals/CT-GD%00/",
        "/deals/new/CT-TO%00/",
        "/deals/files/a%00b/",
        "/deals/CT%00/nda/file/",
        "/deals/CT%00/contract.pdf",
    ]
    assert {path: client.get(path).status_code for path in guesses} == dict.fromkeys(guesses, 404)
    assert client.post(reverse("deals:action", args=[GUESSED_REF, "accept"])).status_code == 404


def test_a_contract_page_of_a_deal_without_contract_is_404(client, parties, accepted):
    client.force_login(parties.owner)
    assert client.get(reverse("deals:contract", args=[accepted.reference_code])).status_code == 404
    assert client.get(reverse("deals:contract_pdf", args=[accepted.reference_code])).status_code == 404


def test_an_anonymous_listings_owner_sees_nothing_until_the_broker_forwards(client, brokered):
    deal = make_deal(brokered)
    client.force_login(brokered.owner)
    assert client.get(deal.get_absolute_url()).status_code == 404
    assert deal.reference_code not in client.get(reverse("deals:mine")).content.decode()
    client.force_login(brokered.broker)
    assert client.get(deal.get_absolute_url()).status_code == 200


def test_staff_pages_are_404_to_members(client, parties):
    client.force_login(parties.owner)
    assert client.get(reverse("deals:staff_list")).status_code == 404
    assert client.get(reverse("deals:nda_template")).status_code == 404
    assert client.post(reverse("deals:nda_template"), {"title": "x", "body": "y"}).status_code == 404
    client.logout()
    assert client.get(reverse("deals:staff_list")).status_code == 404
