"""Generate realistic technology offers and needs in the import format (docs/import-format.md), as JSONL.

    .venv/bin/python bench/generate_listings.py [-n 100000] [--seed 1] [--vi-share 0.7] [--out PATH]

Deterministic: the same count, seed and share always write the same file. Vietnamese rows (with full diacritics) are
built from Mekong Delta vocabularies — products, processes, equipment, places, benefits, numbers — and English rows
from technical vocabularies; offers and needs alternate about 3:2. Every code (S&T field, IPC subclass, VSIC,
province, commune) is checked against data/reference before anything is written, and organisations come from
data/demo/organizations.json, so every row passes the importer once the demo organisations exist (prove it with
``manage.py import_listings FILE --dry-run`` or bench/vi_robustness.py). The output goes to bench/out/ (git-ignored).

Needs no Django: run it anywhere; ``generate_rows()`` is also used by bench/vi_robustness.py.
"""

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
ORGANIZATIONS_FILE = ROOT / "data" / "demo" / "organizations.json"
OUT_DIR = ROOT / "bench" / "out"
SOURCE = "Dữ liệu sinh tự động (bench)"

# --- vocabularies: Vietnamese ---------------------------------------------------------------------------------------

# What a process is applied to, by category. Products and sites alike; a process names the categories it fits.
OBJECTS_VI: dict[str, list[str]] = {
    "lua": ["lúa", "lúa gạo", "gạo", "lúa giống", "gạo thơm", "gạo mầm", "cám gạo", "trấu", "rơm rạ"],
    "thuy_san": [
        "tôm",
        "tôm sú",
        "tôm thẻ chân trắng",
        "tôm càng xanh",
        "cá tra",
        "cá lóc",
        "cua biển",
        "nghêu",
        "cá basa",
        "cá cơm",
    ],
    "trai_cay": [
        "xoài",
        "xoài cát Hòa Lộc",
        "sầu riêng",
        "bưởi",
        "bưởi da xanh",
        "chôm chôm",
        "thanh long",
        "nhãn",
        "măng cụt",
        "chuối",
        "khóm",
        "mít",
        "cam sành",
        "vú sữa",
    ],
    "dua": ["dừa", "dừa xiêm", "nước dừa", "mụn dừa", "cơm dừa", "thạch dừa"],
    "sen": ["hạt sen", "ngó sen", "lá sen", "tim sen"],
    "rau_cu": ["khoai lang", "khoai môn", "củ sen", "rau má", "hành tím", "ớt", "gừng", "nấm rơm"],
    "chan_nuoi": ["heo", "gà", "vịt", "bò", "dê"],
    "phu_pham": ["phụ phẩm cá tra", "vỏ tôm", "vỏ bưởi", "bã mía", "vỏ sầu riêng", "phân chuồng", "bùn ao"],
    "ao_nuoi": ["ao nuôi tôm", "ao nuôi cá tra", "vuông tôm quảng canh", "ruộng lúa – tôm", "bể ương giống"],
    "vuon": ["vườn sầu riêng", "vườn bưởi", "vườn xoài", "vườn cây ăn trái", "ruộng lúa", "ruộng rau màu"],
    "nha_may": [
        "nhà máy chế biến thủy sản",
        "cơ sở xay xát",
        "kho lạnh nông sản",
        "lò giết mổ",
        "nhà máy đường",
        "cơ sở làm bánh tráng",
        "làng nghề nước mắm",
    ],
    "dan_cu": ["điểm trường vùng ven biển", "cụm dân cư vùng nhiễm mặn", "trạm y tế xã", "chợ nông sản"],
}


@dataclass(frozen=True)
class Process:
    """A technology family: what it does, what it applies to, how it is classified and what equipment it uses."""

    name: str
    objects: tuple[str, ...]  # categories of OBJECTS_VI (or OBJECTS_EN)
    fields: tuple[str, ...]  # S&T field codes, Decision 12/2008
    ipc: tuple[str, ...]  # IPC subclasses
    equipment: tuple[str, ...]
    vsic: str = ""


