"""The contract summary for the registration dossier, as a printable page and as a PDF with Vietnamese text."""

import io
import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from techex.core.operator import operator
from techex.deals import services
from techex.deals.choices import DealStage
from techex.deals.models import Deal
from techex.deals.pdf import contract_summary_pdf
from techex.deals.summary import ContractSummary, Row, Section, contract_summary
from techex.deals.tests.factories import contract_terms, make_deal
from techex.organizations.models import Organization

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(value: str) -> str:
    """Extracted text breaks lines where the table wraps; compare without whitespace."""
    return "".join(value.split())


@pytest.fixture
def signed(parties):
    return make_deal(parties, stage=DealStage.SIGNED)


def test_the_pdf_is_a_real_pdf_with_the_vietnamese_names(client, parties, signed):
    client.force_login(parties.inquirer)
    response = client.get(reverse("deals:contract_pdf", args=[signed.reference_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{signed.reference_code}-hop-dong.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    text = squash(pdf_text(response.content))
    for expected in (
        "Viện Lúa Đồng bằng sông Cửu Long",
        "Hợp tác xã Nông nghiệp Thới Lai",
        parties.listing.title,
        "Thành phố Cần Thơ",
        "Hai tuần đào tạo vận hành tại hợp tác xã.",
        "750,000,000 ₫",
        signed.reference_code,
        "Form01,AppendixIV,Decree76/2018/NĐ-CP",
        "Itisnottheformitself",
    ):
        assert squash(expected) in text, expected


def test_the_pdf_in_vietnamese_groups_thousands_with_dots(client, parties, signed):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(parties.owner)
    response = client.get(reverse("deals:contract_pdf", args=[signed.reference_code]))
    text = squash(pdf_text(response.content))
    assert "750.000.000₫" in text and squash("Hợp tác xã Nông nghiệp Thới Lai") in text


def test_decomposed_names_print_composed(parties):
    """Text typed on a keyboard that sends NFD still prints with whole letters (no loose accents)."""
    decomposed = unicodedata.normalize("NFD", "Công ty Cổ phần Thủy sản Sao Biển Tây")
    Organization.objects.filter(pk=parties.inquirer_org.pk).update(name=decomposed)
    deal = make_deal(parties, stage=DealStage.AGREED)
    contract = services.contract_record(user=parties.owner, deal=deal, terms=contract_terms())
    text = pdf_text(contract_summary_pdf(contract_summary(contract=contract, operator=operator())))
    assert "Công ty Cổ phần Thủy sản Sao Biển Tây" in text


def test_a_long_summary_breaks_into_pages():
    rows = [Row(f"Điều {n}", "Bên nhận công nghệ được quyền sử dụng bí quyết kỹ thuật " * 6) for n in range(40)]
    summary = ContractSummary(
        title="Tóm tắt hợp đồng",
        reference_code="CT-GD-2026-00001",
        operator="Sàn",
        sections=[Section("Điều khoản", rows)],
    )
    reader = PdfReader(io.BytesIO(contract_summary_pdf(summary)))
    assert len(reader.pages) > 1
    assert "Điều 39" in reader.pages[-1].extract_text()


def test_the_printable_page_says_what_the_dossier_asks(client, parties, signed):
    client.force_login(parties.owner)
    response = client.get(reverse("deals:contract", args=[signed.reference_code]))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for expected in (
        "Summary of a technology-transfer contract",
        "Transferor (bên giao công nghệ)",
        "Transferee (bên nhận công nghệ)",
        "Form of transfer (Art. 5)",
        "Object of transfer (Art. 4)",
        "Stand-alone technology-transfer contract",
        "Voluntary: a domestic transfer without state capital or budget (Art. 31).",
        "It is not the form itself",
        reverse("deals:contract_pdf", args=[signed.reference_code]),
    ):
        assert expected in page, expected


def test_a_compulsory_contract_says_so(client, parties):
    deal = make_deal(parties, stage=DealStage.AGREED)
    services.contract_record(
        user=parties.owner, deal=deal, terms=contract_terms(cross_border="into_vietnam", royalty_percent="3.5")
    )
    client.force_login(parties.owner)
    page = client.get(reverse("deals:contract", args=[deal.reference_code])).content.decode()
    assert "Compulsory: technology transferred from abroad into Vietnam (Art. 31)." in page
    assert "royalty 3.50 % of net sales" in page
    assert Deal.objects.get(pk=deal.pk).contract.registration_status == "needed"
