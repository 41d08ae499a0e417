"""The owners' pages: my listings, creation, the step-by-step editor, files, preview and lifecycle actions."""

import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techex.accounts.tests.factories import UserFactory
from techex.listings import services
from techex.listings.choices import ListingStatus
from techex.listings.models import Listing, ListingAttachment
from techex.listings.tests.factories import make_listing, make_published
from techex.listings.tests.uploads import PDF_BYTES, png_upload
from techex.organizations.tests.factories import MembershipFactory
from techex.reference.models import Province, Ward

pytestmark = pytest.mark.django_db

MINE = reverse("listings:mine")
CREATE = reverse("listings:create")
# Session, user, memberships, the count, the page of listings, their fields and images.
MINE_BUDGET = 8


def step_url(listing, step: str) -> str:
    return reverse("listings:edit_step", kwargs={"reference_code": listing.reference_code, "step": step})


def action_url(listing, action: str) -> str:
    return reverse("listings:action", kwargs={"reference_code": listing.reference_code, "action": action})


def text(response) -> str:
    return response.content.decode()


def basics(**overrides) -> dict:
    data = {"title": "Máy sấy lúa thế hệ mới", "summary": "Tiết kiệm 40% nhiên liệu.", "language": "vi"}
    data.update(overrides)
    return data


def terms(**overrides) -> dict:
    data = {"ip_type": "patent", "ip_status": "granted", "price_type": "negotiable", "open_for_inquiries": "on"}
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, owner, org):
    client.force_login(owner)
    return client


# --- my listings -------------------------------------------------------------------------------------------------


def test_my_listings_needs_sign_in(client, db):
    response = client.get(MINE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_my_listings_shows_own_listings_with_status_and_actions(owner_client, offer, published_offer, outsider):
    other = make_listing(
        user=outsider, organization=outsider.memberships.get().organization, title="Tin của người khác"
    )
    page = text(owner_client.get(MINE))
    assert offer.title in page and published_offer.title in page
    assert other.title not in page
    assert "status-draft" in page and "status-published" in page
    assert action_url(offer, "submit") in page
    assert action_url(published_offer, "withdraw") in page and action_url(published_offer, "renew") in page
    assert action_url(offer, "renew") not in page


def test_my_listings_status_filter(owner_client, reference_data, owner, org, published_offer):
    offer = make_listing(user=owner, organization=org, title="Bản nháp riêng")
    page = text(owner_client.get(MINE, {"status": "draft"}))
    assert offer.title in page and published_offer.title not in page
    page = text(owner_client.get(MINE, {"status": "nonsense"}))
    assert offer.title in page and published_offer.title in page


def test_my_listings_query_count_does_not_grow(owner_client, reference_data, owner, org, staff, count_queries):
    def count() -> int:
        with count_queries() as queries:
            assert owner_client.get(MINE).status_code == 200
        return len(queries.captured_queries)

    for _n in range(4):
        make_published(user=owner, organization=org, staff=staff)
        make_listing(user=owner, organization=org)
    with_eight = count()
    for _n in range(8):
        make_published(user=owner, organization=org, staff=staff, is_anonymous=True)
        make_listing(user=owner, organization=org)
    assert Listing.objects.filter(organization=org).count() == 24
    assert count() == with_eight
    assert count() <= MINE_BUDGET


# --- creation ----------------------------------------------------------------------------------------------------


def test_create_form_offers_only_the_users_organisations(owner_client, org, outsider):
    page = text(owner_client.get(CREATE, {"kind": "need"}))
    assert org.name in page
    assert "Công ty Khác" not in page
    assert 'value="need" required id="id_kind_1" checked' in page or 'value="need" id="id_kind_1" checked' in page


def test_create_makes_draft_and_continues_to_content_step(owner_client, reference_data, org, owner):
    response = owner_client.post(CREATE, {"kind": "need", "organization": org.pk, **basics(is_anonymous="on")})
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == step_url(listing, "content")
    assert (listing.kind, listing.status, listing.organization, listing.is_anonymous) == ("need", "draft", org, True)
    assert listing.title == "Máy sấy lúa thế hệ mới" and listing.created_by == owner


def test_create_refuses_another_organisation(client, reference_data, org, outsider):
    client.force_login(outsider)
    response = client.post(CREATE, {"kind": "offer", "organization": org.pk, **basics()})
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Listing.objects.exists()


def test_create_without_organisation_points_to_registration(client, db):
    client.force_login(UserFactory())
    page = text(client.get(CREATE))
    assert reverse("organizations:create") in page


def test_create_needs_sign_in(client, db):
    assert client.get(CREATE).status_code == 302
    assert client.post(CREATE, {"kind": "offer"}).status_code == 302
    assert not Listing.objects.exists()


# --- who may open the editor -------------------------------------------------------------------------------------


def _owner_pages(listing, attachment):
    pages = [("get", step_url(listing, step)) for step in ("basics", "content", "classification", "terms", "place")]
    pages += [
        ("get", step_url(listing, "media")),
        ("post", step_url(listing, "basics")),
        ("get", reverse("listings:preview", args=[listing.reference_code])),
        ("post", reverse("listings:attachments", args=[listing.reference_code])),
        ("post", reverse("listings:attachment_delete", args=[listing.reference_code, attachment.token])),
    ]
    return pages


def test_editor_pages_refused_to_everyone_but_the_owners(client, offer, owner, outsider, staff):
    attachment = services.attachment_add(listing=offer, user=owner, file=png_upload(), kind="image")
    pages = _owner_pages(offer, attachment)
    for method, url in pages:
        response = getattr(client, method)(url, basics())
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login")), url
    for user in (outsider, staff):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url, basics()).status_code == 404, (user, url)
    offer.refresh_from_db()
    assert offer.title != basics()["title"]
    assert ListingAttachment.objects.filter(pk=attachment.pk).exists()
    client.force_login(owner)
    for method, url in pages[:7]:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_unknown_step_is_404(owner_client, offer):
    assert owner_client.get(step_url(offer, "payment")).status_code == 404


