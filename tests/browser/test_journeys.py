"""People's journeys through the exchange in Chromium, on a 360 px phone, against the live server.

The main journey is one test because each step needs the one before it (the live server's database is flushed
between tests): a person signs up and confirms the e-mail, registers an organisation, posts an offer with an image
through every step of the editor and submits it; staff publish it; a visitor finds it by browsing and opens it.
Only the background (the staff account, other people's listings) is made through the services.
"""

import io
import re
from contextlib import contextmanager

import pytest
from django.conf import settings
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from techex.accounts.tests.factories import UserFactory
from techex.listings import services
from techex.listings.choices import ListingKind
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.organizations.validators import tax_code_check_digit
from techex.reference.models import Province, STField

PASSWORD = "Mat-khau-2026!"  # the factories' password
PHONE_WIDTH = 360

PERSON = {"name": "Trần Thị Mai", "email": "mai.tran@lua-sach.example.vn", "password": "Lúa-sạch-Cần-Thơ-2026"}
ORGANIZATION = {
    "name": "Công ty TNHH Cơ khí Nông nghiệp Tây Đô",
    "tax_code": "180015881" + str(tax_code_check_digit("180015881")),  # 1800158816: a valid check digit
    "province": "Can Tho",  # code 92; the test settings are in English
    "ward": "Phường Ninh Kiều",
}
OFFER = {
    "title": "Máy sấy lúa tầng sôi dùng trấu",
    "summary": "Máy sấy lúa tầng sôi 10 tấn/mẻ, đốt trấu, giảm 30% chi phí nhiên liệu so với lò sấy vỉ ngang.",
    "description": "Buồng sấy tầng sôi với lò đốt trấu hóa khí; điều khiển nhiệt độ tự động.",
    "field": "401",  # Agriculture, forestry, and fisheries (under 4, Agricultural sciences)
    "trl": "7",
    "image": "may-say-lua.png",
}