PROCESSES_VI: tuple[Process, ...] = (
    Process(
        "sấy",
        ("lua", "trai_cay", "thuy_san", "rau_cu", "dua"),
        ("40107", "211", "203"),
        ("F26B", "A23B"),
        (
            "máy sấy tầng sôi",
            "máy sấy bơm nhiệt",
            "lò sấy tĩnh vỉ ngang",
            "máy sấy năng lượng mặt trời",
            "buồng sấy lạnh",
        ),
        "C",
    ),
    Process(
        "sấy lạnh",
        ("trai_cay", "rau_cu", "sen"),
        ("40107", "21101"),
        ("F26B", "A23B"),
        ("máy sấy lạnh bơm nhiệt", "buồng sấy chân không"),
        "10",
    ),
    Process(
        "bảo quản lạnh",
        ("trai_cay", "thuy_san", "sen", "rau_cu"),
        ("40107", "21101"),
        ("A23B", "F25D"),
        ("kho lạnh điện mặt trời", "container lạnh khí quyển điều chỉnh", "tủ cấp đông IQF", "hầm cấp đông"),
        "10",
    ),
    Process(
        "cấp đông nhanh",
        ("thuy_san", "trai_cay", "dua"),
        ("21101", "40107"),
        ("F25D", "A23B"),
        ("tủ cấp đông nitơ lỏng", "băng chuyền cấp đông IQF"),
        "10",
    ),
    Process(
        "chế biến",
        ("lua", "trai_cay", "thuy_san", "dua", "sen", "rau_cu"),
        ("211", "21101", "40107"),
        ("A23L", "A23N"),
        ("dây chuyền chế biến", "thiết bị cô đặc chân không", "máy ép trục vít", "nồi nấu hai vỏ"),
        "10",
    ),
    Process(
        "lên men",
        ("trai_cay", "dua", "lua", "thuy_san"),
        ("21102", "20901", "40604"),
        ("C12M", "C12P"),
        ("bồn lên men inox", "hệ thống lên men liên tục"),
        "11",
    ),
    Process(
        "chiết xuất",
        ("phu_pham", "trai_cay", "sen"),
        ("20902", "10401", "21101"),
        ("B01D", "A23L"),
        ("thiết bị chiết siêu tới hạn CO2", "hệ thống chưng cất lôi cuốn hơi nước"),
        "C",
    ),
    Process(
        "xử lý nước",
        ("ao_nuoi", "dan_cu", "nha_may"),
        ("207", "20701"),
        ("C02F",),
        ("hệ lọc RO", "bể lọc sinh học", "thiết bị ozone", "hệ keo tụ – lắng"),
        "36",
    ),
    Process(
        "xử lý nước thải",
        ("nha_may", "chan_nuoi", "ao_nuoi"),
        ("207", "20802"),
        ("C02F",),
        ("bể bùn hạt hiếu khí", "bể UASB", "hệ thống MBR", "đất ngập nước nhân tạo"),
        "37",
    ),
    Process(
        "khử mặn",
        ("dan_cu", "ao_nuoi", "vuon"),
        ("207", "20701", "20105"),
        ("C02F", "B01D"),
        ("hệ lọc RO chạy điện mặt trời", "thiết bị chưng cất màng", "trạm khử mặn di động"),
        "36",
    ),
    Process(
        "biogas",
        ("chan_nuoi", "phu_pham", "nha_may"),
        ("20703", "208"),
        ("C12M", "C10L"),
        ("hầm biogas composite", "túi biogas HDPE", "máy phát điện biogas"),
        "35",
    ),
    Process(
        "điện mặt trời",
        ("ao_nuoi", "vuon", "nha_may", "dan_cu"),
        ("202", "20201", "20703"),
        ("H02S", "F24S"),
        ("hệ pin mặt trời áp mái", "hệ điện mặt trời có lưu trữ", "bơm nước năng lượng mặt trời"),
        "35",
    ),
    Process(
        "truy xuất nguồn gốc",
        ("lua", "thuy_san", "trai_cay", "dua"),
        ("102", "20204"),
        ("G06Q", "G06K"),
        ("phần mềm mã QR", "nền tảng blockchain", "ứng dụng nhật ký điện tử"),
        "62",
    ),
    Process(
        "quan trắc tự động",
        ("ao_nuoi", "vuon", "dan_cu"),
        ("20202", "20204", "207"),
        ("G01N", "H04W"),
        ("cảm biến IoT", "trạm đo mặn tự động", "camera AI", "bộ điều khiển từ xa"),
        "62",
    ),
    Process(
        "nhân giống",
        ("lua", "trai_cay", "thuy_san", "sen"),
        ("406", "40602", "401"),
        ("A01H", "A01K"),
        ("phòng nuôi cấy mô", "bể ương tuần hoàn"),
        "01",
    ),
    Process(
        "phòng trừ sâu bệnh",
        ("lua", "trai_cay", "vuon", "rau_cu"),
        ("40106", "40604"),
        ("A01N", "A01G"),
        ("chế phẩm vi sinh Trichoderma", "bẫy pheromone", "máy bay không người lái phun thuốc"),
        "01",
    ),
    Process(
        "phòng bệnh",
        ("thuy_san", "chan_nuoi", "ao_nuoi"),
        ("405", "403", "40604"),
        ("A01K", "A23K", "C12Q"),
        ("bộ kit PCR", "chế phẩm probiotic", "vắc xin bất hoạt"),
        "03",
    ),
    Process(
        "ủ phân hữu cơ",
        ("phu_pham", "chan_nuoi", "lua"),
        ("40604", "208"),
        ("C05F",),
        ("hệ ủ hiếu khí cưỡng bức", "máy đảo trộn phân", "chế phẩm vi sinh phân giải"),
        "01",
    ),
    Process(
        "nhiệt phân",
        ("lua", "phu_pham", "dua"),
        ("20703", "204"),
        ("C10B", "C10L"),
        ("lò nhiệt phân liên tục", "lò khí hóa trấu"),
        "C",
    ),
    Process(
        "cơ giới hóa thu hoạch",
        ("lua", "trai_cay", "rau_cu"),
        ("203", "401"),
        ("A01D",),
        ("máy gặt đập liên hợp", "máy cuộn rơm", "robot hái trái"),
        "01",
    ),
    Process(
        "tưới tiết kiệm",
        ("vuon", "rau_cu", "trai_cay"),
        ("20105", "401"),
        ("A01G",),
        ("hệ tưới nhỏ giọt", "hệ tưới phun mưa tự động", "bộ điều khiển tưới theo độ ẩm"),
        "01",
    ),
    Process(
        "đóng gói",
        ("trai_cay", "lua", "thuy_san", "dua"),
        ("211", "20513"),
        ("B65D",),
        ("máy đóng gói hút chân không", "bao bì phân hủy sinh học", "màng bao ăn được"),
        "C",
    ),
)

