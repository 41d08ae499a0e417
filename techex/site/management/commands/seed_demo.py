"""Load the demo data that ``make run`` promises: accounts, organisations and listings (data/demo, PROVENANCE.md).

Safe to run again: accounts and organisations are found by e-mail, tax code or name, listings by external_ref; when
everything is already there the import is skipped. Demo accounts share one published password, so the command
refuses to run unless DEBUG is on or the settings are a developer's machine's (``LOCAL_DEVELOPMENT``, set by
config.settings.local), or ``--force`` is given.
"""

import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from techex.deals.demo import seed_deals
from techex.deals.models import Deal
from techex.departments.services import reroute_stored, seed_departments
from techex.events.demo import seed_events
from techex.listings import services as listing_services
from techex.listings.choices import ListingStatus
from techex.listings.importer import ImportResult, import_listings_file
from techex.listings.models import Listing
from techex.organizations import services as organization_services
from techex.organizations.choices import MembershipRole, VerificationStatus
from techex.organizations.models import Membership, Organization
from techex.reference.models import Province, Ward
from techex.services.demo import seed_services
from techex.statistics.services import open_data_publish

DEMO_DIR = settings.BASE_DIR / "data" / "demo"
URL = "http://127.0.0.1:8000"
STAFF_EMAIL = "staff@demo.techex.vn"
STAFF_NAME = "Cán bộ Sàn giao dịch (demo)"
# Demo-only, documented in the README and printed by the command; it exists only in a local SQLite database.
DEMO_PASSWORD = "Demo-SanCongNghe-2026"  # noqa: S105
ORGANIZATIONS_FILE = "organizations.json"
# Imported and published at once, in this order: the Vietnamese listings last, so that lists sorted newest first
# (the home page, browsing) open with them rather than with the English open data.
LISTING_FILES = ("sbir_needs.jsonl", "nasa_offers.jsonl", "listings_vi.jsonl")
# Imported as drafts, then moved through the lifecycle by their owners and staff, so the review queue and the
# owners' pages have something in them.
WORKFLOW_FILE = "listings_vi_workflow.jsonl"
WORKFLOW_STATES = {
    "demo-vi-wf-01": ListingStatus.DRAFT,
    "demo-vi-wf-02": ListingStatus.DRAFT,
    "demo-vi-wf-03": ListingStatus.SUBMITTED,
    "demo-vi-wf-04": ListingStatus.CHANGES_REQUESTED,
}
CHANGES_NOTE = (
    "Đề nghị bổ sung ngân sách dự kiến, thời hạn cần có công nghệ và công suất mong muốn (tấn thức ăn mỗi tháng) "
    "để các bên cung cấp công nghệ đánh giá được mức độ phù hợp."
)
ORGANIZATION_FIELDS = ("name", "short_name", "type", "tax_code", "address", "website", "email", "phone", "description")


