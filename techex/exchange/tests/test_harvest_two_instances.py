"""Two live exchanges share listings: An Giang's exchange runs as a real server on its own database (a subprocess
with its own operator settings), and this one (the test database, Cần Thơ) harvests it over HTTP.

Harvest, change upstream and harvest again, withdraw upstream and harvest again, and a network failure halfway:
the next run resumes from the cursor and nothing is duplicated.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings

from techex.exchange.harvest import HarvestError, harvest
from techex.exchange.models import ForeignListing
from techex.exchange.services import harvest_source_create
from techex.listings.models import Listing

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)

SETUP = """
from techex.accounts.tests.factories import StaffFactory
from techex.exchange.services import api_key_issue
from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
staff = StaffFactory(email="staff@angiang.example")
org = OrganizationFactory(name="Trường Đại học An Giang", province_id="91")
owner = MembershipFactory(organization=org).user
for n, title in enumerate(["Máy gặt lúa mini cho ruộng nhỏ", "Quy trình nuôi cá lóc trong bể lót bạt",
                           "Chế phẩm vi sinh xử lý rơm rạ"]):
    make_published(user=owner, organization=org, staff=staff, title=title)
_key, text = api_key_issue(user=staff, name="Sàn Cần Thơ", scopes=["harvest"])
print("KEY=" + text)
"""

CHANGE = """
from techex.accounts.models import User
from techex.listings import services
from techex.listings.models import Listing
staff = User.objects.get(email="staff@angiang.example")
listing = Listing.objects.get(title__startswith="Máy gặt")
owner = listing.organization.memberships.get().user
listing = services.listing_update(listing=listing, user=owner, data={"title": "Máy gặt đập liên hợp mini"})
if listing.status == "submitted":
    services.listing_publish(listing=listing, user=staff)
gone = Listing.objects.get(title__startswith="Chế phẩm")
services.listing_withdraw(listing=gone, user=owner)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Upstream:
    """Another exchange: its own SQLite database, operator settings and server process."""

    def __init__(self, directory: Path) -> None:
        self.port = port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{directory / 'angiang.sqlite3'}",
            "DJANGO_OPERATOR_CODE": "AG",
            "DJANGO_OPERATOR_NAME": "Sàn giao dịch công nghệ An Giang",
            "DJANGO_OPERATOR_PROVINCE_CODE": "91",
            "DJANGO_SITE_URL": f"http://127.0.0.1:{port}",
            "DJANGO_MEDIA_ROOT": str(directory / "media"),
        }
        self.server: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 (our own manage.py, run with this interpreter)
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        self.server = subprocess.Popen(  # noqa: S603 (our own manage.py, run with this interpreter)
            [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                with urlopen(f"{self.url}/api/v1/exchange/schema/", timeout=2) as answer:  # noqa: S310
                    json.load(answer)
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the upstream exchange did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
            self.server = None


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    exchange = Upstream(tmp_path_factory.mktemp("angiang"))
    exchange.manage("migrate", "-v0")
    exchange.manage("load_reference_data", "-v0")
    key = next(line[4:] for line in exchange.manage("shell", "-c", SETUP).splitlines() if line.startswith("KEY="))
    exchange.start()
    yield exchange, key
    exchange.stop()


def test_two_exchanges_share_listings_through_the_feed(client, upstream, reference_data, staff):
    exchange, key = upstream
    source = harvest_source_create(
        user=staff, name="Sàn giao dịch công nghệ An Giang", base_url=exchange.url, api_key=key
    )

    # A network failure halfway: one page of one listing is applied, then the other exchange is unreachable.
    first = harvest(source, limit=1, max_pages=1)
    assert (first.pages, first.created) == (1, 1)
    exchange.stop()
    with pytest.raises(HarvestError):
        harvest(source, limit=1)
    source.refresh_from_db()
    assert source.last_error and source.cursor
    exchange.start()
    rest = harvest(source, limit=1)
    assert rest.created == 2
    foreign = Listing.objects.filter(foreign_origin__source=source)
    assert foreign.count() == 3 == ForeignListing.objects.count()
    assert set(foreign.values_list("is_live", flat=True)) == {True}
    dryer = foreign.get(title__startswith="Máy gặt")
    assert dryer.external_ref.startswith("AG:AG-TO-")
    assert dryer.organization == source.organization and dryer.source == source.name
    assert dryer.foreign_origin.origin_url.startswith(f"{exchange.url}/listings/AG-TO-")
    # Harvested listings are found by this exchange's search, without diacritics, and link back.
    found = client.get("/listings/?q=may+gat+lua").content.decode()
    assert dryer.get_absolute_url() in found
    page = client.get(dryer.get_absolute_url()).content.decode()
    assert dryer.foreign_origin.origin_url in page and "Sàn giao dịch công nghệ An Giang" in page

    # Nothing new upstream: nothing changes here.
    again = harvest(source)
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0)

    # Changed and withdrawn upstream, then harvested again.
    exchange.manage("shell", "-c", CHANGE)
    after = harvest(source)
    assert (after.updated, after.withdrawn) == (1, 1)
    dryer.refresh_from_db()
    assert dryer.title == "Máy gặt đập liên hợp mini"
    assert not foreign.get(title__startswith="Chế phẩm").is_live
    assert foreign.count() == 3  # matched by the global identifier: never a second copy