PLACES_VI: tuple[tuple[str, str], ...] = (  # (place named in the text, its 2025 province code)
    ("Cần Thơ", "92"),
    ("Phong Điền", "92"),
    ("Thốt Nốt", "92"),
    ("Sóc Trăng", "92"),
    ("Hậu Giang", "92"),
    ("Long Mỹ", "92"),
    ("Trần Đề", "92"),
    ("Bạc Liêu", "96"),
    ("Cà Mau", "96"),
    ("U Minh", "96"),
    ("Năm Căn", "96"),
    ("An Giang", "91"),
    ("Châu Đốc", "91"),
    ("Kiên Giang", "91"),
    ("Rạch Giá", "91"),
    ("Đồng Tháp", "82"),
    ("Tháp Mười", "82"),
    ("Sa Đéc", "82"),
    ("Tiền Giang", "82"),
    ("Cái Bè", "82"),
    ("Vĩnh Long", "86"),
    ("Bến Tre", "86"),
    ("Giồng Trôm", "86"),
    ("Trà Vinh", "86"),
    ("Cầu Kè", "86"),
    ("Long An", "80"),
    ("Tây Ninh", "80"),
    ("Đồng bằng sông Cửu Long", "92"),
)
ACTORS_VI = ("hợp tác xã", "doanh nghiệp", "nông hộ", "trang trại", "tổ hợp tác", "nhà máy", "cơ sở sản xuất")
QUALITIES_VI = (
    "tiết kiệm năng lượng",
    "chi phí thấp",
    "quy mô nhỏ",
    "quy mô hợp tác xã",
    "tự động",
    "bán tự động",
    "thân thiện môi trường",
    "đạt chuẩn xuất khẩu",
    "vận hành đơn giản",
    "công suất lớn",
)
MARKETS_VI = ("EU", "Nhật Bản", "Hàn Quốc", "Hoa Kỳ", "Trung Quốc", "Úc")
STANDARDS_VI = ("VietGAP", "GlobalGAP", "HACCP", "ISO 22000", "OCOP 4 sao", "QCVN 11-MT:2015/BTNMT", "ASC")
BENEFITS_VI = (
    "giảm {p}% chi phí năng lượng",
    "giảm {p}% hao hụt sau thu hoạch",
    "tăng {p}% năng suất",
    "rút ngắn thời gian xử lý còn {h} giờ",
    "kéo dài thời gian bảo quản lên {d} ngày",
    "giảm {p}% lượng nước sử dụng",
    "đạt tiêu chuẩn xuất khẩu sang {market}",
    "thu hồi vốn sau {y} năm",
    "giảm {p}% lao động thủ công",
)
UNITS_VI = ("tấn/ngày", "tấn/mẻ", "kg/giờ", "m³/ngày", "lít/giờ", "ha", "kWp")

