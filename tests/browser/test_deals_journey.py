"""A deal from the first inquiry to a completed contract, in Chromium on a 360 px phone, against the live server.

One test, because each step needs the one before it: a cooperative's member expresses interest in an offer; the
owner accepts; both accept the standard NDA; the inquirer proposes, the owner counters, the inquirer accepts the
counter; the owner records the contract and completes the deal; staff then see it in the funnel with its value.
Only the background (the people, their organisations, the published offer) is made through the services.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from techex.deals.tests.factories import deal_parties, ensure_nda_template

from .test_journeys import PASSWORD, PHONE_WIDTH, assert_fits_phone, open_menu, page_width

PRICE = "1.200.000.000"
COUNTER_PRICE = "1.500.000.000"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()


def assert_deal_page_fits(page: Page) -> None:
    """The deal page, with every folded form opened, does not scroll sideways on a 360 px phone."""
    page.evaluate(
        "document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; d.dataset.opened = '1'; })"
    )
    width = page_width(page)
    page.evaluate("document.querySelectorAll('details[data-opened]').forEach(d => { d.open = false; })")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide with its forms open"


def stage(page: Page) -> str:
    return page.locator(".stage-bar li[aria-current=step]").inner_text()


def express_interest(page: Page, listing) -> str:
    page.goto(listing.get_absolute_url())
    page.get_by_role("link", name="Express interest").click()
    expect(page.get_by_role("heading", name="Express interest")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("Who we are").fill("Hợp tác xã 120 thành viên ở Thới Lai, Cần Thơ.")
    page.get_by_label("What we want to do with it").fill("Sấy lúa sau thu hoạch cho các thành viên.")
    page.get_by_label("Timeline and budget").fill("Vụ Đông Xuân 2026; khoảng 1,5 tỷ đồng.")
    page.get_by_label("Message").fill("Chúng tôi muốn tìm hiểu máy sấy cho 200 ha lúa.")
    page.get_by_role("button", name="Send the expression of interest").click()
    expect(page.get_by_text("Your expression of interest was sent to the listing's owner.")).to_be_visible()
    assert stage(page) == "Inquiry"
    assert_deal_page_fits(page)
    return re.search(r"/deals/([^/]+)/$", page.url).group(1)


def owner_accepts(page: Page, parties, code: str) -> None:
    sign_in(page, parties.owner.email)
    open_menu(page)
    page.get_by_role("link", name="Deals", exact=True).click()
    expect(page.get_by_role("heading", name="1 deal awaits you")).to_be_visible()
    assert_fits_phone(page)
    page.locator("section", has=page.locator("#awaiting-title")).get_by_role("link", name=parties.listing.title).click()
    expect(page.get_by_text("Sấy lúa sau thu hoạch cho các thành viên.")).to_be_visible()
    assert_deal_page_fits(page)
    page.get_by_role("button", name="Accept the inquiry").click()
    expect(page.get_by_text("You accepted the inquiry.")).to_be_visible()
    assert stage(page) == "Accepted"
    expect(page.locator("#parties")).to_contain_text(parties.inquirer.email)  # contacts revealed


def nda_in_the_app(inquirer: Page, owner: Page, code: str) -> None:
    inquirer.goto(f"/deals/{code}/")
    expect(inquirer.locator("#parties")).to_contain_text("vienlua@example.vn")
    inquirer.get_by_label("The exchange's standard text, accepted in the app").check()
    inquirer.get_by_role("button", name="Ask for an NDA").click()
    expect(inquirer.get_by_text("The NDA was requested.")).to_be_visible()

    owner.goto(f"/deals/{code}/")
    owner.get_by_role("button", name="Accept the NDA for my side").click()
    expect(owner.get_by_text("The NDA is in force")).to_be_visible()
    assert_deal_page_fits(owner)


def negotiate(inquirer: Page, owner: Page, code: str) -> None:
    inquirer.goto(f"/deals/{code}/")
    # A message with a file, sent in place (htmx).
    thread = inquirer.locator("#thread")
    thread.get_by_label("Message").fill("Gửi anh chị mặt bằng xưởng sấy.")
    thread.get_by_label("Attachments").set_input_files(
        {"name": "mat-bang.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    thread.get_by_role("button", name="Send the message").click()
    expect(inquirer.locator("#thread .body")).to_have_text("Gửi anh chị mặt bằng xưởng sấy.")
    expect(inquirer.locator("#thread").get_by_role("link", name="mat-bang.pdf")).to_be_visible()

    inquirer.get_by_text("Make a proposal", exact=True).click()
    form = inquirer.locator("#proposals form").first
    form.get_by_label("Form of transfer (Art. 5)").select_option(label="Stand-alone technology-transfer contract")
    form.get_by_label("Know-how").check()
    form.get_by_label("Rights transferred").select_option(label="Non-exclusive licence")
    form.get_by_label("Price (VND)").fill(PRICE)
    form.get_by_label("Territory").fill("Thành phố Cần Thơ")
    form.get_by_label("Term (months)").fill("36")
    form.get_by_label("Technical assistance, training, experts").fill("Hai tuần đào tạo vận hành.")
    assert_fits_phone(inquirer)
    form.get_by_role("button", name="Send the proposal").click()
    expect(inquirer.get_by_text("Your proposal was sent.")).to_be_visible()
    assert stage(inquirer) == "Negotiating"

    owner.goto(f"/deals/{code}/")
    expect(owner.locator("#proposals")).to_contain_text("1,200,000,000 ₫")
    owner.get_by_text("Make a counter-proposal").click()
    counter = owner.locator("#proposals details[open] form")
    expect(counter.get_by_label("Price (VND)")).to_have_value("1,200,000,000")  # starts from the proposal
    counter.get_by_label("Price (VND)").fill(COUNTER_PRICE)
    counter.get_by_label("Note").fill("Giá gồm hai tuần đào tạo tại hợp tác xã.")
    counter.get_by_role("button", name="Send the counter-proposal").click()
    expect(owner.get_by_text("Your counter-proposal was sent.")).to_be_visible()

    inquirer.goto(f"/deals/{code}/")
    open_one = inquirer.locator("article.proposal.status-open")
    expect(open_one).to_contain_text("1,500,000,000 ₫")
    expect(inquirer.locator("article.proposal.status-countered")).to_contain_text("1,200,000,000 ₫")
    open_one.get_by_role("button", name="Accept these terms").click()
    expect(inquirer.get_by_text("You accepted the proposal: the terms are agreed.")).to_be_visible()
    assert stage(inquirer) == "Agreed"
    assert_deal_page_fits(inquirer)


def contract_and_completion(owner: Page, code: str) -> None:
    owner.goto(f"/deals/{code}/")
    form = owner.locator("#contract form")
    expect(form.get_by_label("Contract value (VND)")).to_have_value("1,500,000,000")  # the agreed price
    expect(form.get_by_label("Know-how")).to_be_checked()
    form.get_by_label("Origin of the technology").select_option(label="Within Vietnam")
    assert_deal_page_fits(owner)
    form.get_by_role("button", name="Record the contract").click()
    expect(owner.get_by_text("The contract was recorded. Registration is voluntary for this contract.")).to_be_visible()
    assert stage(owner) == "Contract signed"
    expect(owner.locator("#contract")).to_contain_text("Voluntary: a domestic transfer without state capital")

    with owner.expect_download() as download_info:
        owner.evaluate(
            f"() => {{ const a = document.createElement('a'); a.href = '/deals/{code}/contract.pdf'; "
            f"a.download = 'x.pdf'; document.body.appendChild(a); a.click(); }}"
        )
    assert download_info.value.path().read_bytes().startswith(b"%PDF-")

    owner.get_by_role("button", name="Mark the deal completed").click()
    expect(owner.get_by_text("The deal is completed.")).to_be_visible()
    assert stage(owner) == "Completed"
    assert_deal_page_fits(owner)


def staff_see_it_in_the_funnel(page: Page, staff, code: str) -> None:
    sign_in(page, staff.email)
    open_menu(page)
    page.get_by_role("link", name="All deals").click()
    expect(page.get_by_role("heading", name="All deals")).to_be_visible()
    completed = page.locator("#funnel tr[data-stage=completed]")
    expect(completed).to_contain_text("1")
    expect(completed).to_contain_text("1,500,000,000 ₫")
    expect(page.locator("#funnel tr[data-stage=inquiry]")).to_contain_text("1,500,000,000 ₫")
    expect(page.locator(".deal-list")).to_contain_text(code)
    assert_fits_phone(page)
    page.get_by_label("Stage").select_option(label="Completed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="1 deal", exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_deal_from_inquiry_to_completion(new_phone_page, reference_data):
    parties = deal_parties()
    ensure_nda_template()
    inquirer, owner = new_phone_page(), new_phone_page()

    sign_in(inquirer, parties.inquirer.email)
    code = express_interest(inquirer, parties.listing)
    owner_accepts(owner, parties, code)
    nda_in_the_app(inquirer, owner, code)
    negotiate(inquirer, owner, code)
    contract_and_completion(owner, code)

    staff_see_it_in_the_funnel(new_phone_page(), parties.staff, code)
