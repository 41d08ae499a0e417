"""Known-item search of the expert directory: is the intended expert in the top 3 when people type differently?

    .venv/bin/python bench/expert_search.py [--distractors 300] [--typo-draws 3] [--verbose]
    DATABASE_URL=postgres://user:pass@host/any .venv/bin/python bench/expert_search.py   # on PostgreSQL

The database is thrown away (bench/setup_db.py): SQLite in a temporary directory, or a PostgreSQL database named
``bench_experts`` on the server of DATABASE_URL, created and dropped. It gets the reference data and the demo data
through ``seed_demo`` (the 40-odd demo experts of techex/services/demo_experts.py among them), then
``--distractors`` generated experts: Vietnamese names drawn from common family, middle and given names, and
specialities recombined from the Delta's activities and objects, so that the demo experts are searched among
people who share their syllables, fields and provinces (a directory of this kind, not the demo file alone).

Queries. For every demo expert: their name (without the title) and their first speciality, each sent as every
variant of bench/variants.py that the issue names — without diacritics, in NFD, with one typo (a letter
substituted, deleted or inserted in a word of ≥ 5 letters; ``--typo-draws`` draws), and with one typo typed without
diacritics. A query with no word of five letters has no typo variant. Every query goes through the API in-process
(GET /api/v1/experts/?q=…). The table prints per kind and variant the share of queries with the expert in the top 3
(target ≥ 0.95), the top 10 and the share that found nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup_db import drop_database, load_reference_and_demo, prepare_environment  # noqa: E402
from bench.variants import VARIANTS  # noqa: E402

BENCH_DATABASE = "bench_experts"
ENDPOINT = "/api/v1/experts/"
TARGET = 0.95
SHOWN_VARIANTS = ("exact", "no diacritics", "NFD", "typo", "typo, no diacritics")

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lâm",
    "Mai",
    "Tô",
    "Cao",
    "Hà",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Minh",
    "Hữu",
    "Quốc",
    "Thanh",
    "Ngọc",
    "Hoàng",
    "Thu",
    "Kim",
    "Đức",
    "Công",
    "Bảo",
    "Mỹ",
    "Xuân",
    "Thành",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hải",
    "Hạnh",
    "Hiền",
    "Hòa",
    "Hùng",
    "Hương",
    "Khanh",
    "Khôi",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhân",
    "Nhi",
    "Oanh",
    "Phong",
    "Phúc",
    "Quân",
    "Quyên",
    "Sang",
    "Tâm",
    "Thắng",
    "Thanh",
    "Thảo",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Uyên",
    "Việt",
    "Xuân",
    "Yến",
]
ACTIVITIES = (
    "Nuôi",
    "Chế biến",
    "Bảo quản",
    "Thiết kế",
    "Giám sát",
    "Đánh giá",
    "Xử lý",
    "Sản xuất",
    "Kiểm nghiệm",
    "Tư vấn",
)
OBJECTS = (
    "lúa giống",
    "cá lóc",
    "tôm càng xanh",
    "xoài",
    "bưởi da xanh",
    "khóm",
    "chanh không hạt",
    "khoai lang tím",
    "nấm rơm",
    "ong mật",
    "gà thả vườn",
    "bò thịt",
    "nước thải sinh hoạt",
    "khí thải lò hơi",
    "rơm rạ",
    "vỏ trấu",
    "pin mặt trời",
    "máy bơm nước",
    "cầu tàu",
    "kho lạnh",
    "phân bón lá",
    "thức ăn cá",
    "bột cá",
    "cơm dừa",
    "mật mía",
    "tinh dầu tràm",
    "cây dược liệu",
    "muối biển",
    "rau thủy canh",
    "dưa lưới",
)
FIELDS = ("401", "402", "405", "211", "203", "207", "102", "209", "202")
PROVINCES = ("80", "82", "86", "91", "92", "96")


@dataclass
class Outcome:
    ranks: list[int | None] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    found_nothing: int = 0

    def share(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(1, len(self.ranks))


def add_distractors(count: int, seed: int) -> int:
    """Generated experts, created through the services like the demo ones (none shares a demo expert's name)."""
    from bench.setup_db import demo_staff
    from techex.core.text import fold
    from techex.reference.models import Province, STField
    from techex.services import expert_services
    from techex.services.models import Expert, ServiceCategory

    rng = random.Random(seed)
    staff = demo_staff()
    taken = {fold(name) for name in Expert.objects.values_list("full_name", flat=True)}
    fields = STField.objects.in_bulk(list(FIELDS))
    provinces = Province.objects.in_bulk(list(PROVINCES))
    categories = list(ServiceCategory.objects.all())
    made = 0
    while made < count:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if fold(name) in taken:
            continue
        taken.add(fold(name))
        specialities = [f"{rng.choice(ACTIVITIES)} {rng.choice(OBJECTS)}" for _ in range(3)]
        expert_services.expert_create(
            user=staff,
            fields=[fields[code] for code in rng.sample(FIELDS, 2) if code in fields],
            categories=rng.sample(categories, 2),
            consent=True,
            full_name=name,
            title=rng.choice(["TS.", "ThS.", "KS.", ""]),
            specialities="\n".join(specialities),
            province=provinces.get(rng.choice(PROVINCES)),
            organization_name=f"Trung tâm {rng.choice(OBJECTS).capitalize()}",
            cv=f"{rng.randint(5, 30)} năm kinh nghiệm về {specialities[0].lower()} và {specialities[1].lower()}.",
        )
        made += 1
    return made


def _search(client, text: str, slug: str) -> tuple[int | None, int, float]:
    started = time.perf_counter()
    response = client.get(ENDPOINT, {"q": text, "page_size": 10})
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (text, response.status_code, response.content[:300])
    body = response.json()
    slugs = [item["slug"] for item in body["results"]]
    return (slugs.index(slug) + 1 if slug in slugs else None), body["count"], seconds


def run(args) -> dict[tuple[str, str], Outcome]:
    from django.test import Client

    from techex.services.demo_experts import EXPERTS
    from techex.services.models import Expert

    client = Client(SERVER_NAME="localhost")
    outcomes: dict[tuple[str, str], Outcome] = {}
    for item in EXPERTS:
        expert = Expert.objects.get(full_name=item.full_name)
        for kind, query in (("name", item.full_name), ("speciality", item.specialities[0])):
            for variant in SHOWN_VARIANTS:
                make = VARIANTS[variant]
                draws = args.typo_draws if variant.startswith("typo") else 1
                sent = {make(query, args.seed * 1000 + draw) for draw in range(draws)} - {None}
                for text in sorted(sent):
                    rank, count, seconds = _search(client, text, expert.slug)
                    outcome = outcomes.setdefault((kind, variant), Outcome())
                    outcome.ranks.append(rank)
                    outcome.seconds.append(seconds)
                    outcome.found_nothing += count == 0
                    if args.verbose and (rank is None or rank > 3):
                        print(f"  miss {kind:10} {variant:20} rank {rank or '-':>2} of {count:>4}: {text!r}")
    return outcomes


def print_report(outcomes: dict[tuple[str, str], Outcome]) -> None:
    print(f"\n{'query':11} {'variant':21} {'queries':>7} {'top 3':>6} {'top 10':>6} {'none':>6} {'ms/q':>6}  target")
    for (kind, variant), outcome in outcomes.items():
        top3 = outcome.share(3)
        verdict = f"≥ {TARGET:.2f} {'met' if top3 >= TARGET else 'NOT met'}" if variant != "exact" else ""
        print(
            f"{kind:11} {variant:21} {len(outcome.ranks):7d} {top3:6.2f} {outcome.share(10):6.2f} "
            f"{outcome.found_nothing / max(1, len(outcome.ranks)):6.2f} "
            f"{statistics.fmean(outcome.seconds) * 1000:6.1f}  {verdict}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distractors", type=int, default=300, help="generated experts (default 300)")
    parser.add_argument("--typo-draws", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--verbose", action="store_true", help="print every query not in the top 3")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    database = prepare_environment(name=BENCH_DATABASE)
    import django

    django.setup()
    try:
        print(f"Database: {database.describe()}")
        seconds = load_reference_and_demo()
        made = add_distractors(args.distractors, args.seed)
        from techex.services.models import Expert

        print(f"Reference and demo data: {seconds:.0f} s; {made} generated experts; {Expert.objects.count()} in all")
        print_report(run(args))
    finally:
        drop_database(database)


if __name__ == "__main__":
    main()