TITLES_OFFER_VI = (
    "Công nghệ {process} {obj} bằng {equipment}",
    "Quy trình {process} {obj} {quality}",
    "{Equipment} {process} {obj}, công suất {n} {unit}",
    "Hệ thống {process} cho {obj} {quality} tại {place}",
    "Giải pháp {process} {obj} {benefit}",
    "Chuyển giao {equipment} cho {actor} {obj}",
)
TITLES_NEED_VI = (
    "Cần công nghệ {process} {obj} cho {actor} tại {place}",
    "Cần {equipment} {process} {obj} công suất {n} {unit}",
    "Tìm giải pháp {process} {obj} {quality}",
    "{Actor} ở {place} cần hệ thống {process} {obj}",
    "Cần quy trình {process} {obj} đạt {standard}",
    "Tìm đối tác chuyển giao công nghệ {process} {obj} {benefit}",
)
SUMMARY_OFFER_VI = (
    "{Equipment} {process} {obj} công suất {n} {unit}, {benefit}; đã vận hành thử tại {place}.",
    "Quy trình {process} {obj} {quality}, {benefit}, phù hợp {actor} vùng {place}.",
    "Chuyển giao trọn gói {equipment} và quy trình {process} {obj}; {benefit}.",
)
SUMMARY_NEED_VI = (
    "{Actor} tại {place} cần {process} khoảng {n} {unit} {obj}, yêu cầu {quality} và {benefit}.",
    "Đang tìm công nghệ {process} {obj} đạt {standard}, ngân sách giới hạn, vận hành được bởi lao động địa phương.",
    "Cần {equipment} để {process} {obj} cho {actor}; ưu tiên giải pháp {quality}.",
)
DESCRIPTION_VI = (
    "Vùng {place} có sản lượng {obj} lớn nhưng khâu {process} còn thủ công, hao hụt cao.",
    "Hệ thống gồm {equipment}, tủ điều khiển và cảm biến nhiệt độ, độ ẩm; {benefit}.",
    "Công suất thiết kế {n} {unit}, tiêu thụ điện khoảng {kw} kW, diện tích lắp đặt {m2} m².",
    "Sản phẩm sau {process} đạt {standard}, đáp ứng yêu cầu thị trường {market}.",
    "Đã thử nghiệm {y} vụ tại {actor} ở {place}, kết quả được hội đồng khoa học nghiệm thu.",
    "Bên nhận được đào tạo vận hành, bảo trì và hỗ trợ kỹ thuật trong {y} năm.",
    "Chi phí đầu tư dự kiến khoảng {price} triệu đồng, thu hồi vốn sau {y} năm.",
    "Độ mặn mùa khô có lúc vượt {sal}‰, nguồn nước ngọt khan hiếm.",
)
ADVANTAGES_VI = (
    "So với phương pháp truyền thống, {benefit}; vật tư dễ thay thế trong nước.",
    "Vận hành đơn giản, {quality}; {benefit}.",
)
APPLICATIONS_VI = ("Áp dụng cho {actor} {process} {obj} ở {place} và các tỉnh Đồng bằng sông Cửu Long.",)
PROBLEM_VI = (
    "Hiện {actor} {process} {obj} bằng phương pháp thủ công, chất lượng không đồng đều và hao hụt {p}%.",
    "Khâu {process} {obj} là điểm nghẽn: chi phí cao, không đạt {standard} để xuất khẩu sang {market}.",
)
REQUIREMENTS_VI = ("Công suất tối thiểu {n} {unit}; {quality}; có hướng dẫn vận hành bằng tiếng Việt.",)

# --- vocabularies: English ------------------------------------------------------------------------------------------