def png_bytes(width: int = 640, height: int = 400) -> bytes:
    """A real PNG: a green field with a yellow dryer drawn on it."""
    image = Image.new("RGB", (width, height), (46, 125, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=(251, 192, 45))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def open_menu(page: Page) -> None:
    """Open the header menu (folded behind ☰ on a phone)."""
    page.locator("summary[aria-label=Menu]").click()


def page_width(page: Page) -> int:
    """The document's width once the page a click may have started loading has loaded (measured mid-navigation,
    there is no document element yet)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits_phone(page: Page) -> None:
    """The page does not scroll sideways on a 360 px phone."""
    assert page_width(page) <= PHONE_WIDTH, f"{page.url} is {page_width(page)} px wide"


@contextmanager
def htmx_swap(page: Page):
    """Wait, after the block, until htmx has swapped in and settled the answer to a request the block made.

    htmx wires up the controls of new content (a province select's hx-get, say) only when it settles, some
    milliseconds after the content appears; a test acting at once would beat it. The wait is a promise the page
    resolves, not ``wait_for_function``: its polling evaluates a string, which the Content-Security-Policy refuses.
    """
    page.evaluate(
        """() => {
            window.htmxSettled = new Promise((resolve) => {
                document.body.addEventListener("htmx:afterSettle", () => resolve(true), {once: true});
            });
        }"""
    )
    yield
    page.evaluate("() => window.htmxSettled")


def images_loaded(page: Page) -> None:
    """Wait until every image of the page has loaded (or failed), without polling (see ``htmx_swap``)."""
    page.evaluate(
        """() => Promise.all([...document.images].map((img) => img.complete ? null : new Promise((resolve) => {
            img.addEventListener("load", resolve, {once: true});
            img.addEventListener("error", resolve, {once: true});
        })))"""
    )


# --- the steps of the journey -------------------------------------------------------------------------------------


def sign_up_and_confirm(page: Page, outbox: list) -> None:
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("Full name").fill(PERSON["name"])
    page.get_by_label("Email").fill(PERSON["email"])
    page.get_by_label("Password:", exact=True).fill(PERSON["password"])
    page.get_by_label("Password (again)").fill(PERSON["password"])
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    expect(page.get_by_text("We have sent you an e-mail with a link.")).to_be_visible()

    (message,) = [message for message in outbox if message.to == [PERSON["email"]]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_text(f"Confirm that {PERSON['email']} is your e-mail address.")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Successfully signed in as {PERSON['name']}.")).to_be_visible()
    expect(page.get_by_text(f"{PERSON['name']} · {PERSON['email']}")).to_be_visible()
    assert_fits_phone(page)
    open_menu(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    open_menu(page)  # fold it again


def register_organization(page: Page) -> None:
    page.get_by_role("link", name="Register an organisation").click()
    expect(page.get_by_role("heading", name="Register an organisation")).to_be_visible()
    page.get_by_label("Name:", exact=True).fill(ORGANIZATION["name"])
    page.get_by_label("Type").select_option(label="Enterprise")
    page.get_by_label("Tax code").fill(ORGANIZATION["tax_code"])
    page.get_by_label("Province or city").select_option(label=ORGANIZATION["province"])
    # The communes come from the server (htmx) once the province is chosen.
    ward = page.get_by_label("Commune or ward")
    expect(ward.locator("option", has_text=ORGANIZATION["ward"])).to_have_count(1)
    ward.select_option(label=ORGANIZATION["ward"])
    page.get_by_label("Address").fill("12 Đường 30 Tháng 4")
    assert_fits_phone(page)
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name=ORGANIZATION["name"])).to_be_visible()
    expect(page.locator(".badge.verification-pending")).to_have_text("Awaiting verification")
    expect(page.get_by_text("Staff of the exchange are checking this organisation.")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(ORGANIZATION["tax_code"])
    expect(facts).to_contain_text(ORGANIZATION["province"])
    expect(facts).to_contain_text(ORGANIZATION["ward"])
    assert_fits_phone(page)


def save_step(page: Page, next_step: str) -> None:
    with htmx_swap(page):
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#step-title")).to_have_text(next_step)
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert_fits_phone(page)


def post_offer(page: Page) -> str:
    """Go through every step of the editor, upload an image, preview and submit; return the reference code."""
    page.goto("/me/")
    page.get_by_role("link", name="Post an offer or a need").click()
    expect(page.get_by_role("heading", name="New listing")).to_be_visible()
    page.get_by_label("Technology offer").check()
    page.get_by_label("On behalf of").select_option(label=ORGANIZATION["name"])
    page.get_by_label("Title").fill(OFFER["title"])
    page.get_by_label("Summary").fill(OFFER["summary"])
    page.get_by_label("Language of the listing").select_option("vi")
    assert_fits_phone(page)
    page.get_by_role("button", name="Create the draft and continue").click()

    expect(page.locator("#step-title")).to_have_text("Description")
    expect(page.get_by_role("heading", name=OFFER["title"])).to_be_visible()
    code = re.search(r"/listings/([^/]+)/edit/", page.url).group(1)
    page.get_by_role("textbox", name="Description").fill(OFFER["description"])
    page.get_by_label("Advantages and innovation").fill("Tiết kiệm 30% nhiên liệu; hạt lúa khô đều.")
    page.get_by_label("Applications").fill("Hợp tác xã, cơ sở xay xát vùng Đồng bằng sông Cửu Long.")
    save_step(page, "Classification")

    page.get_by_label("S&T fields").select_option([OFFER["field"]])
    page.get_by_label("Keywords").fill("sấy lúa, tầng sôi, trấu")
    page.get_by_label("Technology readiness level (TRL)").select_option(OFFER["trl"])
    save_step(page, "IP and terms")

    page.get_by_label("IP type").select_option(label="Utility solution")
    page.get_by_label("IP status").select_option(label="Granted")
    page.get_by_label("Non-exclusive licence").check()
    page.get_by_label("Technical service").check()
    page.get_by_role("combobox", name="Price").select_option(label="Fixed price")
    page.get_by_label("Price from (VND)").fill("1.500.000.000")
    save_step(page, "Place")

    province, ward = page.get_by_label("Province"), page.get_by_label("Commune / ward")
    # The place starts from the organisation's province, with its communes ready to choose.
    expect(province.locator("option:checked")).to_have_text(ORGANIZATION["province"])
    expect(ward.locator("option", has_text=ORGANIZATION["ward"])).to_have_count(1)
    ward.select_option(label=ORGANIZATION["ward"])
    page.get_by_label("Where deployed or needed").fill("Hợp tác xã Thới Lai")
    save_step(page, "Images and documents")
    assert page.url.endswith(f"/listings/{code}/edit/media/")

    page.get_by_label("File").set_input_files({"name": OFFER["image"], "mimeType": "image/png", "buffer": png_bytes()})
    expect(page.get_by_label("Image", exact=True)).to_be_checked()
    page.get_by_label("Caption").fill("Máy sấy tại Thới Lai")
    with htmx_swap(page):
        page.get_by_role("button", name="Upload").click()
    files = page.locator(".file-list")
    expect(files.get_by_role("link", name=OFFER["image"])).to_be_visible()
    expect(files).to_contain_text("Máy sấy tại Thới Lai")
    expect(files.locator("img")).to_have_count(1)
    assert_fits_phone(page)

    page.get_by_role("link", name="Continue to the preview").click()
    expect(page.get_by_text("Preview: this is how the public will see your listing.")).to_be_visible()
    expect(page.get_by_text("Before you can submit it")).to_have_count(0)
    expect(page.get_by_role("heading", name=OFFER["title"])).to_be_visible()
    expect(page.locator(".gallery img")).to_have_count(1)
    assert_fits_phone(page)
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("The listing was sent for review. Staff will check it soon.")).to_be_visible()
    expect(page.locator(".manage")).to_contain_text("Status: Awaiting review")
    page.goto("/listings/mine/")
    card = page.locator("article", has_text=OFFER["title"])
    expect(card.locator(".badge.status-submitted")).to_have_text("Awaiting review")
    return code


def staff_publish(page: Page, staff_email: str, code: str) -> None:
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()

    open_menu(page)
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.get_by_text("1 listing awaits review, oldest first.")).to_be_visible()
    page.get_by_role("link", name=OFFER["title"]).click()
    expect(page.get_by_role("heading", name="New listing")).to_be_visible()
    expect(page.locator(".manage")).to_contain_text(ORGANIZATION["name"])
    expect(page.locator(".gallery img")).to_have_count(1)
    assert_fits_phone(page)
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_text(f"{code} was published.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    page.goto(f"/listings/{code}/")
    expect(page.locator(".manage .badge.status-published")).to_have_text("Published")
    expect(page.locator(".manage")).to_contain_text("public")


def choose_filter(page: Page, facet: str, value: str) -> None:
    """Unfold the filters (folded on a phone) and choose a value of one of them by its link."""
    page.locator("#facet-panel > summary").click()
    group = page.locator(".facet").filter(has=page.get_by_role("heading", name=facet, exact=True))
    group.get_by_role("link", name=re.compile(rf"^{re.escape(value)} \d+$")).click()


def visitor_finds_it(page: Page, code: str) -> None:
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Offers", exact=True).click()
    expect(page.get_by_role("heading", name="Technology offers and needs")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_text("3 listings")  # the menu's link keeps to offers
    page.get_by_role("link", name="Clear").click()
    expect(status).to_have_text("4 listings")

    # Each filter chosen reloads the results in place (htmx) and puts the filters in the address.
    choose_filter(page, "Kind", "Technology offer")
    expect(status).to_have_text("3 listings")
    choose_filter(page, "Province", ORGANIZATION["province"])
    expect(status).to_have_text("2 listings")
    choose_filter(page, "S&T field", "Agricultural sciences")
    expect(status).to_have_text("1 listing")
    expect(page).to_have_url(re.compile(r"[?&]kind=offer&field=4&province=92$"))
    assert_fits_phone(page)

    card = page.locator("#results article", has_text=OFFER["title"])
    expect(card).to_contain_text(ORGANIZATION["name"])
    expect(card).to_contain_text(f"TRL {OFFER['trl']}")
    card.get_by_role("link", name=OFFER["title"]).click()

    assert page.url.endswith(f"/listings/{code}/")
    expect(page.get_by_role("heading", name=OFFER["title"], level=1)).to_be_visible()
    expect(page.get_by_role("link", name=ORGANIZATION["name"])).to_be_visible()
    expect(page.locator(".manage")).to_have_count(0)  # a visitor manages nothing
    image = page.get_by_role("img", name="Máy sấy tại Thới Lai")
    image.scroll_into_view_if_needed()  # the gallery's images load lazily
    expect(image).to_be_visible()
    images_loaded(page)
    assert image.evaluate("img => img.naturalWidth") == 640
    assert_fits_phone(page)


@pytest.fixture
def other_listings(reference_data, staff):
    """What is already on the exchange: a need in Cần Thơ, an offer of the same field in An Giang, an offer of
    another field in Cần Thơ."""
    owner = UserFactory()
    organization = OrganizationFactory(name="Hợp tác xã Tôm Sóc Trăng")
    MembershipFactory(user=owner, organization=organization)
    make_published(user=owner, organization=organization, staff=staff, kind=ListingKind.NEED)
    make_published(
        user=owner,
        organization=organization,
        staff=staff,
        title="Lò sấy vỉ ngang cải tiến",
        province=Province.objects.get(code="91"),
    )
    make_published(
        user=owner,
        organization=organization,
        staff=staff,
        title="Cảm biến độ mặn không dây",
        fields=list(STField.objects.filter(code="202")),
        province=Province.objects.get(code="92"),
    )


def test_offer_from_sign_up_to_a_visitor_opening_it(new_phone_page, mailoutbox, reference_data, staff, other_listings):
    person = new_phone_page()
    sign_up_and_confirm(person, mailoutbox)
    register_organization(person)
    code = post_offer(person)

    staff_publish(new_phone_page(), staff.email, code)

    visitor_finds_it(new_phone_page(), code)


# --- a phone's width, the language ----------------------------------------------------------------------------------


@pytest.fixture
def published_offer_with_image(reference_data, owner, org, staff):
    listing = make_listing(user=owner, organization=org, province=Province.objects.get(code="92"))
    upload = io.BytesIO(png_bytes(1600, 900))  # wider than any phone
    upload.name, upload.size = "wide.png", len(upload.getvalue())
    services.attachment_add(listing=listing, user=owner, file=upload, kind="image", caption="Toàn cảnh")
    services.listing_submit(listing=listing, user=owner)
    return services.listing_publish(listing=listing, user=staff)


def test_pages_fit_a_phone_without_scrolling_sideways(phone_page, published_offer_with_image):
    pages = {
        "home": "/",
        "browse": "/listings/",
        "listing": published_offer_with_image.get_absolute_url(),
        "sign-up": "/accounts/signup/",
        "organisations": "/organizations/",
    }
    too_wide = {}
    for name, url in pages.items():
        response = phone_page.goto(url)
        assert response.ok, (name, response.status)
        # Measure with every image laid out at its real size (lazy ones too: the listing's is 1,600 px wide).
        phone_page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
        images_loaded(phone_page)
        if name == "listing":
            assert phone_page.locator(".gallery img").evaluate("img => img.naturalWidth") == 1600
        width = page_width(phone_page)
        if width > PHONE_WIDTH:
            too_wide[name] = width
    assert too_wide == {}


def test_language_cookie_serves_vietnamese(new_phone_page, live_server, reference_data):
    english = new_phone_page()
    english.goto("/")
    expect(english.locator("html")).to_have_attribute("lang", "en")

    vietnamese = new_phone_page()
    vietnamese.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi", "url": live_server.url}])
    vietnamese.goto("/")
    expect(vietnamese.locator("html")).to_have_attribute("lang", "vi")


def test_language_switch_in_the_menu(phone_page, reference_data):
    phone_page.goto("/organizations/")
    open_menu(phone_page)
    phone_page.get_by_role("button", name="Tiếng Việt").click()
    expect(phone_page.locator("html")).to_have_attribute("lang", "vi")
    assert phone_page.url.endswith("/organizations/")  # back on the page the visitor was on
    cookies = {cookie["name"]: cookie["value"] for cookie in phone_page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "vi"