class Command(BaseCommand):
    help = (
        "Load demo accounts, organisations and listings from data/demo (safe to run again). Prints the demo staff "
        "account. Runs only with DEBUG on unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even though DEBUG is off")
        parser.add_argument(
            "--limit", type=int, metavar="N", help="import only the first N lines of each listing file (for tests)"
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="run the import even when every demo listing is already there (picks up edited demo files)",
        )
        parser.add_argument("--data-dir", type=Path, default=DEMO_DIR, help="the folder of demo files")

    def handle(self, *args, force: bool, limit: int | None, refresh: bool, data_dir: Path, **options):
        if not (settings.DEBUG or settings.LOCAL_DEVELOPMENT) and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with DEBUG on "
                "(local development). Use --force to run it anyway."
            )
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if not Province.objects.exists():
            raise CommandError("The reference data is missing: run `python manage.py load_reference_data` first.")
        started = time.perf_counter()
        self._departments()
        organizations = self._read_organizations(data_dir / ORGANIZATIONS_FILE)
        files = [data_dir / name for name in (*LISTING_FILES, WORKFLOW_FILE)]
        for path in files:
            if not path.is_file():
                raise CommandError(f"There is no demo file at {path}.")
        refs = [ref for path in files for ref in _external_refs(path, limit)]

        if not refresh and _is_loaded(organizations, refs):
            staff = _account(STAFF_EMAIL, STAFF_NAME, password_hash=_demo_password_hash(), is_staff=True)
            self._deals(staff)
            self._services(staff)
            self._events(staff)
            self.stdout.write(
                f"The demo data is already loaded ({len(refs)} demo listings, {len(organizations)} demo "
                "organisations); nothing to do. Use --refresh to import the demo files again."
            )
            self._credentials()
            return

        password_hash = _demo_password_hash()
        with transaction.atomic():
            staff = _account(STAFF_EMAIL, STAFF_NAME, password_hash=password_hash, is_staff=True)
            created_orgs = self._organizations(organizations, staff, password_hash)
        if created_orgs:
            self.stdout.write(f"organisations: {created_orgs} created and verified")
        errors = 0
        for path in files[:-1]:
            errors += self._import(path, staff=staff, publish=True, limit=limit)
        errors += self._import(files[-1], staff=staff, publish=False, limit=limit)
        if errors:
            raise CommandError(f"{errors} problem(s) in the demo files (listed above); fix the data in {data_dir}.")
        self._workflow(staff)
        self._deals(staff)
        self._services(staff)
        self._events(staff)
        self._open_data()
        self._summary(time.perf_counter() - started)
        self._credentials()

    # --- departments, organisations and accounts --------------------------------------------------------------

    def _departments(self) -> None:
        """The four partner departments of the Delta with a staff account each (techex/departments/services.py).

        Demo items that arrived before their province's partner existed move from the lead's queue to it.
        """
        self._partners = seed_departments(password_hash=_demo_password_hash())
        demo = [Organization.objects.filter(is_demo=True), Listing.objects.filter(is_demo=True)]
        reroute_stored(querysets=[*demo, Deal.objects.filter(listing__is_demo=True)])

    def _read_organizations(self, path: Path) -> list[dict[str, Any]]:
        if not path.is_file():
            raise CommandError(f"There is no demo file at {path}.")
        return json.loads(path.read_text(encoding="utf-8"))["organizations"]

    def _organizations(self, items: list[dict[str, Any]], staff, password_hash: str) -> int:
        """Create and verify the organisations that are missing, each Vietnamese one with its admin account."""
        created = 0
        for item in items:
            member = None
            if item.get("contact"):
                member = _account(item["contact"]["email"], item["contact"]["full_name"], password_hash=password_hash)
            organization = _find_organization(item)
            if organization is None:
                organization = _create_organization(item, member=member)
                created += 1
            elif member is not None and not Membership.objects.filter(user=member, organization=organization).exists():
                organization_services.membership_add(
                    organization=organization, user=staff, member=member, role=MembershipRole.ADMIN
                )
            if organization.verification_status != VerificationStatus.VERIFIED:
                organization_services.organization_verify(organization=organization, user=staff)
        return created

    # --- listings ---------------------------------------------------------------------------------------------

    def _import(self, path: Path, *, staff, publish: bool, limit: int | None) -> int:
        """Import one demo file; print its counts and any problem; return the number of problems."""
        started = time.perf_counter()
        try:
            with _first_lines(path, limit) as source:
                result: ImportResult = import_listings_file(path=source, user=staff, publish=publish, is_demo=True)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors:
            self.stderr.write(f"{path.name}: {error}")
        if not result.errors:
            self.stdout.write(
                f"{path.name}: {result.rows} rows in {time.perf_counter() - started:.1f} s; {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            )
        return len(result.errors)

    def _workflow(self, staff) -> None:
        """Move the workflow listings that are still fresh drafts to the state they are meant to show."""
        for ref, state in WORKFLOW_STATES.items():
            listing = Listing.objects.filter(external_ref=ref).select_related("organization").first()
            if listing is None or state == ListingStatus.DRAFT or listing.status != ListingStatus.DRAFT:
                continue
            owner = _admin_of(listing.organization)
            if owner is None:
                continue
            try:
                with transaction.atomic():
                    listing = listing_services.listing_submit(listing=listing, user=owner)
                    if state == ListingStatus.CHANGES_REQUESTED:
                        listing_services.listing_request_changes(listing=listing, user=staff, note=CHANGES_NOTE)
            except ValidationError as exc:
                raise CommandError(f"{ref}: {'; '.join(exc.messages)}") from exc

    def _services(self, staff) -> None:
        """The services catalogue, demo providers and requests at every stage (techex/services/demo.py)."""
        categories, providers, requests = seed_services(staff=staff)
        self.stdout.write(f"services: {categories} categories, {providers} providers, {requests} requests created")

    def _deals(self, staff) -> None:
        """Demo deals at every stage (techex/deals/demo.py), unless the demo listings already have deals."""
        created = seed_deals(staff=staff)
        if created:
            self.stdout.write(f"deals: {created} demo deals created, one at each stage")

    def _events(self, staff) -> None:
        """Demo events (techex/events/demo.py): a past techmart, an upcoming demo day, a partner's seminar."""
        created = seed_events(staff=staff)
        if created:
            self.stdout.write(f"events: {created} demo events created (a past techmart, upcoming ones open)")

    def _open_data(self) -> None:
        """The open-data files of the demo's live listings, as the daily run would write them."""
        for release in open_data_publish():
            self.stdout.write(f"open data: {release.format}, {release.rows} listings")

    def _summary(self, seconds: float) -> None:
        live = Counter(Listing.objects.filter(is_demo=True, is_live=True).values_list("kind", "language").order_by())
        parts = ", ".join(f"{kind}/{language}: {n}" for (kind, language), n in sorted(live.items()))
        others = Counter(
            Listing.objects.filter(is_demo=True, is_live=False).values_list("status", flat=True).order_by()
        )
        other_parts = ", ".join(f"{status}: {n}" for status, n in sorted(others.items()))
        self.stdout.write(f"live demo listings: {sum(live.values())} ({parts}); not live: {other_parts or 'none'}")
        self.stdout.write(f"demo data loaded in {seconds:.1f} s")

    def _credentials(self) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOpen {URL} and sign in as the demo staff account:\n"
                f"  e-mail:   {STAFF_EMAIL}\n"
                f"  password: {DEMO_PASSWORD}\n"
                f"Each demo organisation has an admin account (see data/demo/organizations.json, "
                f"contact.email) with the same password.\n"
                f"Partner departments' staff, each acting on its own province, with the same password:\n"
                + "\n".join(f"  {user.email:<34} {department.name}" for department, user in self._partners)
            )
        )