OBJECTS_EN: dict[str, list[str]] = {
    "water": [
        "brackish groundwater",
        "aquaculture pond water",
        "municipal wastewater",
        "seafood processing effluent",
        "rainwater",
        "irrigation water",
    ],
    "crops": ["paddy rice", "mango", "durian", "pomelo", "coconut", "dragon fruit", "cassava", "sweet potato"],
    "aqua": ["whiteleg shrimp", "pangasius", "tilapia", "mud crab", "clams"],
    "energy": ["rice husk", "biomass residues", "livestock manure", "solar power", "small hydro"],
    "materials": [
        "biodegradable packaging",
        "chitosan film",
        "silica from rice husk ash",
        "composite panels",
        "activated carbon",
    ],
    "data": ["farm records", "supply chain data", "sensor data", "satellite imagery"],
}
PROCESSES_EN: tuple[Process, ...] = (
    Process(
        "drying",
        ("crops", "aqua"),
        ("40107", "211"),
        ("F26B",),
        ("heat-pump dryer", "fluidised-bed dryer", "solar tunnel dryer"),
    ),
    Process(
        "cold-chain preservation",
        ("crops", "aqua"),
        ("40107", "21101"),
        ("F25D", "A23B"),
        ("solar-powered cold room", "IQF tunnel freezer", "controlled-atmosphere container"),
    ),
    Process(
        "desalination",
        ("water",),
        ("207", "20701"),
        ("C02F", "B01D"),
        ("reverse-osmosis unit", "membrane distillation module", "capacitive deionisation cell"),
    ),
    Process(
        "wastewater treatment",
        ("water",),
        ("207", "20802"),
        ("C02F",),
        ("aerobic granular sludge reactor", "membrane bioreactor", "constructed wetland"),
    ),
    Process(
        "anaerobic digestion",
        ("energy",),
        ("20703", "208"),
        ("C12M", "C10L"),
        ("biogas digester", "biogas generator set"),
    ),
    Process(
        "gasification",
        ("energy",),
        ("20703", "204"),
        ("C10B", "C10L"),
        ("downdraft gasifier", "continuous pyrolysis kiln"),
    ),
    Process(
        "traceability",
        ("data", "aqua", "crops"),
        ("102", "20204"),
        ("G06Q",),
        ("QR-code platform", "blockchain ledger", "mobile farm diary"),
    ),
    Process(
        "remote sensing",
        ("data", "crops", "water"),
        ("20704", "20202"),
        ("G01N", "H04W"),
        ("low-cost IoT sensor network", "salinity monitoring buoy", "drone imaging system"),
    ),
    Process(
        "disease detection",
        ("aqua", "crops"),
        ("405", "40106", "20605"),
        ("C12Q", "G01N"),
        ("rapid PCR test kit", "lateral-flow assay", "portable biosensor"),
    ),
    Process(
        "materials processing",
        ("materials",),
        ("205", "20512", "21001"),
        ("B65D", "C10B"),
        ("hot-press moulding line", "ball mill", "extrusion line"),
    ),
)
QUALITIES_EN = (
    "low-cost",
    "energy-efficient",
    "modular",
    "portable",
    "automated",
    "solar-powered",
    "scalable",
    "field-tested",
    "low-maintenance",
)
BENEFITS_EN = (
    "cuts energy use by {p}%",
    "reduces post-harvest losses by {p}%",
    "raises yield by {p}%",
    "extends shelf life to {d} days",
    "pays back within {y} years",
    "removes {p}% of contaminants",
)
TITLES_OFFER_EN = (
    "{Quality} {equipment} for {process} of {obj}",
    "{Process} of {obj} using a {quality} {equipment}",
    "{Equipment} that {benefit} in {process} of {obj}",
)
TITLES_NEED_EN = (
    "Seeking {quality} {process} technology for {obj}",
    "Need a {equipment} for {obj} {process}",
    "Partner wanted: {process} of {obj} that {benefit}",
)
SUMMARY_EN = (
    "A {quality} {equipment} for {process} of {obj}; it {benefit} at a capacity of {n} units a day.",
    "{Process} of {obj} with a {equipment}, tested over {y} seasons; it {benefit}.",
)
DESCRIPTION_EN = (
    "The system combines a {equipment} with a controller and sensors for temperature, humidity and flow.",
    "Field trials over {y} seasons showed that it {benefit}.",
    "Design capacity is {n} units a day at about {kw} kW; the footprint is {m2} m².",
    "It suits cooperatives and small firms that handle {obj}.",
    "The licence includes training, maintenance manuals and {y} years of technical support.",
)

# --- listing terms --------------------------------------------------------------------------------------------------

