"""The listing API: who may read and change what, every lifecycle action, bad input, query budgets."""

import unicodedata

import pytest
from rest_framework.test import APIClient

from techex.core.tests.api import NOT_FOUND, NOT_SIGNED_IN, STAFF_ONLY, api
from techex.listings import services
from techex.listings.choices import ListingStatus
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing, make_published
from techex.listings.tests.uploads import pdf_upload, png_upload
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province, Ward

pytestmark = pytest.mark.django_db

LIST = "/api/v1/listings/"
OWNERS_ONLY = {"detail": "Only members of the listing's organisation may do this."}
# The list's queries: the count, the page of listings, their fields, images, partner provinces and attachments;
# with a token also the token with its user and the user's memberships.
LIST_BUDGET = 8


def url(listing, action: str = "") -> str:
    return f"{LIST}{listing.reference_code}/" + (f"{action}/" if action else "")


def new_listing(org, **fields) -> dict:
    return {
        "organization": org.pk,
        "kind": "offer",
        "title": "Máy bóc vỏ dừa bán tự động",
        "summary": "Bóc 600 trái mỗi giờ, một người vận hành.",
        "description": "Thiết kế cho hợp tác xã dừa Bến Tre và Trà Vinh.",
        "fields": ["4", "402"],
        "trl": 7,
        "transfer_forms": ["technical_service"],
        **fields,
    }


@pytest.fixture
def submitted(offer, owner):
    return services.listing_submit(listing=offer, user=owner)


@pytest.fixture
def people(owner, outsider, staff) -> dict:
    return {"anonymous": None, "outsider": outsider, "owner": owner, "staff": staff}


# --- reading -----------------------------------------------------------------------------------------------------


def test_list_shows_live_listings_to_everyone(people, offer, published_offer):
    for user in people.values():
        response = api(user).get(LIST)
        assert response.status_code == 200
        assert [row["reference_code"] for row in response.json()["results"]] == [published_offer.reference_code]


def test_list_mine_shows_own_listings_in_any_status(owner, outsider, offer, published_offer):
    response = api(owner).get(LIST, {"mine": "true"})
    rows = {row["reference_code"]: row["status"] for row in response.json()["results"]}
    assert rows == {offer.reference_code: "draft", published_offer.reference_code: "published"}
    assert api(outsider).get(LIST, {"mine": "true"}).json()["results"] == []
    only_drafts = api(owner).get(LIST, {"mine": "true", "status": "draft"}).json()["results"]
    assert [row["reference_code"] for row in only_drafts] == [offer.reference_code]


def test_list_mine_needs_sign_in(db):
    response = api().get(LIST, {"mine": "true"})
    assert response.status_code == 401
    assert response.json() == NOT_SIGNED_IN
    assert response["WWW-Authenticate"] == "Token"


def test_list_filters(reference_data, owner, org, staff):
    offer = make_published(
        user=owner,
        organization=org,
        staff=staff,
        title="Máy bóc vỏ dừa",
        trl=8,
        province=Province.objects.get(code="92"),
        ip_type="patent",
        transfer_forms=["exclusive_licence"],
    )
    need = make_published(user=owner, organization=org, staff=staff, kind="need", min_trl=5, transfer_forms=[])
    other_member = MembershipFactory(organization=OrganizationFactory()).user
    other_org = other_member.organizations.get()
    other = make_published(
        user=other_member, organization=other_org, staff=staff, transfer_forms=["non_exclusive_licence"]
    )

    def codes(**params) -> set[str]:
        response = api().get(LIST, params)
        assert response.status_code == 200, response.json()
        return {row["reference_code"] for row in response.json()["results"]}

    assert codes(kind="offer") == {offer.reference_code, other.reference_code}
    assert codes(kind="need") == {need.reference_code}
    assert codes(field="40") == {offer.reference_code, other.reference_code}  # 402 starts with 40; the need has 4
    assert codes(province="92") == {offer.reference_code}
    # Offers at or above the level, and needs that accept it.
    assert codes(trl=8) == {offer.reference_code, need.reference_code}
    assert codes(trl=4) == {offer.reference_code, other.reference_code}
    assert codes(ip_type="patent") == {offer.reference_code}
    # "exclusive_licence" must not match "non_exclusive_licence"
    assert codes(transfer_form="exclusive_licence") == {offer.reference_code}
    assert codes(organization=other_org.pk) == {other.reference_code}


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"trl": "10"}, {"trl": ["Ensure this value is less than or equal to 9."]}),
        ({"trl": "seven"}, {"trl": ["A valid integer is required."]}),
        ({"kind": "sale"}, {"kind": ['"sale" is not a valid choice.']}),
        ({"mine": "perhaps"}, {"mine": ["Must be a valid boolean."]}),
        ({"status": "draft"}, {"status": ["Filter by status only among your own listings (mine=true)."]}),
        ({"province": "x" * 5}, {"province": ["Ensure this field has no more than 4 characters."]}),
        (
            {"organization": "99999999999999999999"},
            {"organization": ["Ensure this value is less than or equal to 9223372036854775807."]},
        ),
    ],
)
def test_list_refuses_bad_filters(db, params, errors):
    response = api().get(LIST, params)
    assert response.status_code == 400
    assert response.json() == errors