# --- helpers -------------------------------------------------------------------------------------------------------


def _demo_password_hash() -> str:
    """The demo password hashed once per run (hashing costs ~0.5 s): the staff account's hash when it still matches."""
    staff = get_user_model().objects.filter(email__iexact=STAFF_EMAIL).first()
    if staff is not None and staff.check_password(DEMO_PASSWORD):
        return staff.password
    return make_password(DEMO_PASSWORD)


def _account(email: str, full_name: str, *, password_hash: str, is_staff: bool = False):
    """The demo account for an address, created when missing, with the demo password and a verified address."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model(email=email.lower(), full_name=full_name, password=password_hash, is_staff=is_staff)
        user.save()
    changed = []
    if is_staff and not user.is_staff:
        user.is_staff = True
        changed.append("is_staff")
    if user.password != password_hash and not user.check_password(DEMO_PASSWORD):
        # Someone changed it: the printed password must work.
        user.password = password_hash
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    # allauth lets an account sign in only with a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user


def _find_organization(item: dict[str, Any]) -> Organization | None:
    if item.get("tax_code"):
        return Organization.objects.filter(tax_code=item["tax_code"]).first()
    return Organization.objects.filter(name__iexact=item["name"], country=item.get("country", "VN")).first()


def _create_organization(item: dict[str, Any], *, member) -> Organization:
    data: dict[str, Any] = {name: item[name] for name in ORGANIZATION_FIELDS if item.get(name)}
    if item.get("province_code"):
        data["province"] = Province.objects.get(pk=item["province_code"])
    if item.get("ward_code"):
        data["ward"] = Ward.objects.get(pk=item["ward_code"])
    # The member becomes the organisation's administrator; a foreign publisher of open data has none.
    organization = organization_services.organization_create(user=member, data=data, is_demo=True)
    country = item.get("country", "VN")
    if organization.country != country:
        # The country is not part of the profile form (every member organisation is Vietnamese).
        organization.country = country
        Organization.objects.filter(pk=organization.pk).update(country=country)
    return organization


def _admin_of(organization: Organization):
    membership = (
        Membership.objects.filter(organization=organization, role=MembershipRole.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _external_refs(path: Path, limit: int | None) -> list[str]:
    refs = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and number > limit:
                break
            if line.strip():
                refs.append(json.loads(line)["external_ref"])
    return refs


def _is_loaded(organizations: list[dict[str, Any]], refs: list[str]) -> bool:
    """Whether every demo account, organisation and listing is already there (a few queries, no hashing)."""
    emails = [STAFF_EMAIL] + [item["contact"]["email"] for item in organizations if item.get("contact")]
    if get_user_model().objects.filter(email__in=[email.lower() for email in emails]).count() != len(emails):
        return False
    for item in organizations:
        organization = _find_organization(item)
        if organization is None or organization.verification_status != VerificationStatus.VERIFIED:
            return False
    return _count_existing(refs) == len(refs)


def _count_existing(refs: list[str]) -> int:
    count = 0
    for start in range(0, len(refs), 500):
        count += Listing.objects.filter(external_ref__in=refs[start : start + 500]).count()
    return count


@contextmanager
def _first_lines(path: Path, limit: int | None) -> Iterator[Path]:
    """The file itself, or a temporary copy of its first ``limit`` lines."""
    if limit is None:
        yield path
        return
    with open(path, encoding="utf-8") as handle:
        lines = [line for _number, line in zip(range(limit), handle, strict=False)]
    with tempfile.TemporaryDirectory(prefix="seed-demo-") as folder:
        copy = Path(folder) / path.name
        copy.write_text("".join(lines), encoding="utf-8")
        yield copy