STAGE_BY_TRL = {
    1: "concept",
    2: "concept",
    3: "development",
    4: "lab_tested",
    5: "lab_tested",
    6: "demonstrated",
    7: "demonstrated",
    8: "market",
    9: "market",
}
TRL_WEIGHTS = {1: 1, 2: 2, 3: 4, 4: 6, 5: 8, 6: 9, 7: 8, 8: 5, 9: 3}
IP_TYPES = {
    "none": 30,
    "patent": 15,
    "utility_solution": 20,
    "trade_secret": 12,
    "industrial_design": 4,
    "trademark": 4,
    "copyright": 8,
    "plant_variety": 4,
    "geographical_indication": 1,
    "layout_design": 1,
}
IP_NUMBER_PREFIX = {"patent": "1", "utility_solution": "2", "industrial_design": "3", "trademark": "4"}
TRANSFER_FORMS = (
    "assignment",
    "exclusive_licence",
    "non_exclusive_licence",
    "technical_service",
    "joint_venture",
    "rd_cooperation",
    "franchise",
)
PRICE_TYPES = {"negotiable": 45, "fixed": 20, "range": 25, "valuation": 10}
PARTNER_TYPES = ("university", "institute", "enterprise", "cooperative", "individual", "intermediary", "public_body")
MEKONG_PROVINCES = ("80", "82", "86", "91", "92", "96")
OFFER_SHARE = 0.6
WARD_SHARE = 0.3
ANONYMOUS_SHARE = 0.05


# --- reference data -------------------------------------------------------------------------------------------------


