"""The quarterly and yearly reports: asked for on the staff page, made by the task (immediate in tests), read back
from the PDF (pypdf) and the XLSX (openpyxl) against the known figures; scope, bad input, the audit."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.departments.tests.factories import make_partner, make_staff
from techex.statistics.choices import ReportStatus
from techex.statistics.indicators import INDICATORS
from techex.statistics.models import StatisticsReport

from .factories import build_world

pytestmark = pytest.mark.django_db

REPORTS = reverse("statistics:reports")


@pytest.fixture
def world(reference_data):
    return build_world()


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def _ask(client, **data):
    """Ask for a report; the task is queued after the commit, and the test backend runs it at once."""
    form = {"period_kind": "quarter", "period": "2025-Q2", "format": "xlsx", "department": "region", **data}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(REPORTS, form)


def _download(client, report):
    response = client.get(reverse("statistics:report_download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _sheet_rows(data: bytes, key: str) -> dict:
    sheet = load_workbook(io.BytesIO(data))[key]
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_region_quarter_xlsx_has_the_exact_figures(client, staff, world):
    client.force_login(staff)
    response = _ask(client)
    assert response.status_code == 302
    report = StatisticsReport.objects.get()
    assert (report.status, report.progress, report.department) == (ReportStatus.DONE, 100, None)
    assert (report.period_start, report.period_end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    data = _download(client, report)
    book = load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) == len(INDICATORS) + 1  # a cover, then one sheet per indicator
    contracts = _sheet_rows(data, "contracts-by-quarter")
    # contracts, value, value a year before, growth, the 1158 target (numbers, not text)
    assert contracts["2025-Q2"] == [2, 400_000_000, 200_000_000, 1, 0.25]
    assert isinstance(contracts["2025-Q2"][1], int)
    assert AuditEntry.objects.filter(action="statistics.report_requested", target_id=str(report.pk)).exists()


def test_partner_year_pdf_names_the_department_and_a_known_figure(client, world):
    partner = make_staff(world.an_giang)
    client.force_login(partner)
    response = _ask(client, period_kind="year", period="2025", format="pdf", department=world.an_giang.code)
    assert response.status_code == 302
    report = StatisticsReport.objects.get()
    assert report.department == world.an_giang and report.status == ReportStatus.DONE
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(_download(client, report))).pages)
    assert world.an_giang.name in text
    assert "Báo cáo thống kê năm 2025" in text
    assert "300.000.000" in text  # An Giang's one contract of 2025 (D4), in Vietnamese number style
    assert "400.000.000" not in text  # the region's total is not An Giang's


def test_partner_xlsx_has_the_department_figures(client, world):
    client.force_login(make_staff(world.an_giang))
    _ask(client, department=world.an_giang.code)
    contracts = _sheet_rows(_download(client, StatisticsReport.objects.get()), "contracts-by-quarter")
    assert contracts["2025-Q2"][:2] == [1, 300_000_000]


def test_scope_of_requests_lists_and_downloads(client, staff, world):
    other = make_partner("dong-thap")
    partner = make_staff(world.an_giang)
    other_staff = make_staff(other)
    client.force_login(staff)
    _ask(client)  # the region's, by the lead
    _ask(client, department=world.an_giang.code)
    region, an_giang = StatisticsReport.objects.order_by("pk")
    assert an_giang.department == world.an_giang

    client.force_login(partner)
    page = client.get(REPORTS).content.decode()
    assert reverse("statistics:report_download", args=[an_giang.pk]) in page
    assert reverse("statistics:report_download", args=[region.pk]) not in page
    _download(client, an_giang)
    assert client.get(reverse("statistics:report_download", args=[region.pk])).status_code == 404
    # A partner cannot ask for the region or another department: a form error, nothing made.
    assert _ask(client, department="region").status_code == 400
    assert _ask(client, department=other.code).status_code == 400
    assert StatisticsReport.objects.count() == 2

    client.force_login(other_staff)
    assert client.get(reverse("statistics:report_download", args=[an_giang.pk])).status_code == 404
    assert reverse("statistics:report_download", args=[an_giang.pk]) not in client.get(REPORTS).content.decode()

    client.force_login(UserFactory())
    assert client.get(REPORTS).status_code == 404
    assert _ask(client).status_code == 404
    assert client.get(reverse("statistics:report_download", args=[an_giang.pk])).status_code == 404
    client.logout()
    assert client.get(REPORTS).status_code == 404
    assert StatisticsReport.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2025-Q5"}, "Viết quý theo năm và quý"),
        ({"period": "Q2 2025"}, "Viết quý theo năm và quý"),
        ({"period_kind": "year", "period": "25"}, "Viết năm bằng bốn chữ số"),
        ({"period": "1999-Q1"}, "Sàn không có số liệu trước năm 2000"),
        ({"format": "docx"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"department": "nowhere"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_a_translated_form_error_and_makes_nothing(client, staff, world, vietnamese, data, message):
    client.force_login(staff)
    response = client.post(REPORTS, {"period_kind": "quarter", "format": "pdf", "department": "region", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StatisticsReport.objects.exists()
    assert not AuditEntry.objects.filter(action="statistics.report_requested").exists()


def test_a_future_quarter_is_refused(client, staff, world, vietnamese):
    client.force_login(staff)
    next_year = timezone.localdate().year + 1
    response = client.post(REPORTS, {"period_kind": "quarter", "period": f"{next_year}-Q1", "format": "pdf",
                                     "department": "region"})  # fmt: skip
    assert response.status_code == 400
    assert "Kỳ này chưa bắt đầu" in response.content.decode()
    assert not StatisticsReport.objects.exists()


def test_list_polls_while_a_report_is_made_and_answers_a_fragment(client, staff, world):
    StatisticsReport.objects.create(
        period_kind="quarter",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 3, 31),
        format="pdf",
        status=ReportStatus.RUNNING,
        progress=40,
    )
    client.force_login(staff)
    page = client.get(REPORTS).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="40"' in page
    partial = client.get(REPORTS, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<section id="report-list"') and "<html" not in partial
    StatisticsReport.objects.update(status=ReportStatus.DONE, progress=100)
    assert 'hx-trigger="every 2s"' not in client.get(REPORTS).content.decode()


def test_dashboard_links_to_the_reports(client, staff, world):
    client.force_login(staff)
    assert REPORTS in client.get(reverse("statistics:dashboard")).content.decode()


def test_shares_are_fractions_in_the_sheet(client, staff, world):
    client.force_login(staff)
    _ask(client, period_kind="year", period="2025")
    ip = _sheet_rows(_download(client, StatisticsReport.objects.get()), "ip-share")
    assert ip["2025"] == [2, 1, 0.5, 0.15]  # contracts, with IP, the share, the 1158 target for 2025


def _report(department=None, **fields):
    values = {
        "period_kind": "quarter",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 3, 31),
        "format": "pdf",
        "department": department,
        **fields,
    }
    return StatisticsReport.objects.create(**values)


def test_list_page_query_budget_does_not_grow_with_reports(client, staff, world, count_queries):
    client.force_login(staff)
    _report(requested_by=staff)
    client.get(REPORTS)  # warm the staff scope's and the session's first queries alike
    with count_queries() as few:
        client.get(REPORTS)
    for _n in range(6):
        _report(world.an_giang, requested_by=make_staff(world.an_giang), status=ReportStatus.FAILED)
    with count_queries() as many:
        assert client.get(REPORTS).status_code == 200
    assert len(many) == len(few)


def test_list_page_speaks_vietnamese(client, staff, world, vietnamese):
    _report(status=ReportStatus.FAILED)
    _report(world.an_giang, status=ReportStatus.QUEUED)
    client.force_login(staff)
    html = client.get(REPORTS).content.decode()
    for words in ("Báo cáo thống kê", "Lập báo cáo", "Kỳ báo cáo", "Không thành công", "Đang chờ", "Toàn vùng"):
        assert words in html
    for english in ("Make the report", "Failed", "Queued", "No report yet"):
        assert english not in html


def test_region_pdf_names_the_lead_and_draws_its_logo(client, staff, world):
    client.force_login(staff)
    _ask(client, format="pdf")
    reader = PdfReader(io.BytesIO(_download(client, StatisticsReport.objects.get())))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert world.lead.name in text
    assert "Báo cáo thống kê quý 2 năm 2025" in text
    assert "400.000.000" in text  # the region's two contracts of the quarter (D1 and D4)
    assert "Toàn vùng" in text
    # The operator's logo (static/img/logo.svg) is drawn as vector paths: its yellow bolt's fill is on page one.
    assert b"0.9647 0.7686 0.2706 rg" in reader.pages[0].get_contents().get_data()


def test_a_failing_report_says_so_and_offers_no_download(client, staff, world, monkeypatch):
    from techex.statistics import reports

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "report_bytes", broken)
    client.force_login(staff)
    _ask(client)
    report = StatisticsReport.objects.get()
    assert report.status == ReportStatus.FAILED and "disk full" in report.error and not report.file
    assert client.get(reverse("statistics:report_download", args=[report.pk])).status_code == 404
    assert "Failed" in client.get(REPORTS).content.decode()


def test_pdf_cells_are_written_in_vietnamese_number_style():
    from django.utils import translation

    from techex.statistics.reports import cell_text
    from techex.statistics.types import SUPPRESSED

    with translation.override("vi"):
        assert cell_text(400_000_000, "vnd") == "400.000.000"
        assert cell_text(Decimal("0.6667"), "share") == "66,7 %"
        assert cell_text(Decimal("12.5"), "days") == "12,5"
        assert cell_text(None, "share") == cell_text(SUPPRESSED, "count") == "–"
        assert cell_text("2025-Q2", "text") == "2025-Q2"


def test_the_form_offers_the_last_ended_quarter(client, staff, world):
    client.force_login(staff)
    today = timezone.localdate()
    ended = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - datetime.timedelta(days=1)
    html = client.get(REPORTS).content.decode()
    assert f'value="{ended.year}-Q{(ended.month - 1) // 3 + 1}"' in html


def test_progress_rises_with_each_indicator(world):
    from techex.statistics.reports import report_content

    seen: list[int] = []
    content = report_content(
        department=None,
        period_kind="year",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        progress=seen.append,
    )
    assert len(seen) == len(INDICATORS) == len(content.tables)
    assert seen == sorted(seen) and seen[-1] == 80  # writing the file is the last fifth
