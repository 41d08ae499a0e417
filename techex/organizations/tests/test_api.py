"""The organisation API: who may read and change what, verification, bad input, query budgets."""

import unicodedata

import pytest

from techex.accounts.tests.factories import UserFactory
from techex.core.tests.api import NOT_FOUND, NOT_SIGNED_IN, STAFF_ONLY, api
from techex.listings.tests.factories import make_published
from techex.organizations import services
from techex.organizations.choices import MembershipRole, VerificationStatus
from techex.organizations.models import Membership, Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.organizations.validators import tax_code_check_digit
from techex.reference.models import Ward

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations/"
ADMINS_ONLY = {"detail": "Only the organisation's administrators may change its profile."}
# The list's queries: the count and the page (listing counts annotated); with a token, the token and its user and
# the caller's memberships (to show a member the private fields).
LIST_BUDGET = 4


def url(organization, action: str = "") -> str:
    return f"{LIST}{organization.slug}/" + (f"{action}/" if action else "")


def valid_tax_code(first_nine: str = "180012345") -> str:
    return first_nine + str(tax_code_check_digit(first_nine))


@pytest.fixture
def people(owner, outsider, staff) -> dict:
    return {"anonymous": None, "outsider": outsider, "owner": owner, "staff": staff}


@pytest.fixture
def refused(org, staff):
    return services.organization_refuse_verification(organization=org, user=staff, reason="Giấy phép hết hạn.")


# --- reading -----------------------------------------------------------------------------------------------------


def test_list_hides_refused_organisations(org, outsider):
    other = outsider.organizations.get()
    services.organization_refuse_verification(organization=other, user=UserFactory(is_staff=True), reason="Sai.")
    slugs = [row["slug"] for row in api().get(LIST).json()["results"]]
    assert slugs == [org.slug]


def test_list_filters(reference_data, db):
    rice = OrganizationFactory(name="Viện Lúa Đồng bằng sông Cửu Long", short_name="CLRRI", type="institute")
    shrimp = OrganizationFactory(name="Hợp tác xã Tôm Sóc Trăng", province_id="96", tax_code=valid_tax_code())

    def slugs(**params) -> set[str]:
        response = api().get(LIST, params)
        assert response.status_code == 200, response.json()
        return {row["slug"] for row in response.json()["results"]}

    assert slugs(type="institute") == {rice.slug}
    assert slugs(province="96") == {shrimp.slug}
    assert slugs(q="lúa") == {rice.slug}
    assert slugs(q="clrri") == {rice.slug}
    assert slugs(q=shrimp.tax_code) == {shrimp.slug}


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"type": "bank"}, {"type": ['"bank" is not a valid choice.']}),
        ({"q": "x" * 101}, {"q": ["Ensure this field has no more than 100 characters."]}),
        ({"q": "a\x00b"}, {"q": ["Null characters are not allowed."]}),
        ({"mine": "often"}, {"mine": ["Must be a valid boolean."]}),
    ],
)
def test_list_refuses_bad_filters(db, params, errors):
    response = api().get(LIST, params)
    assert response.status_code == 400
    assert response.json() == errors


def test_list_mine_shows_own_organisations_in_any_state(refused, owner):
    response = api(owner).get(LIST, {"mine": "true"})
    assert [(row["slug"], row["verification_status"]) for row in response.json()["results"]] == [
        (refused.slug, "rejected")
    ]
    assert api().get(LIST, {"mine": "true"}).json() == NOT_SIGNED_IN


def test_list_counts_named_live_listings(reference_data, published_offer, org, owner, staff):
    make_published(user=owner, organization=org, staff=staff, is_anonymous=True)
    row = next(r for r in api().get(LIST).json()["results"] if r["slug"] == org.slug)
    assert row["live_listing_count"] == 1
    assert api().get(url(org)).json()["live_listing_count"] == 1


@pytest.mark.parametrize(("who", "status"), [("anonymous", 404), ("outsider", 404), ("owner", 200), ("staff", 200)])
def test_refused_organisation_only_for_its_members_and_staff(people, refused, who, status):
    response = api(people[who]).get(url(refused))
    assert response.status_code == status
    if status == 404:
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("who", "sees_private"), [("anonymous", False), ("outsider", False), ("owner", True), ("staff", True)]
)
def test_private_fields_only_for_members_and_staff(people, org, who, sees_private):
    org.tax_code, org.email, org.phone, org.address = valid_tax_code(), "lh@htx.vn", "0292 1234", "Ấp 3, Phong Điền"
    org.save()
    data = api(people[who]).get(url(org)).json()
    assert data["name"] == org.name and data["type"] == "cooperative" and data["province"] == "92"
    private = {name: data[name] for name in ("tax_code", "email", "phone", "address")}
    if sees_private:
        assert private == {
            "tax_code": org.tax_code,
            "email": "lh@htx.vn",
            "phone": "0292 1234",
            "address": "Ấp 3, Phong Điền",
        }
    else:
        assert set(private.values()) == {None}


