"""Statistics speed at scale: the staff dashboard page and the statistics API, uncached, p50/p95/max.

    .venv/bin/python bench/statistics_speed.py [--listings 100000] [--deals 10000] [--requests 20] [--keep]
    .venv/bin/python bench/statistics_speed.py --skip-import          # reuse the database a --keep run left
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_stats .venv/bin/python bench/statistics_speed.py

The database is thrown away (bench/setup_db.py): SQLite in a temporary directory, or, with DATABASE_URL, the
PostgreSQL database ``bench_stats`` on that server, dropped first if left over and dropped at the end.

1. Migrations and the reference data; the lead department and four partners (An Giang, Đồng Tháp, Vĩnh Long,
   Cà Mau); 600 organisations of every type across the Delta provinces; one lead staff account.
2. ``--listings`` listings written in bulk (not through the services: what is measured is reading them), 60 %
   offers, each with one or two S&T fields, a TRL, transfer forms, a province of the region and its department,
   published over the last three years (5 % never published), some renewed, some expired or withdrawn.
3. ``--deals`` deals on those listings, started over the three years, each reaching a random stage with its stage
   times; the signed ones (about a third) with a recorded contract and a value. 5,000 days × queries of search demand.
4. Timed, in this process with Django's test client (no server, no cache: the statistics keep none), ``--requests``
   times each after one warm-up: the dashboard page as lead staff (whole region, default period: three calendar
   years), the same for a partner's staff (their department), the staff API (every indicator), the public page and
   the public API. Reported: p50, p95, max in ms, and the queries of one request.

Target of issue 14: p95 ≤ 300 ms for the dashboard page and the API, uncached, on SQLite and PostgreSQL. The load
average is printed at the start and the end: other work on the machine skews every figure.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup_db import drop_database, keep_database, prepare_environment  # noqa: E402

DATABASE_NAME = "bench_stats"
KEEP_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "techex-bench-stats"
STAFF_EMAIL = "bench.stats@example.vn"
PARTNER_EMAIL = "bench.stats.an-giang@example.vn"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build(listings: int, deals: int, seed: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from techex.accounts.models import User
    from techex.deals.choices import ContractForm, CrossBorder, DealStage, Side
    from techex.deals.models import Contract, Deal
    from techex.departments.selectors import lead_department
    from techex.departments.services import department_staff_set
    from techex.departments.tests.factories import make_partner
    from techex.listings.choices import IPType, ListingKind, ListingStatus, TransferForm
    from techex.listings.models import Listing
    from techex.organizations.choices import OrganizationType
    from techex.organizations.models import Organization
    from techex.reference.loader import load_all
    from techex.reference.models import STField
    from techex.search.models import SearchQueryDay

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    load_all()
    lead = lead_department()
    partners = [make_partner(code) for code in ("an-giang", "dong-thap", "vinh-long", "ca-mau")]
    department_of = {d.province_id: d for d in [lead, *partners]}
    provinces = list(department_of)
    User.objects.create_user(email=STAFF_EMAIL, password="x", is_staff=True)
    partner_staff = User.objects.create_user(email=PARTNER_EMAIL, password="x", is_staff=True)
    department_staff_set(user=partner_staff, department=partners[0], role="staff")
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Tổ chức {n}",
            slug=f"to-chuc-{n}",
            type=rng.choice(OrganizationType.values),
            province_id=(province := rng.choice(provinces)),
            department=department_of[province],
            verification_status="verified",
        )
        for n in range(600)
    )
    fields = list(STField.objects.filter(level__lte=2).values_list("code", flat=True))
    now = timezone.now()
    start = now - datetime.timedelta(days=3 * 365)
    rows = []
    for n in range(listings):
        kind = ListingKind.OFFER if rng.random() < 0.6 else ListingKind.NEED
        organization = rng.choice(organizations)
        province = rng.choice(provinces)
        published = start + datetime.timedelta(seconds=rng.random() * 3 * 365 * 86400) if rng.random() > 0.05 else None
        valid_until = published + datetime.timedelta(days=rng.choice((180, 365, 730))) if published else None
        status, live = ListingStatus.DRAFT, False
        if published:
            status, live = ListingStatus.PUBLISHED, True
            if valid_until < now:
                status, live = ListingStatus.EXPIRED, False
            elif rng.random() < 0.05:
                status, live = ListingStatus.WITHDRAWN, False
        renewed = published + datetime.timedelta(days=150) if published and rng.random() < 0.1 else None
        rows.append(
            Listing(
                reference_code=f"CT-{'TO' if kind == 'offer' else 'TN'}-B-{n:07d}",
                kind=kind,
                organization=organization,
                title=f"Công nghệ {n}",
                summary="Tóm tắt",
                province_id=province,
                department=department_of[province],
                status=status,
                is_live=live,
                published_at=published,
                valid_until=valid_until,
                renewed_at=renewed if renewed and renewed < now else None,
                trl=rng.randint(1, 9) if kind == ListingKind.OFFER else None,
                transfer_forms=rng.sample(TransferForm.values, rng.randint(1, 3)),
                ip_type=rng.choice((IPType.NONE, IPType.NONE, IPType.PATENT, IPType.UTILITY_SOLUTION)),
            )
        )
        if len(rows) == 5000:
            Listing.objects.bulk_create(rows)
            rows = []
    Listing.objects.bulk_create(rows)
    through = Listing.fields.through
    ids = list(Listing.objects.values_list("id", flat=True))
    links = []
    for listing_id in ids:
        for code in rng.sample(fields, rng.choice((1, 1, 2))):
            links.append(through(listing_id=listing_id, stfield_id=code))
    through.objects.bulk_create(links, batch_size=5000)
    published_ids = list(
        Listing.objects.filter(published_at__isnull=False).values_list("id", "organization_id", "department_id")
    )
    funnel = ["accepted", "negotiating", "agreed", "signed", "completed"]
    deal_rows, used, created_at = [], set(), []
    for n in range(deals):
        listing_id, owner_id, department_id = rng.choice(published_ids)
        inquirer = rng.choice(organizations)
        if inquirer.pk == owner_id or (listing_id, inquirer.pk) in used:
            continue
        used.add((listing_id, inquirer.pk))
        created = start + datetime.timedelta(seconds=rng.random() * 3 * 365 * 86400)
        reached = rng.choices(range(6), weights=(30, 15, 10, 10, 25, 10))[0]
        moments, moment = {}, created
        for stage in funnel[:reached]:
            moment = moment + datetime.timedelta(days=rng.randint(1, 30))
            moments[f"reached_{stage}_at"] = moment
        stage = funnel[reached - 1] if reached else DealStage.INQUIRY
        if reached < 4 and rng.random() < 0.5:
            stage = rng.choice((DealStage.DECLINED, DealStage.WITHDRAWN, DealStage.DROPPED))
        created_at.append(created)
        deal_rows.append(
            Deal(
                reference_code=f"CT-GD-B-{n:07d}",
                listing_id=listing_id,
                owner_organization_id=owner_id,
                inquirer_organization=inquirer,
                stage=stage,
                message="Quan tâm",
                who_we_are="Chúng tôi",
                intended_use="Ứng dụng",
                timeline_budget="Sáu tháng",
                department_id=department_id,
                **moments,
            )
        )
    Deal.objects.bulk_create(deal_rows, batch_size=2000)
    for deal, created in zip(deal_rows, created_at, strict=True):  # bulk_create stamps "now" on created_at
        deal.created_at = created
    Deal.objects.bulk_update(deal_rows, ["created_at"], batch_size=1000)
    contracts = []
    for deal in Deal.objects.filter(reached_signed_at__isnull=False).only("id", "reached_signed_at"):
        contracts.append(
            Contract(
                deal_id=deal.pk,
                contract_form=rng.choice(ContractForm.values),
                transfer_objects=["know_how"],
                licence="non_exclusive_licence",
                transferor_name="Bên giao",
                transferee_name="Bên nhận",
                value_vnd=rng.randint(20, 5000) * 1_000_000,
                signed_on=timezone.localtime(deal.reached_signed_at).date(),
                cross_border=rng.choice(CrossBorder.values),
                recorded_side=Side.STAFF,
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=2000)
    queries = [f"công nghệ {word}" for word in ("sấy", "lúa", "tôm", "mặn", "dừa", "phân", "nước", "bơm")]
    today = timezone.localdate()
    SearchQueryDay.objects.bulk_create(
        SearchQueryDay(
            day=today - datetime.timedelta(days=d),
            query=f"{q} {k}",
            searches=rng.randint(1, 20),
            empty=rng.randint(0, 3),
        )
        for d in range(0, 1000, 1)
        for q in queries[:5]
        for k in range(1)
    )
    counts = (Listing.objects.count(), Deal.objects.count(), Contract.objects.count())
    print("  {:,} listings, {:,} deals, {:,} contracts".format(*counts))


def measure(client, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # the request resets Django's own query log
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times, len(executed)


def per_indicator(requests: int) -> None:
    """Each indicator's share of the dashboard (the region, the default period)."""
    from techex.statistics.filtersets import StatisticsFilterSet
    from techex.statistics.indicators import INDICATORS
    from techex.statistics.selectors import public_criteria

    criteria = public_criteria(filters=StatisticsFilterSet())
    for indicator in INDICATORS:
        times = []
        for _ in range(max(3, requests // 4)):
            started = time.perf_counter()
            indicator.table(criteria)
            times.append((time.perf_counter() - started) * 1000)
        print(f"    {indicator.key:<34} median {statistics.median(times):6.0f} ms")


def report(name: str, times: list[float], queries: int) -> None:
    times = sorted(times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(
        f"  {name:<34} p50 {statistics.median(times):7.0f} ms   p95 {p95:7.0f} ms   max {times[-1]:7.0f} ms"
        f"   {queries} queries   (target p95 ≤ 300 ms: {'met' if p95 <= 300 else 'NOT met'})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database of a --keep run")
    args = parser.parse_args(argv)

    print(f"load average at the start: {load()} (2 cores)")
    keep = args.keep or args.skip_import
    database = prepare_environment(name=DATABASE_NAME, workdir=KEEP_DIR if keep else None, fresh=not args.skip_import)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from techex.accounts.models import User

    setup_test_environment()  # the test client's allowed host
    print(f"database: {database.describe()}")
    try:
        if not args.skip_import:
            print("1–3. Reference data, departments, organisations, listings, deals, contracts, search demand")
            started = time.perf_counter()
            build(args.listings, args.deals, args.seed)
            print(f"  built in {time.perf_counter() - started:.0f} s")
        print(f"4. {args.requests} requests each, uncached")
        lead, partner = Client(), Client()
        lead.force_login(User.objects.get(email=STAFF_EMAIL))
        partner.force_login(User.objects.get(email=PARTNER_EMAIL))
        per_indicator(args.requests)
        report("dashboard page, lead (region)", *measure(lead, "/statistics/", args.requests))
        report("dashboard page, partner staff", *measure(partner, "/statistics/", args.requests))
        report("staff API, every indicator", *measure(lead, "/api/v1/statistics/indicators/", args.requests))
        report("public page", *measure(Client(), "/thong-ke/", args.requests))
        report("public API", *measure(Client(), "/api/v1/statistics/", args.requests))
    finally:
        print(f"\nload average at the end: {load()}")
        if keep:
            keep_database(database)
        else:
            drop_database(database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
