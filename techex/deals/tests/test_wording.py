"""What the deal pages and the contract summary say, in Vietnamese: each word in its meaning (issue 15, defects 2–4)."""

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

import techex
from techex.deals import services
from techex.deals.choices import DealStage, NDAStatus
from techex.deals.models import NDATemplate
from techex.deals.summary import contract_summary
from techex.deals.tests.factories import deal_parties, make_deal
from techex.listings.choices import ListingKind
from techex.reference.models import Province, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _restore_language():
    # A request in Vietnamese leaves Vietnamese active in this thread; later tests read English messages.
    with translation.override(translation.get_language()):
        yield


def page_in_vietnamese(client, user, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(user)
    return client.get(url).content.decode()


def rows(summary) -> dict[str, str]:
    return {row.label: row.value for section in summary.sections for row in section.rows}


# --- defect 2: a status is not a date ------------------------------------------------------------------------------


def test_the_nda_status_badge_reads_as_a_status(client, parties):
    deal = make_deal(parties, stage=DealStage.ACCEPTED)
    services.nda_request(user=parties.inquirer, deal=deal, method="in_app")
    page = page_in_vietnamese(client, parties.owner, deal.get_absolute_url())
    assert '<span class="badge">Đã đề nghị</span>' in page
    assert "Ngày đề nghị" not in page


def _choice_classes():
    for module_info in pkgutil.walk_packages(techex.__path__, "techex."):
        if module_info.name.endswith(".choices"):
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, models.Choices)
                    and value.__module__ == module.__name__
                ):
                    yield value


def test_no_choice_reads_as_a_date_label_in_vietnamese():
    """A status shares its English word with a date column ("Requested", "Published"): each has its own context."""
    with translation.override("vi"):
        dates = [
            f"{choices.__name__}.{member.name}: {member.label}"
            for choices in _choice_classes()
            # Statuses and stages are what share a word with a date column; a kind may well be a day ("demo day").
            if choices.__name__.endswith(("Status", "Stage"))
            for member in choices
            if str(member.label).startswith("Ngày")
        ]
        assert dates == []
        assert str(NDAStatus.REQUESTED.label) == "Đã đề nghị"
        assert translation.pgettext("date of the request", "Requested") == "Ngày đề nghị"
        assert translation.pgettext("date of publication", "Published") == "Ngày đăng"


# --- defect 3: the contract summary ---------------------------------------------------------------------------------


def test_the_contract_summary_of_a_need_does_not_call_the_need_the_technology(reference_data):
    parties = deal_parties(kind=ListingKind.NEED, title="Cần công nghệ khử mặn nước ao nuôi tôm")
    deal = make_deal(parties, stage=DealStage.SIGNED)
    facts = rows(contract_summary(contract=deal.contract, operator={}))
    assert facts["Technology"] == ("The technology of Hợp tác xã Nông nghiệp Thới Lai that answers the need below")
    assert facts["Technology need answered"] == "Cần công nghệ khử mặn nước ao nuôi tôm"


def test_the_contract_summary_of_an_offer_names_its_technology(parties):
    deal = make_deal(parties, stage=DealStage.SIGNED)
    facts = rows(contract_summary(contract=deal.contract, operator={}))
    assert facts["Technology"] == parties.listing.title
    assert "Technology need answered" not in facts


def test_an_address_names_its_ward_and_province_once(parties):
    can_tho = Province.objects.get(pk="92")
    ward = Ward.objects.filter(province=can_tho).order_by("code").first()
    organization = parties.owner_org
    organization.province, organization.ward = can_tho, ward
    organization.address = f"Số 5 đường 3 Tháng 2, {ward.full_name.lower()}, thành phố Cần Thơ"
    organization.save()
    deal = make_deal(parties, stage=DealStage.SIGNED)
    with translation.override("vi"):
        transferor = contract_summary(contract=deal.contract, operator={}).sections[0]
    address = {row.label: row.value for row in transferor.rows}["Địa chỉ"]
    assert address == organization.address


# --- defect 4: the inquiry form, the contacts, the NDA ----------------------------------------------------------------


def test_the_inquiry_form_asks_whom_the_member_acts_for_naturally(client, parties):
    url = reverse("deals:new", kwargs={"listing_code": parties.listing.reference_code})
    page = page_in_vietnamese(client, parties.inquirer, url)
    assert "Thay mặt tổ chức" in page
    assert "Đăng dưới danh nghĩa" not in page


def test_the_contacts_write_an_e_mail_shared_by_the_person_and_the_organisation_once(client, parties):
    parties.owner_org.email = parties.owner.email
    parties.owner_org.save(update_fields=["email"])
    deal = make_deal(parties, stage=DealStage.ACCEPTED)
    page = page_in_vietnamese(client, parties.inquirer, deal.get_absolute_url())
    assert page.count(f'href="mailto:{parties.owner.email}"') == 1
    assert page.count(f'href="mailto:{parties.inquirer_org.email}"') == 1  # the inquirer's own is not the person's


def test_the_standard_nda_names_the_side_with_the_technology_as_discloser():
    body = NDATemplate.objects.order_by("-version").first().body
    assert "tin chào bán" in body and "tin chào (" not in body
    assert "bên gửi đề nghị đáp ứng nhu cầu đó bằng công nghệ của mình" in body


@pytest.mark.parametrize(
    ("kind", "discloser"),
    [
        (ListingKind.OFFER, "bên đăng tin, là bên chào bán công nghệ, là Bên công bố"),
        (ListingKind.NEED, "bên quan tâm, là bên có công nghệ"),
    ],
)
def test_the_nda_panel_says_who_discloses(client, reference_data, kind, discloser):
    parties = deal_parties(kind=kind)
    deal = make_deal(parties, stage=DealStage.ACCEPTED)
    page = page_in_vietnamese(client, parties.inquirer, deal.get_absolute_url())
    assert discloser in page


def test_an_nda_accepted_under_the_first_text_is_not_explained_by_the_new_roles(client, parties):
    deal = make_deal(parties, stage=DealStage.ACCEPTED)
    nda = services.nda_request(user=parties.inquirer, deal=deal, method="in_app")
    first = NDATemplate.objects.filter(version=1).first()
    if first is None:  # a flushed database: the first text as the migration wrote it does not matter here
        first = NDATemplate.objects.create(version=0, title="Thỏa thuận bảo mật thông tin", body="Bên nhận …")
    type(nda).objects.filter(pk=nda.pk).update(template=first)
    page = page_in_vietnamese(client, parties.owner, deal.get_absolute_url())
    assert "Theo văn bản mẫu" not in page