def test_unknown_organisation_is_404(db):
    response = api().get(f"{LIST}khong-co/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- registering -------------------------------------------------------------------------------------------------


def test_create_makes_the_caller_its_administrator(reference_data, outsider):
    response = api(outsider).post(
        LIST,
        {"name": "Công ty Cơ khí Tây Đô", "type": "enterprise", "province": "92", "tax_code": valid_tax_code()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    organization = Organization.objects.get(slug=data["slug"])
    assert data["slug"] == "cong-ty-co-khi-tay-do"
    assert data["verification_status"] == "pending"
    assert data["tax_code"] == valid_tax_code()  # the creator is a member: sees the private fields
    assert Membership.objects.get(organization=organization).user == outsider
    assert Membership.objects.get(organization=organization).role == MembershipRole.ADMIN


def test_create_needs_sign_in(db):
    response = api().post(LIST, {"name": "Công ty A", "type": "enterprise"}, format="json")
    assert response.status_code == 401
    assert response.json() == NOT_SIGNED_IN
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": 7}, {"name": ["Not a valid string."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"type": "bank"}, {"type": ['"bank" is not a valid choice.']}),
        (
            {"tax_code": "123"},
            {
                "tax_code": [
                    "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch (e.g. 1800123456-001)."
                ]
            },
        ),
        ({"tax_code": "1800123451"}, {"tax_code": ["This tax code is not valid: its check digit does not match."]}),
        ({"province": "99"}, {"province": ["Unknown code “99”."]}),
        ({"website": "not a url"}, {"website": ["Enter a valid URL."]}),
        ({"email": "khong-phai-email"}, {"email": ["Enter a valid email address."]}),
        ({"name": "x" * 300}, {"name": ["Keep this under 255 characters (it has 300)."]}),
        ({"slug": "chon-slug"}, {"slug": ["This field is not accepted here."]}),
        ({"verification_status": "verified"}, {"verification_status": ["This field is not accepted here."]}),
    ],
)
def test_create_bad_input_is_a_field_error_and_creates_nothing(reference_data, outsider, fields, errors):
    count = Organization.objects.count()
    response = api(outsider).post(LIST, {"name": "Công ty A", "type": "enterprise", **fields}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Organization.objects.count() == count


def test_create_stores_nfd_as_nfc_and_html_as_text(reference_data, outsider):
    name = "Trường Đại học Cần Thơ <i>CTU</i>"
    response = api(outsider).post(
        LIST, {"name": unicodedata.normalize("NFD", name), "type": "university"}, format="json"
    )
    assert response.status_code == 201
    assert Organization.objects.get(slug=response.json()["slug"]).name == name
    assert response.json()["name"] == name


def test_create_refuses_a_registered_tax_code(reference_data, org, outsider):
    org.tax_code = valid_tax_code()
    org.save()
    response = api(outsider).post(LIST, {"name": "B", "type": "enterprise", "tax_code": org.tax_code}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "tax_code": ["An organisation with this tax code is already registered on the exchange."]
    }


# --- changing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [("anonymous", 401, NOT_SIGNED_IN), ("outsider", 403, ADMINS_ONLY), ("owner", 200, None), ("staff", 200, None)],
)
def test_update_permissions(people, org, who, status, body):
    response = api(people[who]).patch(url(org), {"description": "Sấy lúa và bảo quản sau thu hoạch."}, format="json")
    assert response.status_code == status
    if body:
        assert response.json() == body
    org.refresh_from_db()
    assert (org.description == "Sấy lúa và bảo quản sau thu hoạch.") is (status == 200)


def test_update_refused_to_a_plain_member(org):
    member = MembershipFactory(organization=org, role=MembershipRole.MEMBER).user
    response = api(member).patch(url(org), {"name": "Tên mới"}, format="json")
    assert response.status_code == 403
    assert response.json() == ADMINS_ONLY


def test_update_refused_organisation_hidden_from_outsiders(refused, outsider):
    assert api(outsider).patch(url(refused), {"name": "X"}, format="json").status_code == 404


def test_update_commune_checked_against_the_stored_province(reference_data, org, owner):
    ward = Ward.objects.filter(province_id="92").first()
    response = api(owner).patch(url(org), {"ward": ward.code}, format="json")
    assert response.status_code == 200
    assert response.json()["ward"] == ward.code
    elsewhere = Ward.objects.exclude(province_id="92").first()
    response = api(owner).patch(url(org), {"ward": elsewhere.code}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ward": ["This commune does not belong to the chosen province."]}
    # Moving to another province without a new commune leaves the old one that no longer fits.
    response = api(owner).patch(url(org), {"province": "96"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ward": ["This commune does not belong to the chosen province."]}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({}, {"non_field_errors": ["Send at least one field to change."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"description": "x" * 5000}, {"description": ["Keep this under 4,000 characters (it has 5,000)."]}),
        ({"province": ["92"]}, {"province": ["Give the code as text."]}),
    ],
)
def test_update_bad_input_changes_nothing(org, owner, fields, errors):
    response = api(owner).patch(url(org), fields, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Organization.objects.get(pk=org.pk).name == org.name


def test_new_tax_code_asks_for_verification_again(org, owner):
    response = api(owner).patch(url(org), {"tax_code": valid_tax_code("310012345")}, format="json")
    assert response.status_code == 200
    assert response.json()["verification_status"] == "pending"


# --- verification ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "body"),
    [("anonymous", 401, NOT_SIGNED_IN), ("outsider", 403, STAFF_ONLY), ("owner", 403, STAFF_ONLY)],
)
@pytest.mark.parametrize(("action", "payload"), [("verify", None), ("refuse", {"reason": "Thiếu giấy phép."})])
def test_verification_only_by_staff(people, org, who, status, body, action, payload):
    org.verification_status = VerificationStatus.PENDING
    org.save()
    response = api(people[who]).post(url(org, action), payload, format="json")
    assert response.status_code == status
    assert response.json() == body
    assert Organization.objects.get(pk=org.pk).verification_status == VerificationStatus.PENDING


def test_staff_verify(org, staff):
    org.verification_status = VerificationStatus.PENDING
    org.save()
    response = api(staff).post(url(org, "verify"))
    assert response.status_code == 200
    assert response.json()["verification_status"] == "verified"
    assert response.json()["verified_at"]


def test_staff_refuse_with_reason_hides_the_organisation(org, staff, owner):
    response = api(staff).post(url(org, "refuse"), {"reason": "Giấy phép kinh doanh đã hết hạn."}, format="json")
    assert response.status_code == 200
    assert response.json()["verification_status"] == "rejected"
    assert response.json()["verification_note"] == "Giấy phép kinh doanh đã hết hạn."
    assert api().get(url(org)).status_code == 404
    assert api(owner).get(url(org)).json()["verification_note"] == "Giấy phép kinh doanh đã hết hạn."


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"reason": ["This field is required."]}),
        ({"reason": 3}, {"reason": ["Not a valid string."]}),
        ({"reason": "\x07"}, {"reason": ["Give the reason for refusing verification."]}),
    ],
)
def test_refuse_needs_a_reason(org, staff, payload, errors):
    response = api(staff).post(url(org, "refuse"), payload, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Organization.objects.get(pk=org.pk).verification_status == VerificationStatus.VERIFIED


def test_staff_verify_unknown_organisation_is_404(staff):
    assert api(staff).post(f"{LIST}khong-co/verify/").json() == NOT_FOUND


# --- query budgets -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "params"), [("anonymous", {}), ("owner", {}), ("owner", {"mine": "true"})])
def test_list_query_count_does_not_grow_with_organisations(
    reference_data, people, owner, django_assert_max_num_queries, who, params, count_queries
):
    def add(n: int) -> None:
        for _ in range(n):
            MembershipFactory(user=owner, organization=OrganizationFactory())

    def queries() -> int:
        with count_queries() as context:
            response = client.get(LIST, {"page_size": 50, **params})
        assert response.status_code == 200
        return len(context.captured_queries)

    client = api(people[who])
    add(10)
    with django_assert_max_num_queries(LIST_BUDGET):
        ten = queries()
    add(20)
    with django_assert_max_num_queries(LIST_BUDGET):
        thirty = queries()
    assert ten == thirty
    assert client.get(LIST, {"page_size": 50, **params}).json()["count"] >= 30


def test_an_inventor_is_not_found_by_their_tax_code(reference_data, db):
    inventor = OrganizationFactory(type="individual", name="Nguyễn Văn Sáng", tax_code=valid_tax_code())
    enterprise = OrganizationFactory(type="enterprise", name="Công ty Sấy Lúa", tax_code=valid_tax_code("180054321"))

    def slugs(q: str) -> set[str]:
        response = api().get(LIST, {"q": q})
        assert response.status_code == 200, response.json()
        return {row["slug"] for row in response.json()["results"]}

    assert slugs(inventor.tax_code) == set()
    assert slugs("Sáng") == {inventor.slug}
    assert slugs(enterprise.tax_code) == {enterprise.slug}
