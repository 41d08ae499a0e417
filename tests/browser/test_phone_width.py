"""Every main page fits a 360 px phone: nothing scrolls sideways, in Vietnamese (the longer labels).

One parametrised test over the site's main pages, each opened as the person who would see it (a visitor, the owner
of a listing, the inquirer of a deal, staff), on data like the demo's: a published offer and need, a completed deal
with its recorded contract, a listing awaiting review, a partner department.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from techex.deals.choices import DealStage
from techex.deals.tests.factories import deal_parties, ensure_nda_template, make_deal
from techex.departments.tests.factories import make_partner
from techex.listings import services as listing_services
from techex.listings.choices import ListingKind
from techex.listings.tests.factories import make_listing, make_published
from techex.reference.models import STField
from techex.services import expert_services

from .test_journeys import PHONE_WIDTH


@dataclass
class Scene:
    people: dict
    urls: dict


@pytest.fixture
def scene(reference_data) -> Scene:
    ensure_nda_template()
    parties = deal_parties(title="Máy sấy lúa tầng sôi dùng trấu, công suất 10 tấn mỗi mẻ")
    # A long address, as real ones are: the contract's fact list must wrap it (it once made the page 385 px wide).
    parties.owner_org.email = "phong.chuyengiaocongnghe.vienluadongbangsongcuulong@example.vn"
    parties.owner_org.save(update_fields=["email"])
    deal = make_deal(parties, stage=DealStage.COMPLETED)
    need = make_published(
        user=parties.inquirer,
        organization=parties.inquirer_org,
        staff=parties.staff,
        kind=ListingKind.NEED,
        title="Cần công nghệ xử lý nước thải ao nuôi tôm siêu thâm canh",
    )
    # Two of each, so the browse and search pages show their sort box (shown from two results).
    for title in ("Máy sấy lúa dùng năng lượng mặt trời", "Quy trình sấy lúa giống bằng máy sấy tĩnh vỉ ngang"):
        make_published(user=parties.owner, organization=parties.owner_org, staff=parties.staff, title=title)
    make_published(
        user=parties.inquirer,
        organization=parties.inquirer_org,
        staff=parties.staff,
        kind=ListingKind.NEED,
        title="Cần máy sấy lúa cho hợp tác xã",
    )
    submitted = make_listing(user=parties.owner, organization=parties.owner_org, title="Giống lúa chịu mặn OM 18")
    listing_services.listing_submit(user=parties.owner, listing=submitted)
    draft = make_listing(user=parties.owner, organization=parties.owner_org, title="Chế phẩm vi sinh ủ phân")
    partner = make_partner("ca-mau")
    expert = expert_services.expert_create(
        user=parties.staff,
        fields=list(STField.objects.filter(code__in=["405", "207"])),
        consent=True,
        full_name="Phó Giáo sư Tiến sĩ Nguyễn Thị Phương Thảo Nguyên",
        specialities="Xử lý nước thải ao nuôi tôm siêu thâm canh bằng công nghệ sinh học\nQuan trắc môi trường",
        province=partner.province,
        organization_name="Viện Nghiên cứu Nuôi trồng Thủy sản và Môi trường Đồng bằng sông Cửu Long",
        cv="Hai mươi năm nghiên cứu xử lý nước thải nuôi trồng thủy sản.",
    )
    listing = parties.listing
    people = {"visitor": None, "owner": parties.owner, "inquirer": parties.inquirer, "staff": parties.staff}
    urls = {
        "home": "/",
        "offers": reverse("listings:browse") + "?kind=offer",
        "needs": reverse("listings:browse") + "?kind=need",
        "search": reverse("listings:browse") + "?q=m%C3%A1y+s%E1%BA%A5y+l%C3%BAa&sort=newest",
        "offer": listing.get_absolute_url(),
        "need": need.get_absolute_url(),
        "organisations": reverse("organizations:list"),
        "organisation": parties.owner_org.get_absolute_url(),
        "departments": reverse("departments:list"),
        "department": partner.get_absolute_url(),
        "sign-in": reverse("account_login"),
        "sign-up": reverse("account_signup"),
        "not-found": "/khong-co-trang-nay/",
        "dashboard": reverse("accounts:dashboard"),
        "my-listings": reverse("listings:mine"),
        "editor-terms": reverse("listings:edit_step", args=[draft.reference_code, "terms"]),
        "editor-place": reverse("listings:edit_step", args=[draft.reference_code, "place"]),
        "new-organisation": reverse("organizations:create"),
        "notifications": reverse("notifications:list"),
        "saved-searches": reverse("alerts:saved_list"),
        "my-deals": reverse("deals:mine"),
        "inquiry-form": reverse("deals:new", args=[need.reference_code]),
        "deal": reverse("deals:detail", args=[deal.reference_code]),
        "contract": reverse("deals:contract", args=[deal.reference_code]),
        "matches": reverse("matching:listing_matches", args=[listing.reference_code]),
        "review-queue": reverse("listings:review_queue"),
        "review": reverse("listings:review", args=[submitted.reference_code]),
        "staff-deals": reverse("deals:staff_list"),
        "nda-template": reverse("deals:nda_template"),
        "verification": reverse("organizations:verification_queue"),
        "import": reverse("listings:import"),
        "import-help": reverse("listings:import_help"),
        "experts": reverse("experts:list") + "?q=nuoc+thai+ao+tom",
        "expert": expert.get_absolute_url(),
        "open-data": reverse("open_data"),
        "api-keys": reverse("exchange:api_keys"),
        "webhooks": reverse("exchange:webhooks"),
    }
    return Scene(people=people, urls=urls)


# (page, who opens it)
PAGES = [
    ("home", "visitor"),
    ("offers", "visitor"),
    ("needs", "visitor"),
    ("search", "visitor"),
    ("offer", "visitor"),
    ("need", "visitor"),
    ("organisations", "visitor"),
    ("organisation", "visitor"),
    ("departments", "visitor"),
    ("department", "visitor"),
    ("sign-in", "visitor"),
    ("sign-up", "visitor"),
    ("not-found", "visitor"),
    ("home", "staff"),
    ("search", "staff"),
    ("dashboard", "owner"),
    ("my-listings", "owner"),
    ("editor-terms", "owner"),
    ("editor-place", "owner"),
    ("new-organisation", "owner"),
    ("notifications", "owner"),
    ("saved-searches", "owner"),
    ("my-deals", "owner"),
    ("inquiry-form", "owner"),
    ("deal", "owner"),
    ("contract", "owner"),
    ("contract", "inquirer"),
    ("matches", "owner"),
    ("review-queue", "staff"),
    ("review", "staff"),
    ("staff-deals", "staff"),
    ("nda-template", "staff"),
    ("verification", "staff"),
    ("import", "staff"),
    ("import-help", "staff"),
    ("experts", "visitor"),
    ("expert", "visitor"),
    ("need", "inquirer"),
    ("open-data", "visitor"),
    ("api-keys", "staff"),
    ("webhooks", "staff"),
]


def signed_in_cookies(user, url: str) -> list[dict]:
    """The session cookie of ``user`` signed in (without the sign-in page), for a browser context at ``url``."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}]


@pytest.mark.parametrize(("name", "who"), PAGES, ids=[f"{name}-as-{who}" for name, who in PAGES])
def test_every_main_page_fits_a_360px_phone(new_phone_page, live_server, scene, name, who):
    page = new_phone_page()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi", "url": live_server.url}]
    person = scene.people[who]
    if person is not None:
        cookies += signed_in_cookies(person, live_server.url)
    page.context.add_cookies(cookies)
    response = page.goto(scene.urls[name])
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), page.url
    # Folded parts (the phone menu, the facets, forms behind a summary) are opened: they must fit too.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    width = page.evaluate("document.documentElement.scrollWidth")
    # Opening the folded parts may start requests (htmx); let them end and close the page before the test's
    # database is flushed, or PostgreSQL's TRUNCATE deadlocks with a request still reading (seen in CI).
    url = page.url
    page.wait_for_load_state("networkidle")
    page.close()
    assert width <= PHONE_WIDTH, f"{name} as {who} ({url}) is {width} px wide"