def _csv(relative: str) -> list[dict[str, str]]:
    with open(REFERENCE / relative, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Reference:
    """The codes the importer accepts, read from data/reference (what ``load_reference_data`` loads)."""

    fields: set[str]
    provinces: set[str]
    wards: dict[str, list[str]]
    ipc: set[str]
    vsic: set[str]

    @classmethod
    def load(cls) -> "Reference":
        wards: dict[str, list[str]] = {}
        for row in _csv("admin/vn_wards_2025.csv"):
            wards.setdefault(row["province_code"], []).append(row["code"])
        return cls(
            fields={row["code"] for row in _csv("st_fields/vn_st_fields_12-2008_level1_2.csv")}
            | {row["code"] for row in _csv("st_fields/vn_st_fields_12-2008_level3_PARTIAL.csv")},
            provinces={row["code"] for row in _csv("admin/vn_provinces_2025.csv")},
            wards=wards,
            ipc={
                row["code"] for row in _csv("ipc/ipc_sections_classes_subclasses_en.csv") if row["level"] == "subclass"
            },
            vsic={row["code"] for row in _csv("vsic/vsic2025_level1_2.csv")},
        )

    def check_vocabularies(self) -> None:
        """Fail before writing anything if a vocabulary names a code the reference data lacks."""
        problems = []
        for process in (*PROCESSES_VI, *PROCESSES_EN):
            problems += [f"{process.name}: S&T field {code}" for code in process.fields if code not in self.fields]
            problems += [f"{process.name}: IPC {code}" for code in process.ipc if code not in self.ipc]
            if process.vsic and process.vsic not in self.vsic:
                problems.append(f"{process.name}: VSIC {process.vsic}")
            objects = OBJECTS_VI if process in PROCESSES_VI else OBJECTS_EN
            problems += [f"{process.name}: category {name}" for name in process.objects if name not in objects]
        problems += [f"province {code}" for _place, code in PLACES_VI if code not in self.provinces]
        problems += [f"province {code}" for code in MEKONG_PROVINCES if code not in self.wards]
        if problems:
            raise SystemExit("Unknown codes in the vocabularies: " + "; ".join(problems))


@dataclass(frozen=True)
class Organization:
    name: str
    type: str
    tax_code: str | None
    country: str


def load_organizations() -> list[Organization]:
    items = json.loads(ORGANIZATIONS_FILE.read_text(encoding="utf-8"))["organizations"]
    return [Organization(item["name"], item["type"], item.get("tax_code"), item.get("country", "VN")) for item in items]


# --- building one row -----------------------------------------------------------------------------------------------


@dataclass
class Generator:
    """Builds listings one at a time from a seeded random generator."""

    seed: int = 1
    vi_share: float = 0.7
    prefix: str = "gen"
    reference: Reference = field(default_factory=Reference.load)
    organizations: list[Organization] = field(default_factory=load_organizations)

    def __post_init__(self) -> None:
        self.reference.check_vocabularies()
        self.rng = random.Random(self.seed)
        self.vn_orgs = [org for org in self.organizations if org.country == "VN" and org.tax_code]
        self.us_orgs = [org for org in self.organizations if org.country != "VN"]

    def rows(self, count: int) -> Iterator[dict]:
        for number in range(count):
            yield self.row(number)

    def row(self, number: int) -> dict:
        rng = self.rng
        kind = "offer" if rng.random() < OFFER_SHARE else "need"
        vietnamese = rng.random() < self.vi_share
        words = self._words_vi(kind) if vietnamese else self._words_en()
        text = self._text_vi(kind, words) if vietnamese else self._text_en(kind, words)
        process: Process = words.pop("_process")
        row: dict = {
            "kind": kind,
            "external_ref": f"{self.prefix}-{self.seed}-{number:07d}",
            "language": "vi" if vietnamese else "en",
            **text,
            "field_codes": rng.sample(process.fields, rng.randint(1, min(2, len(process.fields)))),
            "keywords": self._keywords(words),
            "source": SOURCE,
        }
        if rng.random() < 0.6:
            row["ipc_codes"] = rng.sample(process.ipc, 1)
        if process.vsic and rng.random() < 0.5:
            row["vsic"] = process.vsic
        row.update(self._maturity(kind))
        row.update(self._ip(kind))
        row.update(self._terms(kind))
        row.update(self._place(words.get("province", rng.choice(MEKONG_PROVINCES))))
        row.update(self._organization(kind, vietnamese))
        return row

    # --- words ----------------------------------------------------------------------------------------------------

    def _numbers(self) -> dict:
        rng = self.rng
        return {
            "p": rng.choice((10, 15, 20, 25, 30, 35, 40, 50, 60)),
            "h": rng.choice((4, 6, 8, 12, 24, 36)),
            "d": rng.choice((7, 14, 21, 30, 45, 60, 90)),
            "y": rng.randint(2, 5),
            "n": rng.choice((0.5, 1, 2, 3, 5, 8, 10, 20, 50, 100, 500)),
            "kw": rng.choice((3, 5, 7.5, 11, 15, 22, 30)),
            "m2": rng.choice((20, 40, 60, 100, 200)),
            "sal": rng.choice((4, 6, 8, 10, 12)),
            "price": rng.choice((80, 150, 250, 350, 500, 900, 1500)),
            "market": rng.choice(MARKETS_VI),
        }

    def _words_vi(self, kind: str) -> dict:
        rng = self.rng
        process = rng.choice(PROCESSES_VI)
        place, province = rng.choice(PLACES_VI)
        words = {
            "_process": process,
            "process": process.name,
            "obj": rng.choice(OBJECTS_VI[rng.choice(process.objects)]),
            "equipment": rng.choice(process.equipment),
            "place": place,
            "province": province,
            "actor": rng.choice(ACTORS_VI),
            "quality": rng.choice(QUALITIES_VI),
            "standard": rng.choice(STANDARDS_VI),
            "unit": rng.choice(UNITS_VI),
            **self._numbers(),
        }
        words["n"] = str(words["n"]).replace(".", ",")  # Vietnamese decimal comma
        words["benefit"] = rng.choice(BENEFITS_VI).format(**words)
        return words

    def _words_en(self) -> dict:
        rng = self.rng
        process = rng.choice(PROCESSES_EN)
        words = {
            "_process": process,
            "process": process.name,
            "obj": rng.choice(OBJECTS_EN[rng.choice(process.objects)]),
            "equipment": rng.choice(process.equipment),
            "quality": rng.choice(QUALITIES_EN),
            **self._numbers(),
        }
        words["benefit"] = rng.choice(BENEFITS_EN).format(**words)
        return words

    def _fill(self, templates: tuple[str, ...], words: dict) -> str:
        template = self.rng.choice(templates)
        capitals = {key.capitalize(): _capital(value) for key, value in words.items() if isinstance(value, str)}
        return template.format(**words, **capitals)

    def _paragraphs(self, templates: tuple[str, ...], words: dict, sentences: int) -> str:
        chosen = self.rng.sample(templates, min(sentences, len(templates)))
        return " ".join(_capital(sentence.format(**words)) for sentence in chosen)

    def _text_vi(self, kind: str, words: dict) -> dict:
        rng = self.rng
        offer = kind == "offer"
        text = {
            "title": _capital(self._fill(TITLES_OFFER_VI if offer else TITLES_NEED_VI, words)),
            "summary": self._fill(SUMMARY_OFFER_VI if offer else SUMMARY_NEED_VI, words),
            "description": self._paragraphs(DESCRIPTION_VI, words, rng.randint(3, 6)),
        }
        if offer:
            text["advantages"] = self._fill(ADVANTAGES_VI, words)
            text["applications"] = self._fill(APPLICATIONS_VI, words)
        else:
            text["problem"] = self._fill(PROBLEM_VI, words)
            text["technical_requirements"] = self._fill(REQUIREMENTS_VI, words)
            text["deployment_place"] = words["place"]
        return text

    def _text_en(self, kind: str, words: dict) -> dict:
        rng = self.rng
        return {
            "title": _capital(self._fill(TITLES_OFFER_EN if kind == "offer" else TITLES_NEED_EN, words)),
            "summary": self._fill(SUMMARY_EN, words),
            "description": self._paragraphs(DESCRIPTION_EN, words, rng.randint(2, 5)),
        }

    def _keywords(self, words: dict) -> list[str]:
        candidates = [words["process"], words["obj"], words["equipment"], words.get("place")]
        return list(dict.fromkeys(word for word in candidates if word))[: self.rng.randint(1, 4)]

    # --- terms ----------------------------------------------------------------------------------------------------

    def _maturity(self, kind: str) -> dict:
        trl = self.rng.choices(list(TRL_WEIGHTS), weights=list(TRL_WEIGHTS.values()))[0]
        if kind == "offer":
            return {"trl": trl, "stage": STAGE_BY_TRL[trl]}
        return {"min_trl": max(1, trl - 1)} if self.rng.random() < 0.7 else {}

    def _ip(self, kind: str) -> dict:
        rng = self.rng
        if kind == "need":
            return {}
        ip_type = rng.choices(list(IP_TYPES), weights=list(IP_TYPES.values()))[0]
        if ip_type == "none":
            return {"ip_type": "none", "ip_status": "none"}
        status = rng.choice(("applied", "granted"))
        result = {"ip_type": ip_type, "ip_status": status, "ip_territory": "Việt Nam"}
        if status == "granted" and ip_type in IP_NUMBER_PREFIX:
            result["ip_numbers"] = f"{IP_NUMBER_PREFIX[ip_type]}-00{rng.randint(10000, 99999)}"
        return result

    def _terms(self, kind: str) -> dict:
        rng = self.rng
        price_type = rng.choices(list(PRICE_TYPES), weights=list(PRICE_TYPES.values()))[0]
        low = rng.choice((30, 50, 80, 120, 200, 350, 500, 800, 1200, 2500)) * 1_000_000
        terms: dict = {"price_type": price_type, "transfer_forms": rng.sample(TRANSFER_FORMS, rng.randint(1, 3))}
        if price_type == "fixed":
            terms["price_min"] = low
        elif price_type == "range":
            terms["price_min"], terms["price_max"] = low, low * rng.choice((2, 3, 4))
        if kind == "need":
            terms["partner_types"] = rng.sample(PARTNER_TYPES[:4], rng.randint(1, 2))
            terms["partner_province_codes"] = rng.sample(MEKONG_PROVINCES, rng.randint(0, 3))
            if rng.random() < 0.6:
                terms["deadline"] = (date(2026, 9, 1) + timedelta(days=rng.randint(0, 820))).isoformat()
        return terms

    def _place(self, province: str) -> dict:
        place = {"province_code": province}
        if self.rng.random() < WARD_SHARE:
            place["ward_code"] = self.rng.choice(self.reference.wards[province])
        return place

    def _organization(self, kind: str, vietnamese: bool) -> dict:
        rng = self.rng
        if not vietnamese and self.us_orgs and rng.random() < 0.5:
            return {"organization_name": rng.choice(self.us_orgs).name}
        organization = rng.choice(self.vn_orgs)
        result = {"organization_tax_code": organization.tax_code}
        if rng.random() < ANONYMOUS_SHARE:
            result["is_anonymous"] = True
        return result


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- writing --------------------------------------------------------------------------------------------------------


def generate_rows(count: int, *, seed: int = 1, vi_share: float = 0.7, prefix: str = "gen") -> Iterator[dict]:
    """``count`` listings in the import format, the same for the same arguments."""
    return Generator(seed=seed, vi_share=vi_share, prefix=prefix).rows(count)


def write_jsonl(rows: Iterator[dict], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")
            written += 1
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=100_000, help="listings to write (default 100,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--vi-share", type=float, default=0.7, help="share of Vietnamese listings (default 0.7)")
    parser.add_argument("--prefix", default="gen", help="external_ref prefix (default gen)")
    parser.add_argument("--out", type=Path, help="output file (default bench/out/listings-N-sSEED.jsonl)")
    args = parser.parse_args(argv)
    out = args.out or OUT_DIR / f"listings-{args.count}-s{args.seed}.jsonl"
    started = time.perf_counter()
    generator = Generator(seed=args.seed, vi_share=args.vi_share, prefix=args.prefix)
    written = write_jsonl(generator.rows(args.count), out)
    seconds = time.perf_counter() - started
    size = out.stat().st_size
    print(
        f"{written:,} listings in {seconds:.2f} s ({written / seconds:,.0f} rows/s), "
        f"{size / 1e6:.1f} MB -> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
    )


if __name__ == "__main__":
    sys.exit(main())