def test_list_page_past_the_end_is_404(published_offer):
    response = api().get(LIST, {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize(
    ("who", "draft_status", "published_status"),
    [("anonymous", 404, 200), ("outsider", 404, 200), ("owner", 200, 200), ("staff", 200, 200)],
)
def test_detail_visibility(people, offer, published_offer, who, draft_status, published_status):
    client = api(people[who])
    draft = client.get(url(offer))
    assert draft.status_code == draft_status
    if draft_status == 404:
        assert draft.json() == NOT_FOUND
    assert client.get(url(published_offer)).status_code == published_status


def test_unknown_listing_is_the_same_404_as_a_hidden_one(offer, outsider):
    assert api(outsider).get(f"{LIST}CT-TO-1999-99999/").json() == api(outsider).get(url(offer)).json()


@pytest.mark.parametrize(
    ("who", "sees_status"), [("anonymous", False), ("outsider", False), ("owner", True), ("staff", True)]
)
def test_status_and_review_fields_only_for_owners_and_staff(people, published_offer, who, sees_status):
    data = api(people[who]).get(url(published_offer)).json()
    assert (data["status"] == "published") is sees_status
    assert (data["review_note"] == "") is sees_status
    if not sees_status:
        assert data["status"] is None and data["review_note"] is None and data["pending_changes"] is None


def test_detail_shows_content_and_organisation(published_offer, org):
    data = api().get(url(published_offer)).json()
    assert data["reference_code"] == published_offer.reference_code
    assert data["kind"] == "offer"
    assert data["title"] == "Máy sấy lúa tầng sôi tiết kiệm năng lượng"
    assert data["fields"] == [
        {"code": "4", "label": "Agricultural sciences"},
        {"code": "402", "label": "Animal and dairy science"},
    ]
    assert data["keywords"] == ["sấy lúa", "tầng sôi", "trấu"]
    assert data["trl"] == 7 and data["min_trl"] is None
    assert data["transfer_forms"] == ["non_exclusive_licence", "technical_service"]
    assert data["organization"] == {"id": org.pk, "name": org.name, "slug": org.slug, "type": "cooperative"}
    assert data["published_at"] and data["valid_until"]
    assert data["source"] == ""
    assert data["actions"] == []


@pytest.mark.parametrize(
    ("who", "sees_organisation"), [("anonymous", False), ("outsider", False), ("owner", True), ("staff", True)]
)
def test_anonymous_listing_hides_its_organisation(reference_data, people, owner, org, staff, who, sees_organisation):
    listing = make_published(user=owner, organization=org, staff=staff, is_anonymous=True)
    data = api(people[who]).get(url(listing)).json()
    assert (data["organization"] is not None) is sees_organisation
    listed = api(people[who]).get(LIST).json()["results"][0]
    assert (listed["organization"] is not None) is sees_organisation
    assert (org.name in str(listed)) is sees_organisation


def test_attachments_confidential_only_for_owners_and_staff(published_offer, owner, outsider, staff):
    services.attachment_add(listing=published_offer, user=owner, file=png_upload(), kind="image", caption="Máy")
    services.attachment_add(
        listing=published_offer, user=owner, file=pdf_upload(), kind="document", is_confidential=True
    )
    services.listing_update(listing=published_offer, user=owner, data={"title": "Máy sấy lúa đời mới"})
    services.listing_publish(listing=published_offer, user=staff)  # approves the files

    public = api(outsider).get(url(published_offer)).json()["attachments"]
    assert len(public) == 1
    assert public[0]["content_type"] == "image/png"
    assert public[0]["caption"] == "Máy"
    assert public[0]["size"] > 0
    assert public[0]["url"].startswith("http://testserver/listings/files/")
    assert public[0]["is_confidential"] is False
    assert [a["is_confidential"] for a in api().get(LIST).json()["results"][0]["attachments"]] == [False]
    for user in (owner, staff):
        assert len(api(user).get(url(published_offer)).json()["attachments"]) == 2
    mine = api(owner).get(LIST, {"mine": "true"}).json()["results"][0]["attachments"]
    assert len(mine) == 2


# --- creating ----------------------------------------------------------------------------------------------------


def test_create_makes_a_draft(reference_data, owner, org):
    response = api(owner).post(LIST, new_listing(org), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    listing = Listing.objects.get(reference_code=data["reference_code"])
    assert listing.status == ListingStatus.DRAFT and listing.organization == org and listing.created_by == owner
    assert data["status"] == "draft"
    assert data["fields"] == [
        {"code": "4", "label": "Agricultural sciences"},
        {"code": "402", "label": "Animal and dairy science"},
    ]
    assert data["actions"] == ["update", "submit", "withdraw"]


def test_create_needs_sign_in(reference_data, org):
    response = api().post(LIST, new_listing(org), format="json")
    assert response.status_code == 401
    assert response.json() == NOT_SIGNED_IN
    assert not Listing.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "staff"])
def test_create_only_for_ones_own_organisation(reference_data, people, org, who):
    response = api(people[who]).post(LIST, new_listing(org), format="json")
    assert response.status_code == 400
    assert response.json() == {"organization": ["Choose one of your organisations."]}
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": 42}, {"title": ["Not a valid string."]}),
        ({"trl": "7"}, {"trl": ["A valid integer is required."]}),
        ({"trl": 7.5}, {"trl": ["A valid integer is required."]}),
        ({"trl": 10}, {"trl": ["Ensure this value is less than or equal to 9."]}),
        ({"is_anonymous": "yes"}, {"is_anonymous": ["Must be a valid boolean."]}),
        ({"keywords": "sấy, lúa"}, {"keywords": ['Expected a list of items but got type "str".']}),
        ({"keywords": ["sấy", 5]}, {"keywords": ["Not a valid string."]}),
        ({"fields": "4"}, {"fields": ['Expected a list of items but got type "str".']}),
        ({"fields": ["4", "999"]}, {"fields": ["Unknown code: 999."]}),
        ({"organization": "1"}, {"organization": ["A valid integer is required."]}),
        ({"kind": "sale"}, {"kind": ['"sale" is not a valid choice.']}),
        ({"price_min": -1}, {"price_min": ["Ensure this value is greater than or equal to 0."]}),
        (
            {"deadline": "30/04/2026"},
            {"deadline": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        ({"province": "99"}, {"province": ["Unknown code “99”."]}),
        ({"province": 92}, {"province": ["Give the code as text."]}),
        ({"status": "published"}, {"status": ["This field is not accepted here."]}),
        ({"title": "bad\x00byte"}, {"title": ["Null characters are not allowed."]}),
        ({"summary": "x" * 5000}, {"summary": ["Keep this under 500 characters (it has 5,000)."]}),
        ({"min_trl": 4}, {"min_trl": ["Only a need has a minimum TRL."]}),
        ({"fields": ["1", "2", "3", "4"]}, {"fields": ["Choose at most 3 S&T fields."]}),
        (
            {"price_type": "range", "price_min": 10, "price_max": 5},
            {"price_max": ["The upper end of the range is below the lower end."]},
        ),
    ],
)
def test_create_bad_input_is_a_field_error_and_creates_nothing(reference_data, owner, org, fields, errors):
    response = api(owner).post(LIST, new_listing(org, **fields), format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not Listing.objects.exists()


def test_create_refuses_a_body_that_is_not_an_object(reference_data, owner):
    response = api(owner).post(LIST, ["title"], format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}


def test_create_refuses_malformed_json_and_other_media_types(reference_data, owner):
    response = api(owner).post(LIST, "{", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("JSON parse error")
    response = api(owner).post(LIST, {"title": "x"})  # multipart form
    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data')


def test_create_stores_nfd_vietnamese_as_nfc(reference_data, owner, org):
    title = "Máy sấy lúa Đồng Tháp"
    # 500 characters in NFC, far more code points in NFD: the limit counts the stored (NFC) text.
    summary = "ế" * 500
    response = api(owner).post(
        LIST,
        new_listing(org, title=unicodedata.normalize("NFD", title), summary=unicodedata.normalize("NFD", summary)),
        format="json",
    )
    assert response.status_code == 201, response.json()
    listing = Listing.objects.get()
    assert listing.title == title and listing.summary == summary
    assert response.json()["title"] == title


def test_create_stores_html_as_text(reference_data, owner, org):
    title = '<script>alert("x")</script><b>Máy sấy</b>'
    response = api(owner).post(LIST, new_listing(org, title=title), format="json")
    assert response.status_code == 201
    assert Listing.objects.get().title == title
    assert response.json()["title"] == title
    assert response["Content-Type"] == "application/json"


def test_create_ward_must_belong_to_province(reference_data, owner, org):
    ward = Ward.objects.exclude(province_id="92").first()
    response = api(owner).post(LIST, new_listing(org, province="92", ward=ward.code), format="json")
    assert response.status_code == 400
    assert response.json() == {"ward": ["This commune does not belong to the chosen province."]}


# --- changing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "draft_status", "published_status"),
    [("anonymous", 401, 401), ("outsider", 404, 403), ("owner", 200, 200), ("staff", 403, 403)],
)
def test_update_permissions(people, offer, published_offer, who, draft_status, published_status):
    client = api(people[who])
    for listing, expected in ((offer, draft_status), (published_offer, published_status)):
        response = client.patch(url(listing), {"title": "Tiêu đề mới"}, format="json")
        assert response.status_code == expected
        if expected == 403:
            assert response.json() == OWNERS_ONLY
        if expected == 401:
            assert response.json() == NOT_SIGNED_IN


def test_update_draft_changes_it(offer, owner):
    response = api(owner).patch(url(offer), {"title": "Máy sấy lúa mới", "keywords": ["sấy"]}, format="json")
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.title == "Máy sấy lúa mới" and offer.keywords == ["sấy"]
    assert offer.summary == "Máy sấy lúa tầng sôi công suất 10 tấn/mẻ, giảm 30% chi phí nhiên liệu."
    assert response.json()["title"] == "Máy sấy lúa mới"


def test_update_published_listing_makes_a_revision(published_offer, owner, outsider):
    response = api(owner).patch(url(published_offer), {"title": "Máy sấy lúa đời 2"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "submitted"
    assert data["title"] == "Máy sấy lúa tầng sôi tiết kiệm năng lượng"  # the approved version stays
    assert data["pending_changes"]["title"] == "Máy sấy lúa đời 2"
    public = api(outsider).get(url(published_offer)).json()
    assert public["title"] == "Máy sấy lúa tầng sôi tiết kiệm năng lượng" and public["pending_changes"] is None


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({}, {"non_field_errors": ["Send at least one field to change."]}),
        ({"summary": "y" * 5000}, {"summary": ["Keep this under 500 characters (it has 5,000)."]}),
        ({"trl": "9"}, {"trl": ["A valid integer is required."]}),
        ({"kind": "need"}, {"kind": ["This field is not accepted here."]}),
        ({"province": "00"}, {"province": ["Unknown code “00”."]}),
        ({"title": ""}, {"title": ["This field cannot be blank."]}),
    ],
)
def test_update_bad_input_changes_nothing(published_offer, owner, fields, errors):
    response = api(owner).patch(url(published_offer), fields, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    published_offer.refresh_from_db()
    assert published_offer.status == ListingStatus.PUBLISHED and published_offer.pending_changes is None


def test_update_refused_for_archived_listing(offer, owner):
    services.listing_withdraw(listing=offer, user=owner)
    services.listing_archive(listing=offer, user=owner)
    response = api(owner).patch(url(offer), {"title": "Sửa"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A listing that is “Archived” cannot be edited."]}


# --- lifecycle: owners -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, NOT_SIGNED_IN),
        ("outsider", 404, NOT_FOUND),
        ("staff", 403, OWNERS_ONLY),
    ],
)
def test_submit_refused_to_all_but_the_owners(people, offer, who, status, body):
    response = api(people[who]).post(url(offer, "submit"))
    assert response.status_code == status
    assert response.json() == body
    offer.refresh_from_db()
    assert offer.status == ListingStatus.DRAFT


def test_submit_sends_draft_to_review(offer, owner):
    response = api(owner).post(url(offer, "submit"))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert Listing.objects.get(pk=offer.pk).status == ListingStatus.SUBMITTED


def test_submit_incomplete_draft_names_what_is_missing(reference_data, owner, org):
    listing = make_listing(user=owner, organization=org, description="", fields=[])
    response = api(owner).post(url(listing, "submit"))
    assert response.status_code == 400
    assert response.json() == {"description": ["Enter a description."], "fields": ["Choose at least one S&T field."]}


def test_outsider_acting_on_a_live_listing_is_forbidden(published_offer, outsider):
    for action in ("submit", "withdraw", "archive", "reopen", "renew"):
        response = api(outsider).post(url(published_offer, action))
        assert response.status_code == 403, action
        assert response.json() == OWNERS_ONLY


def test_withdraw_takes_listing_off_the_exchange(published_offer, owner):
    response = api(owner).post(url(published_offer, "withdraw"))
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn" and response.json()["is_live"] is False
    assert api().get(url(published_offer)).status_code == 404


def test_archive_reopen_and_renew(offer, published_offer, owner, staff):
    assert api(owner).post(url(offer, "withdraw")).json()["status"] == "withdrawn"
    assert api(owner).post(url(offer, "reopen")).json()["status"] == "draft"
    assert api(owner).post(url(offer, "withdraw")).status_code == 200
    assert api(staff).post(url(offer, "archive")).json()["status"] == "archived"
    renewed = api(owner).post(url(published_offer, "renew"))
    assert renewed.status_code == 200
    assert renewed.json()["status"] == "published"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("renew", "A listing that is “Draft” cannot be renewed."),
        ("reopen", "A listing that is “Draft” cannot be reopened."),
        ("archive", "A listing that is “Draft” cannot be archived."),
    ],
)
def test_owner_actions_refused_in_the_wrong_state(offer, owner, action, message):
    response = api(owner).post(url(offer, action))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert Listing.objects.get(pk=offer.pk).status == ListingStatus.DRAFT


def test_submit_refused_when_already_published(published_offer, owner):
    response = api(owner).post(url(published_offer, "submit"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A listing that is “Published” cannot be submitted for review."]}


# --- lifecycle: staff --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [
        ("anonymous", 401, NOT_SIGNED_IN),
        ("outsider", 404, NOT_FOUND),
        ("owner", 403, STAFF_ONLY),
    ],
)
@pytest.mark.parametrize(
    ("action", "payload"),
    [("publish", None), ("request-changes", {"note": "Thêm ảnh."}), ("reject", {"reason": "Trùng."})],
)
def test_review_actions_refused_to_all_but_staff(people, submitted, who, status, body, action, payload):
    response = api(people[who]).post(url(submitted, action), payload, format="json")
    assert response.status_code == status
    assert response.json() == body
    assert Listing.objects.get(pk=submitted.pk).status == ListingStatus.SUBMITTED


def test_permission_is_checked_before_the_input(submitted, owner):
    response = api(owner).post(url(submitted, "reject"), {"reason": 5}, format="json")
    assert response.status_code == 403
    assert response.json() == STAFF_ONLY


def test_publish(submitted, staff):
    response = api(staff).post(url(submitted, "publish"))
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["is_live"] is True
    assert api().get(url(submitted)).status_code == 200


def test_request_changes_with_note(submitted, staff, owner):
    response = api(staff).post(url(submitted, "request-changes"), {"note": "Thêm hình ảnh sản phẩm."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "changes_requested"
    mine = api(owner).get(url(submitted)).json()
    assert mine["review_note"] == "Thêm hình ảnh sản phẩm."
    assert mine["actions"] == ["update", "submit", "withdraw"]


def test_reject_with_reason(submitted, staff):
    response = api(staff).post(url(submitted, "reject"), {"reason": "Trùng với hồ sơ CT-TO-2026-00001."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["review_note"] == "Trùng với hồ sơ CT-TO-2026-00001."


def test_reject_a_revision_keeps_the_published_version(published_offer, owner, staff):
    services.listing_update(listing=published_offer, user=owner, data={"title": "Tiêu đề chưa duyệt"})
    response = api(staff).post(url(published_offer, "reject"), {"reason": "Tiêu đề sai."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["pending_changes"] is None
    assert api().get(url(published_offer)).json()["title"] == "Máy sấy lúa tầng sôi tiết kiệm năng lượng"


@pytest.mark.parametrize(
    ("action", "payload", "errors"),
    [
        ("request-changes", {}, {"note": ["This field is required."]}),
        ("request-changes", {"note": "  "}, {"note": ["This field may not be blank."]}),
        ("request-changes", {"note": "\x01"}, {"note": ["Say what the owner should change."]}),
        ("request-changes", {"note": 5}, {"note": ["Not a valid string."]}),
        ("reject", {}, {"reason": ["This field is required."]}),
        ("reject", {"reason": "x" * 2001}, {"reason": ["Keep it under 2,000 characters."]}),
    ],
)
def test_review_actions_need_their_note_or_reason(submitted, staff, action, payload, errors):
    response = api(staff).post(url(submitted, action), payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Listing.objects.get(pk=submitted.pk).status == ListingStatus.SUBMITTED


def test_publish_refused_for_a_draft(offer, staff):
    response = api(staff).post(url(offer, "publish"))
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A listing that is “Draft” cannot be published."]}


def test_staff_sees_review_actions(submitted, staff):
    assert api(staff).get(url(submitted)).json()["actions"] == ["publish", "request-changes", "reject"]


# --- query budgets -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "params"), [("anonymous", {}), ("owner", {}), ("owner", {"mine": "true"})])
def test_list_query_count_does_not_grow_with_listings(
    reference_data, people, owner, org, staff, django_assert_max_num_queries, count_queries, who, params
):
    def count() -> int:
        with count_queries() as queries:
            response = client.get(LIST, {"page_size": 50, **params})
        assert response.status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            listing = make_published(user=owner, organization=org, staff=staff, title=f"Công nghệ {i}")
            services.attachment_add(listing=listing, user=owner, file=png_upload(), kind="image")

    client = api(people[who])
    add(10)
    with django_assert_max_num_queries(LIST_BUDGET):
        ten = count()
    add(20)
    with django_assert_max_num_queries(LIST_BUDGET):
        thirty = count()
    assert ten == thirty
    assert client.get(LIST, {"page_size": 50, **params}).json()["count"] == 30


# --- the API as a whole ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/listings/CT%00TO/",  # a NUL would make PostgreSQL fail; it never reaches a query
        "/api/v1/listings/CT-TO-2026-00001.json/",
        "/api/v1/organizations/a.b/verify/",
        "/api/v1/no-such-thing/",
        "/api/v1/listings/a%0Ab/withdraw/",
    ],
)
def test_unknown_addresses_are_json_404(db, path):
    response = api().get(path)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_unknown_address_is_404_not_a_csrf_failure(owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/api/v1/listings/a%C2%84/submit/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_session_sign_in_works_and_writes_need_the_csrf_token(offer, owner):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get(LIST, {"mine": "true"}).json()["count"] == 1
    response = client.post(url(offer, "submit"))
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert Listing.objects.get(pk=offer.pk).status == ListingStatus.DRAFT


def test_throttled_requests_are_answered_429(db, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # The rates are read when DRF is imported, so the test changes them where the throttles look.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    client = api()
    assert [client.get(LIST).status_code for _ in range(2)] == [200, 200]
    response = client.get(LIST)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert int(response["Retry-After"]) > 0