# --- the steps ---------------------------------------------------------------------------------------------------


def test_basics_step_saves_and_moves_on(owner_client, offer):
    response = owner_client.post(step_url(offer, "basics"), basics(title="Máy sấy tầng sôi 2026"))
    assert response.status_code == 302 and response["Location"] == step_url(offer, "content")
    offer.refresh_from_db()
    assert offer.title == "Máy sấy tầng sôi 2026" and offer.summary == "Tiết kiệm 40% nhiên liệu."


def test_step_indicator_marks_current_step(owner_client, offer):
    page = text(owner_client.get(step_url(offer, "terms")))
    assert '<li class="current" aria-current="step"><a href="' + step_url(offer, "terms") in page
    assert step_url(offer, "media") in page


def test_htmx_step_rerenders_in_place(owner_client, offer):
    response = owner_client.post(step_url(offer, "basics"), basics(title="Tiêu đề qua htmx"), HTTP_HX_REQUEST="true")
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page and page.lstrip().startswith('<section id="step"')
    assert response["HX-Push-Url"] == step_url(offer, "content")
    assert 'name="description"' in page and "Saved." in page
    offer.refresh_from_db()
    assert offer.title == "Tiêu đề qua htmx"


def test_htmx_step_with_errors_stays_on_step(owner_client, offer):
    response = owner_client.post(step_url(offer, "basics"), basics(title=""), HTTP_HX_REQUEST="true")
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert "This field is required." in page and 'name="summary"' in page
    assert "HX-Push-Url" not in response


def test_huge_summary_is_a_field_error_and_changes_nothing(owner_client, offer):
    before = Listing.objects.values().get(pk=offer.pk)
    response = owner_client.post(step_url(offer, "basics"), basics(title="Tiêu đề khác", summary="x" * 5000))
    assert response.status_code == 200
    assert "Keep this under 500 characters (it has 5,000)." in text(response)
    assert Listing.objects.values().get(pk=offer.pk) == before


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("classification", {"fields": ["4"], "trl": "abc"}, "Select a valid choice. abc is not one of the available"),
        ("terms", terms(price_min="-5"), "Ensure this value is greater than or equal to 0."),
        ("terms", terms(price_min="nhiều tiền"), "Enter a whole number."),
        ("place", {"province": "99x"}, "Select a valid choice."),
        ("terms", terms(deadline="31/02/2026"), None),
        ("basics", basics(language="fr"), "Select a valid choice."),
    ],
)
def test_wrong_types_are_field_errors(owner_client, reference_data, owner, org, step, data, message):
    listing = make_listing(user=owner, organization=org, kind="need" if "deadline" in data else "offer")
    before = Listing.objects.values().get(pk=listing.pk)
    response = owner_client.post(step_url(listing, step), data)
    assert response.status_code == 200
    assert "field-error" in text(response)
    if message:
        assert message in text(response)
    assert Listing.objects.values().get(pk=listing.pk) == before


