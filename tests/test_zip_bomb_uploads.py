"""A zip bomb is refused by every upload, not only imports: one check (core.uploads.check_unpacked_size) for all."""

import pytest
from django.core.exceptions import ValidationError

from techex.deals import services as deal_services
from techex.deals.models import DealAttachment, DealMessage
from techex.deals.tests.factories import deal_parties, make_deal
from techex.listings.choices import AttachmentKind
from techex.listings.import_jobs import check_import_upload
from techex.listings.models import ListingAttachment
from techex.listings.services import attachment_add
from techex.listings.tests.uploads import zip_bomb_upload
from techex.services import services as service_services
from techex.services.models import RequestMessage
from techex.services.tests.factories import make_request, request_parties

pytestmark = pytest.mark.django_db

REFUSED = "This file unpacks to 57.2\xa0MB, more than a document of its size may hold (38.1\xa0MB)."


def test_a_listing_attachment(offer, owner):
    with pytest.raises(ValidationError) as error:
        attachment_add(listing=offer, user=owner, file=zip_bomb_upload("xlsx"), kind=AttachmentKind.DOCUMENT)
    assert error.value.messages == [REFUSED]
    assert not ListingAttachment.objects.exists()


def test_a_deal_message_file(reference_data):
    parties = deal_parties()
    deal = make_deal(parties, stage="accepted")
    with pytest.raises(ValidationError) as error:
        deal_services.deal_message_post(
            user=parties.inquirer, deal=deal, body="Bảng giá đính kèm", files=[zip_bomb_upload("docx")]
        )
    assert error.value.message_dict == {"files": [f"bang-gia.docx: {REFUSED}"]}
    assert not DealMessage.objects.filter(body="Bảng giá đính kèm").exists()
    assert not DealAttachment.objects.exists()


def test_a_service_request_file(reference_data):
    parties = request_parties()
    request = make_request(parties)
    with pytest.raises(ValidationError) as error:
        service_services.request_message(
            user=parties.client, request=request, body="Hồ sơ", file=zip_bomb_upload("pptx")
        )
    assert error.value.message_dict == {"file": [f"bang-gia.pptx: {REFUSED}"]}
    assert not RequestMessage.objects.filter(body="Hồ sơ").exists()


def test_an_import_upload_gives_the_same_answer():
    with pytest.raises(ValidationError) as error:
        check_import_upload(zip_bomb_upload("xlsx"))
    assert error.value.messages == [REFUSED]
