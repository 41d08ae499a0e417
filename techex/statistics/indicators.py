"""The indicators, each defined once: its key, title, definition (Vietnamese and English) and the selector that
computes it. The dashboard, the CSV downloads, the API and docs/statistics.md (``manage.py statistics_docs``)
read this list; a test keeps the committed doc equal to what the command writes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import selectors, targets
from .filtersets import Criteria
from .types import Table


@dataclass(frozen=True)
class Indicator:
    key: str
    title: Any  # a lazy translation
    definition_vi: str
    definition_en: str
    compute: Callable[[Criteria], Table]
    section: str = "listings"

    @property
    def definition(self) -> str:
        return self.definition_en if (get_language() or "vi").startswith("en") else self.definition_vi

    def table(self, criteria: Criteria) -> Table:
        return self.compute(criteria)


def _pct(value: Any) -> str:
    return f"{value * 100:.0f} %"


_GROWTH = ", ".join(f"{_pct(t.value)} đến {t.until_year}" for t in targets.VALUE_GROWTH)
_GROWTH_EN = ", ".join(f"{_pct(t.value)} to {t.until_year}" for t in targets.VALUE_GROWTH)
_IP = ", ".join(f"> {_pct(t.value)} ({t.until_year})" for t in targets.IP_SHARE)
_RESEARCH = ", ".join(f"> {_pct(t.value)} ({t.until_year})" for t in targets.INSTITUTES_SHARE)

SECTIONS = {
    "listings": _("Listings"),
    "deals": _("Deals and contracts"),
    "events": _("Events"),
    "services": _("Services"),
    "search": _("Search demand"),
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "listings-by-month",
        _("Listings by month"),
        "Mỗi tháng trong kỳ: số chào bán và nhu cầu được đăng lần đầu (ngày đăng), được gia hạn (ngày gia hạn gần "
        "nhất), đã hết hạn (đang ở trạng thái hết hạn, theo ngày hết hạn) và đang hiển thị vào cuối tháng (đã đăng "
        "trước cuối tháng, chưa hết hạn lúc đó; tin đã rút hoặc lưu trữ không được tính vì không ghi ngày rút).",
        "For each month of the period: offers and needs first published (publication date), renewed (last renewal "
        "date), expired (now expired, by expiry date) and live at the month's end (published before it and not "
        "expired by then; withdrawn or archived listings are not counted, as their withdrawal date is not kept).",
        lambda c: selectors.listings_by_month(criteria=c),
    ),
    Indicator(
        "listings-by-field",
        _("Listings by S&T field"),
        "Chào bán và nhu cầu đăng lần đầu trong kỳ, theo lĩnh vực KH&CN cấp 1; một tin thuộc hai lĩnh vực được "
        "tính ở cả hai.",
        "Offers and needs first published in the period, by top-level S&T field; a listing in two fields counts "
        "in each.",
        lambda c: selectors.listings_by_field(criteria=c),
    ),
    Indicator(
        "listings-by-province",
        _("Listings by province"),
        "Chào bán và nhu cầu đăng lần đầu trong kỳ, theo tỉnh/thành (đơn vị hành chính từ 2025) nơi ứng dụng "
        "hoặc có nhu cầu.",
        "Offers and needs first published in the period, by the province (2025 units) of the listing's place.",
        lambda c: selectors.listings_by_province(criteria=c),
    ),
    Indicator(
        "listings-by-organization-type",
        _("Listings by organisation type"),
        "Chào bán và nhu cầu đăng lần đầu trong kỳ, theo loại hình tổ chức sở hữu tin.",
        "Offers and needs first published in the period, by the type of the organisation that owns them.",
        lambda c: selectors.listings_by_organization_type(criteria=c),
    ),
    Indicator(
        "listings-by-trl",
        _("Listings by TRL"),
        "Chào bán và nhu cầu đăng lần đầu trong kỳ, theo mức độ sẵn sàng công nghệ (TRL) đã khai.",
        "Offers and needs first published in the period, by their stated technology readiness level (TRL).",
        lambda c: selectors.listings_by_trl(criteria=c),
    ),
    Indicator(
        "listings-by-transfer-form",
        _("Listings by transfer form"),
        "Chào bán và nhu cầu đăng lần đầu trong kỳ, theo hình thức chuyển giao đề xuất; một tin nêu nhiều hình "
        "thức được tính ở mỗi hình thức.",
        "Offers and needs first published in the period, by the transfer forms they propose; a listing proposing "
        "several counts in each.",
        lambda c: selectors.listings_by_transfer_form(criteria=c),
    ),
    Indicator(
        "needs-answered",
        _("Needs answered"),
        "Nhu cầu công nghệ đăng lần đầu trong mỗi quý của kỳ; số có ít nhất một đề nghị kết nối (một giao dịch) và "
        "số được đáp ứng: có một đề nghị kết nối đã được chủ nhu cầu chấp nhận (giao dịch đã đến giai đoạn Chấp "
        "nhận).",
        "Technology needs first published in each quarter of the period; those with at least one inquiry (a deal) "
        "and those answered: an inquiry their owner accepted (the deal reached the Accepted stage).",
        lambda c: selectors.needs_answered(criteria=c),
    ),
    Indicator(
        "deal-funnel",
        _("Deal funnel"),
        "Giao dịch bắt đầu (đề nghị kết nối gửi) trong kỳ, theo từng giai đoạn đã đạt (một giao dịch được tính ở mọi "
        "giai đoạn nó đã qua); tỷ lệ chuyển đổi so với giai đoạn trước và số ngày trung vị giữa hai giai đoạn (theo "
        "thời điểm giao dịch đạt mỗi giai đoạn lần đầu).",
        "Deals started (inquiry sent) in the period, by each stage reached (a deal counts in every stage it has "
        "reached); the conversion from the stage before and the median days between the two (from the moment the "
        "deal first reached each stage).",
        lambda c: selectors.deal_funnel(criteria=c),
        "deals",
    ),
    Indicator(
        "contracts-by-quarter",
        _("Contracts by quarter"),
        "Hợp đồng đã ghi nhận theo quý của ngày ký, giá trị (VND), tăng trưởng giá trị so với cùng quý năm trước và "
        f"mục tiêu tăng trưởng của Quyết định 1158/QĐ-TTg ({_GROWTH} mỗi năm).",
        "Contracts recorded, by the quarter of their signing date, their value (VND), the value's growth on the "
        f"same quarter a year before and the Decision 1158/QĐ-TTg growth target ({_GROWTH_EN} a year).",
        lambda c: selectors.contracts_by_quarter(criteria=c),
        "deals",
    ),
    Indicator(
        "ip-share",
        _("Share of contracts with intellectual property"),
        "Theo năm ký: tỷ lệ hợp đồng có đối tượng sở hữu trí tuệ (hình thức chuyển giao quyền sở hữu trí tuệ, hoặc "
        f"tin chào bán/nhu cầu có đối tượng SHTT đã nộp đơn hoặc được cấp) so với mục tiêu 1158 ({_IP}).",
        "By signing year: the share of contracts with intellectual property (a transfer of IP rights, or a listing "
        f"with an IP object applied for or granted) against the 1158 target ({_IP}).",
        lambda c: selectors.ip_share(criteria=c),
        "deals",
    ),
    Indicator(
        "institutes-share",
        _("Share of institutes and universities"),
        "Theo năm ký: trong các hợp đồng có công nghệ nguồn gốc trong nước (trong nước hoặc từ Việt Nam ra nước "
        "ngoài), tỷ lệ có bên giao là viện nghiên cứu hoặc trường đại học (bên giao: chủ tin chào bán, hoặc bên đề "
        f"nghị với một nhu cầu) so với mục tiêu 1158 ({_RESEARCH}).",
        "By signing year: of the contracts whose technology is of domestic origin (within Vietnam or from Vietnam "
        "abroad), the share whose transferor is a research institute or a university (the transferor: the owner "
        f"of an offer, the inquirer about a need) against the 1158 target ({_RESEARCH}).",
        lambda c: selectors.institutes_share(criteria=c),
        "deals",
    ),
    Indicator(
        "search-top-queries",
        _("Most searched queries"),
        "Các cụm từ được tìm nhiều nhất trong kỳ (mỗi lần tìm được tính một lần, không tính khi lật trang), cùng số "
        "lần không tìm thấy gì. Không lưu người tìm; chỉ lọc theo kỳ.",
        "The queries searched most in the period (each search counted once, not each page turned), with how often "
        "they found nothing. Who searched is not kept; only the period filters them.",
        lambda c: selectors.search_top_queries(criteria=c),
        "search",
    ),
    Indicator(
        "search-empty-queries",
        _("Queries that found nothing"),
        "Các cụm từ đã tìm mà không có kết quả trong kỳ: điều thị trường hỏi mà sàn chưa có. Chỉ lọc theo kỳ.",
        "The queries that found nothing in the period: what the market asks for and the exchange does not have. "
        "Only the period filters them.",
        lambda c: selectors.search_empty_queries(criteria=c),
        "search",
    ),
    Indicator(
        "events",
        _("Events and B2B meetings by quarter"),
        "Sự kiện đã công bố (không tính sự kiện bị hủy) theo quý bắt đầu, lọc theo lĩnh vực và tỉnh/thành của chính sự "
        "kiện (bộ lọc loại tổ chức không áp dụng): số sự kiện, lượt đăng ký đã xác nhận, yêu cầu gặp B2B đã gửi, cuộc "
        "gặp B2B đã xếp lịch và công bố, cuộc gặp đã diễn ra.",
        "Published events (cancelled ones left out) by the quarter they start in, filtered by the event's own field "
        "and province (the organisation-type filter does not apply): events, confirmed registrations, B2B meeting "
        "requests sent, B2B meetings scheduled and published, and meetings held.",
        lambda c: selectors.events_by_quarter(criteria=c),
        "events",
    ),
    Indicator(
        "services",
        _("Services requested and delivered by quarter"),
        "Yêu cầu dịch vụ theo quý của từng bước: đã gửi (yêu cầu của khách chưa đăng nhập chỉ được tính khi đã xác "
        "nhận email), đã chấp nhận báo giá, đã bàn giao. Lọc theo tỉnh/thành và loại hình của bên yêu cầu (bộ lọc lĩnh "
        "vực không áp dụng).",
        "Service requests by the quarter of each step: submitted (a guest's once the address is confirmed), quote "
        "accepted, delivered. Filtered by the client's province and type (the S&T field filter does not apply).",
        lambda c: selectors.services_by_quarter(criteria=c),
        "services",
    ),
    # The deals that events' meetings started come with that part of the events domain: add it here.
)

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# The public figures: the same selectors, the region only, contracts with small cells withheld.
PUBLIC: tuple[Indicator, ...] = (
    Indicator(
        "live-by-field",
        _("Live offers and needs by S&T field"),
        "Chào bán và nhu cầu đang hiển thị hôm nay theo lĩnh vực KH&CN cấp 1 (không theo kỳ).",
        "Offers and needs live today by top-level S&T field (not by period).",
        lambda c: selectors.listings_by_field(criteria=c, live=True),
        "public",
    ),
    Indicator(
        "live-by-province",
        _("Live offers and needs by province"),
        "Chào bán và nhu cầu đang hiển thị hôm nay theo tỉnh/thành (không theo kỳ).",
        "Offers and needs live today by province (not by period).",
        lambda c: selectors.listings_by_province(criteria=c, live=True),
        "public",
    ),
    Indicator(
        "deals-started",
        _("Deals started by quarter"),
        "Số giao dịch bắt đầu (đề nghị kết nối gửi) trong mỗi quý của kỳ.",
        "Deals started (inquiry sent) in each quarter of the period.",
        lambda c: selectors.deals_started_by_quarter(criteria=c),
        "public",
    ),
    Indicator(
        "contracts",
        _("Contracts recorded by quarter"),
        f"Hợp đồng đã ghi nhận theo quý của ngày ký và tổng giá trị; ô ứng với ít hơn {selectors.SMALL_CELL} hợp "
        "đồng được ẩn (cùng một ô khác nếu chỉ một ô bị ẩn) để không con số nào tiết lộ giá trị hay các bên của một "
        "hợp đồng.",
        f"Contracts recorded by the quarter of their signing date and their total value; a cell of fewer than "
        f"{selectors.SMALL_CELL} contracts is withheld (with another when only one is), so that no figure reveals "
        "one contract's value or its parties.",
        lambda c: selectors.public_contracts_by_quarter(criteria=c),
        "public",
    ),
)

PUBLIC_BY_KEY = {indicator.key: indicator for indicator in PUBLIC}