def test_nfd_input_is_stored_nfc(owner_client, offer):
    title = unicodedata.normalize("NFD", "Máy sấy lúa tầng sôi Đồng Tháp")
    assert title != unicodedata.normalize("NFC", title)
    owner_client.post(step_url(offer, "basics"), basics(title=title))
    offer.refresh_from_db()
    assert offer.title == unicodedata.normalize("NFC", title)


def test_nfd_text_at_the_limit_fits(owner_client, offer):
    # 500 characters in NFC are ~1,000 code points in NFD; the limit counts the stored (NFC) text.
    summary = "ấ" * 500
    response = owner_client.post(step_url(offer, "basics"), basics(summary=unicodedata.normalize("NFD", summary)))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.summary == summary


def test_html_in_fields_is_stored_as_text(owner_client, offer):
    owner_client.post(step_url(offer, "content"), {"description": "<script>alert(1)</script> mô tả"})
    offer.refresh_from_db()
    assert offer.description == "<script>alert(1)</script> mô tả"
    page = text(owner_client.get(reverse("listings:preview", args=[offer.reference_code])))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_content_step_fields_follow_the_kind(owner_client, reference_data, owner, org, offer):
    need = make_listing(user=owner, organization=org, kind="need")
    offer_page, need_page = (
        text(owner_client.get(step_url(offer, "content"))),
        text(owner_client.get(step_url(need, "content"))),
    )
    assert 'name="advantages"' in offer_page and 'name="problem"' not in offer_page
    assert 'name="problem"' in need_page and 'name="advantages"' not in need_page
    owner_client.post(step_url(need, "content"), {"description": "Mô tả", "problem": "Độ mặn cao", "advantages": "x"})
    need.refresh_from_db()
    assert (need.problem, need.advantages) == ("Độ mặn cao", "")


def test_classification_step(owner_client, offer):
    data = {
        "fields": ["1", "101"],
        "keywords": "lúa gạo; sấy, lúa gạo, năng lượng",
        "ipc_codes": "f26b 1/00, A01F",
        "trl": "6",
        "stage": "demonstrated",
        "vsic": "01",
    }
    response = owner_client.post(step_url(offer, "classification"), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert sorted(f.code for f in offer.fields.all()) == ["1", "101"]
    assert offer.keywords == ["lúa gạo", "sấy", "năng lượng"]
    assert offer.ipc_codes == ["F26B1/00", "A01F"]
    assert (offer.trl, offer.stage, offer.vsic_id) == (6, "demonstrated", "01")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fields": ["1", "101", "2", "4"], "trl": "5"}, "Choose at most 3 S&amp;T fields."),
        ({"trl": "5"}, "Choose at least one S&amp;T field."),
        ({"fields": ["4"]}, "Give the technology readiness level (TRL) of the offer."),
        ({"fields": ["4"], "trl": "5", "ipc_codes": "ZZ99"}, "Not an IPC code: ZZ99"),
        ({"fields": ["4"], "trl": "5", "keywords": ",".join(f"k{i}" for i in range(11))}, "Give at most 10 items."),
    ],
)
def test_classification_errors(owner_client, offer, data, message):
    response = owner_client.post(step_url(offer, "classification"), data)
    assert response.status_code == 200 and message in text(response)
    offer.refresh_from_db()
    assert offer.trl == 7


def test_terms_step_accepts_amounts_with_separators(owner_client, reference_data, owner, org):
    need = make_listing(user=owner, organization=org, kind="need")
    data = terms(
        price_type="range",
        price_min="150.000.000",
        price_max="1,200,000,000 đ",
        transfer_forms=["assignment", "rd_cooperation"],
        partner_types=["university", "institute"],
        partner_provinces=["92", "86"],
        deadline="2099-12-31",
    )
    response = owner_client.post(step_url(need, "terms"), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.price_min, need.price_max) == (150_000_000, 1_200_000_000)
    assert need.transfer_forms == ["assignment", "rd_cooperation"]
    assert sorted(p.code for p in need.partner_provinces.all()) == ["86", "92"]
    assert str(need.deadline) == "2099-12-31"
    page = text(owner_client.get(step_url(need, "terms")))
    assert 'value="150,000,000"' in page


def test_terms_rule_from_the_service_shows_on_its_field(owner_client, offer):
    response = owner_client.post(step_url(offer, "terms"), terms(price_type="fixed"))
    page = text(response)
    assert response.status_code == 200
    assert "Enter the fixed price." in page
    assert page.index("Enter the fixed price.") > page.index('name="price_min"')
    offer.refresh_from_db()
    assert offer.price_type == "negotiable"


def test_terms_refuses_reversed_range(owner_client, offer):
    response = owner_client.post(step_url(offer, "terms"), terms(price_type="range", price_min="9", price_max="5"))
    assert "The upper end of the range is below the lower end." in text(response)


def test_place_step_loads_communes_of_the_province(owner_client, offer):
    page = text(owner_client.get(step_url(offer, "place")))
    assert f'hx-get="{reverse("reference:ward_options")}"' in page and 'hx-target="#id_ward"' in page
    ward = Ward.objects.filter(province_id="92").first()
    response = owner_client.post(
        step_url(offer, "place"), {"province": "92", "ward": ward.code, "deployment_place": "ĐBSCL"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.province_id, offer.ward_id, offer.deployment_place) == ("92", ward.code, "ĐBSCL")
    page = text(owner_client.get(step_url(offer, "place")))
    assert f'value="{ward.code}" selected' in page
    assert page.count("<option") < Ward.objects.filter(province_id="92").count() + Province.objects.count() + 5


def test_place_step_refuses_commune_of_another_province(owner_client, offer):
    ward = Ward.objects.exclude(province_id="92").first()
    response = owner_client.post(step_url(offer, "place"), {"province": "92", "ward": ward.code})
    assert response.status_code == 200 and "Select a valid choice." in text(response)
    offer.refresh_from_db()
    assert offer.ward_id is None


def test_non_editable_listing_sends_editor_to_preview(owner_client, published_offer, owner):
    services.listing_withdraw(listing=published_offer, user=owner)
    response = owner_client.get(step_url(published_offer, "basics"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("listings:preview", args=[published_offer.reference_code])
    assert "cannot be edited" in text(response)
    response = owner_client.post(step_url(published_offer, "basics"), basics(title="Mới"))
    published_offer.refresh_from_db()
    assert published_offer.title != "Mới"


# --- editing a published listing ---------------------------------------------------------------------------------


def test_edit_of_published_listing_waits_for_review(client, owner, staff, published_offer):
    approved = published_offer.title
    detail = published_offer.get_absolute_url()
    client.force_login(owner)
    response = client.post(step_url(published_offer, "basics"), basics(title="Tiêu đề sửa đổi"), follow=True)
    assert "The changes will be public once staff approve them." in text(response)
    # The editor starts from the revision...
    assert 'value="Tiêu đề sửa đổi"' in text(client.get(step_url(published_offer, "basics")))
    # ...the preview shows it...
    assert "Tiêu đề sửa đổi" in text(client.get(reverse("listings:preview", args=[published_offer.reference_code])))
    # ...and the public still sees the approved version.
    client.logout()
    page = text(client.get(detail))
    assert approved in page and "Tiêu đề sửa đổi" not in page
    assert approved in text(client.get(reverse("listings:browse")))
    client.force_login(staff)
    client.post(reverse("listings:review", args=[published_offer.reference_code]), {"decision": "publish"})
    client.logout()
    page = text(client.get(detail))
    assert "Tiêu đề sửa đổi" in page and approved not in page


def test_unchanged_step_of_published_listing_is_no_revision(owner_client, published_offer):
    data = {"title": published_offer.title, "summary": published_offer.summary, "language": "vi"}
    response = owner_client.post(step_url(published_offer, "basics"), data)
    assert response.status_code == 302
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.PUBLISHED and published_offer.pending_changes is None


# --- files -------------------------------------------------------------------------------------------------------


def _upload(client, listing, file, kind="image", headers=None, **extra):
    url = reverse("listings:attachments", args=[listing.reference_code])
    return client.post(url, {"file": file, "kind": kind, **extra}, headers=headers)


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_image_upload_is_stored_and_listed(owner_client, offer):
    response = _upload(owner_client, offer, png_upload("Ảnh máy.png"), caption="Máy sấy", is_confidential="")
    assert response.status_code == 302 and response["Location"] == step_url(offer, "media")
    attachment = ListingAttachment.objects.get()
    assert (attachment.kind, attachment.content_type, attachment.caption) == ("image", "image/png", "Máy sấy")
    assert attachment.original_name == "Ảnh máy.png" and attachment.is_approved
    page = text(owner_client.get(step_url(offer, "media")))
    assert "Ảnh máy.png" in page and attachment.get_absolute_url() in page


def test_confidential_document_upload_with_htmx(owner_client, offer):
    file = SimpleUploadedFile("Quy trình.pdf", PDF_BYTES, content_type="application/pdf")
    response = _upload(owner_client, offer, file, kind="document", is_confidential="on", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in text(response)
    assert "Quy trình.pdf" in text(response) and "confidential" in text(response)
    assert ListingAttachment.objects.get().is_confidential


def test_pdf_renamed_as_jpeg_is_refused(owner_client, offer):
    fake = SimpleUploadedFile("anh-dep.jpg", PDF_BYTES, content_type="image/jpeg")
    response = _upload(owner_client, offer, fake)
    assert response.status_code == 200
    assert "This file is not a JPEG, PNG or WebP image (its content was checked, not its name)." in text(response)
    assert not ListingAttachment.objects.exists()
    assert _stored_files() == []


def test_fifty_megabyte_upload_is_refused(owner_client, offer):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    big = SimpleUploadedFile("ban-ve.pdf", PDF_BYTES + b"0" * (50 * 1024 * 1024), content_type="application/pdf")
    response = _upload(owner_client, offer, big, kind="document")
    assert response.status_code == 200
    # filesizeformat keeps number and unit together with a no-break space.
    assert "The file is too large (50.0\xa0MB); the limit is 10.0\xa0MB." in text(response)
    assert not ListingAttachment.objects.exists()
    assert _stored_files() == []


def test_upload_without_file_is_a_field_error(owner_client, offer):
    response = owner_client.post(reverse("listings:attachments", args=[offer.reference_code]), {"kind": "image"})
    assert response.status_code == 200 and "This field is required." in text(response)


def test_owner_deletes_a_file(owner_client, offer, owner):
    attachment = services.attachment_add(listing=offer, user=owner, file=png_upload(), kind="image")
    url = reverse("listings:attachment_delete", args=[offer.reference_code, attachment.token])
    assert owner_client.get(url).status_code == 405
    response = owner_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "No files yet." in text(response)
    assert not ListingAttachment.objects.exists()


def test_file_of_another_listing_cannot_be_deleted_through_mine(owner_client, offer, owner, outsider):
    other_org = outsider.memberships.get().organization
    others = make_listing(user=outsider, organization=other_org)
    attachment = services.attachment_add(listing=others, user=outsider, file=png_upload(), kind="image")
    url = reverse("listings:attachment_delete", args=[offer.reference_code, attachment.token])
    assert owner_client.post(url).status_code == 404
    assert ListingAttachment.objects.filter(pk=attachment.pk).exists()


def test_new_files_of_published_listing_are_sent_for_review(client, owner, staff, published_offer):
    client.force_login(owner)
    _upload(client, published_offer, png_upload())
    attachment = ListingAttachment.objects.get()
    assert not attachment.is_approved
    page = text(client.get(step_url(published_offer, "media")))
    assert "Send the new files for review" in page
    response = client.post(action_url(published_offer, "revise"), {"next": step_url(published_offer, "media")})
    assert response["Location"] == step_url(published_offer, "media")
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.SUBMITTED and published_offer.is_live
    services.listing_publish(listing=published_offer, user=staff)
    attachment.refresh_from_db()
    assert attachment.is_approved


# --- preview and actions -----------------------------------------------------------------------------------------


def test_preview_lists_what_is_missing_and_offers_submit(owner_client, reference_data, owner, org):
    listing = make_listing(user=owner, organization=org, description="", fields=[])
    page = text(owner_client.get(reverse("listings:preview", args=[listing.reference_code])))
    assert "Enter a description." in page and "Choose at least one S&amp;T field." in page
    assert action_url(listing, "submit") in page and "Submit for review" in page


def test_submit_from_preview(owner_client, offer):
    preview = reverse("listings:preview", args=[offer.reference_code])
    response = owner_client.post(action_url(offer, "submit"), {"next": preview}, follow=True)
    assert response.redirect_chain[-1][0] == preview
    assert "The listing was sent for review." in text(response)
    offer.refresh_from_db()
    assert offer.status == ListingStatus.SUBMITTED


def test_incomplete_submit_is_a_message_not_an_error_page(owner_client, reference_data, owner, org):
    listing = make_listing(user=owner, organization=org, description="")
    response = owner_client.post(action_url(listing, "submit"), follow=True)
    assert response.status_code == 200
    assert "This could not be done: Enter a description." in text(response)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_illegal_transition_is_a_message(owner_client, offer):
    response = owner_client.post(action_url(offer, "renew"), follow=True)
    assert "A listing that is “Draft” cannot be renewed." in text(response)


def test_outsider_cannot_act_on_a_published_listing(client, published_offer, outsider):
    client.force_login(outsider)
    response = client.post(action_url(published_offer, "withdraw"), follow=True)
    assert response.status_code == 200
    assert "Only members of the listing&#x27;s organisation may do this." in text(response)
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.PUBLISHED and published_offer.is_live


def test_outsider_cannot_see_a_draft_to_act_on(client, offer, outsider):
    client.force_login(outsider)
    assert client.post(action_url(offer, "submit")).status_code == 404
    assert client.get(reverse("listings:preview", args=[offer.reference_code])).status_code == 404


def test_actions_are_post_only_and_known(owner_client, offer):
    assert owner_client.get(action_url(offer, "submit")).status_code == 405
    assert owner_client.post(action_url(offer, "publish")).status_code == 404
    owner_client.logout()
    response = owner_client.post(action_url(offer, "submit"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    offer.refresh_from_db()
    assert offer.status == ListingStatus.DRAFT


def test_action_buttons_carry_a_working_csrf_token(owner, org, published_offer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    page = text(browser.get(MINE))
    form = page[page.index(f'action="{action_url(published_offer, "renew")}"') :]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert browser.post(action_url(published_offer, "renew")).status_code == 403
    response = browser.post(action_url(published_offer, "renew"), {"csrfmiddlewaretoken": token, "next": MINE})
    assert response.status_code == 302
    published_offer.refresh_from_db()
    assert published_offer.renewed_at is not None


def test_action_ignores_foreign_next(owner_client, published_offer):
    response = owner_client.post(action_url(published_offer, "withdraw"), {"next": "https://evil.example/"})
    assert response["Location"] == MINE
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.WITHDRAWN


def test_withdraw_reopen_and_archive(owner_client, published_offer):
    owner_client.post(action_url(published_offer, "withdraw"))
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.WITHDRAWN and not published_offer.is_live
    owner_client.post(action_url(published_offer, "reopen"))
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.DRAFT
    owner_client.post(action_url(published_offer, "withdraw"))
    owner_client.post(action_url(published_offer, "archive"))
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.ARCHIVED


def test_second_member_of_the_organisation_may_edit(client, offer, org):
    colleague = MembershipFactory(organization=org).user
    client.force_login(colleague)
    assert client.post(step_url(offer, "basics"), basics(title="Sửa bởi đồng nghiệp")).status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Sửa bởi đồng nghiệp"


# --- issue 15, defect 8: what a need must say, where a listing starts -------------------------------------------------


def test_a_need_may_leave_its_ip_unstated_but_an_offer_may_not(owner_client, reference_data, owner, org, offer):
    need = make_listing(user=owner, organization=org, kind="need")
    page = text(owner_client.get(step_url(need, "terms")))
    assert "— not stated —" in page
    data = {"price_type": "negotiable", "open_for_inquiries": "on"}
    response = owner_client.post(step_url(need, "terms"), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.ip_type, need.ip_status) == ("none", "none")
    response = owner_client.post(step_url(offer, "terms"), data)
    assert response.status_code == 200 and "This field is required." in text(response)
    assert "— not stated —" not in text(response)


def test_the_place_step_starts_from_the_organisations_province(owner_client, reference_data, owner, org):
    org.province_id = "86"
    org.save(update_fields=["province"])
    listing = make_listing(user=owner, organization=org, province=None)
    assert listing.province_id is None
    page = text(owner_client.get(step_url(listing, "place")))
    assert '<option value="86" selected>' in page
    assert Ward.objects.filter(province_id="86").first().full_name in page  # its communes are offered
    listing.province_id = "92"
    listing.save(update_fields=["province"])
    assert '<option value="92" selected>' in text(owner_client.get(step_url(listing, "place")))
