import json
import re
import unicodedata

import pytest
from django.urls import reverse

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.organizations.choices import MembershipRole, OrganizationType, VerificationStatus
from techex.organizations.models import Membership, Organization
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province, Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(org):
    """A plain (non-admin) member of ``org``."""
    return MembershipFactory(organization=org, role=MembershipRole.MEMBER).user


@pytest.fixture
def pending(owner):
    organization = OrganizationFactory(name="Công ty Chờ Duyệt", verification_status=VerificationStatus.PENDING)
    MembershipFactory(user=owner, organization=organization)
    return organization


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _valid_post(**overrides):
    data = {
        "name": "Trường Đại học Cần Thơ",
        "short_name": "CTU",
        "type": OrganizationType.UNIVERSITY,
        "tax_code": "0100109106",
        "province": "92",
        "ward": Ward.objects.filter(province_id="92").values_list("code", flat=True).first(),
        "address": "Khu II, đường 3/2",
        "website": "https://www.ctu.edu.vn",
        "email": "contact@ctu.edu.vn",
        "phone": "0292 3832 663",
        "description": "Nghiên cứu và chuyển giao công nghệ nông nghiệp.",
    }
    data.update(overrides)
    return data


# --- who may open what ---------------------------------------------------------------------------------------------

ROLES = ["anonymous", "outsider", "member", "admin", "staff"]


@pytest.fixture
def as_role(client, outsider, member, owner, staff):
    users = {"anonymous": None, "outsider": outsider, "member": member, "admin": owner, "staff": staff}

    def login(role):
        return _as(client, users[role])

    return login


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_open_to_everyone(as_role, role, org):
    client = as_role(role)
    assert client.get(reverse("organizations:list")).status_code == 200
    assert client.get(org.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("outsider", 200), ("member", 200), ("admin", 200), ("staff", 200)]
)
def test_create_page_needs_sign_in(as_role, role, expected):
    response = as_role(role).get(reverse("organizations:create"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


# Not "page": that is pytest-playwright's fixture, and borrowing its name makes this a browser test.
@pytest.mark.parametrize("url_name", ["organizations:edit", "organizations:members"])
@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("outsider", 404), ("member", 404), ("admin", 200), ("staff", 200)]
)
def test_management_pages_are_for_admins_and_staff(as_role, role, expected, url_name, org):
    response = as_role(role).get(reverse(url_name, kwargs={"slug": org.slug}))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 404), ("outsider", 404), ("member", 404), ("admin", 404), ("staff", 200)]
)
def test_verification_pages_are_404_to_non_staff(as_role, role, expected, pending):
    client = as_role(role)
    assert client.get(reverse("organizations:verification_queue")).status_code == expected
    url = reverse("organizations:verification_decide", kwargs={"slug": pending.slug})
    assert client.get(url).status_code == expected
    response = client.post(url, {"decision": "verify"})
    assert response.status_code == (302 if role == "staff" else 404)
    pending.refresh_from_db()
    expected_status = VerificationStatus.VERIFIED if role == "staff" else VerificationStatus.PENDING
    assert pending.verification_status == expected_status


@pytest.mark.parametrize("role", ["outsider", "member"])
def test_non_admins_cannot_post_changes(as_role, role, org, owner):
    client = as_role(role)
    response = client.post(reverse("organizations:edit", kwargs={"slug": org.slug}), _valid_post(name="Hijacked"))
    assert response.status_code == 404
    members_url = reverse("organizations:members", kwargs={"slug": org.slug})
    assert client.post(members_url, {"action": "remove", "member": owner.pk}).status_code == 404
    intruder = UserFactory()
    response = client.post(members_url, {"action": "add", "email": intruder.email, "role": "admin"})
    assert response.status_code == 404
    org.refresh_from_db()
    assert org.name != "Hijacked"
    assert Membership.objects.filter(organization=org, user=owner, role=MembershipRole.ADMIN).exists()
    assert not Membership.objects.filter(user=intruder).exists()


def test_missing_organisation_is_404(client):
    assert client.get(reverse("organizations:detail", kwargs={"slug": "no-such-org"})).status_code == 404


# --- the public list -------------------------------------------------------------------------------------------------


def test_list_filters_by_type_province_and_name(client):
    OrganizationFactory(name="Viện Lúa ĐBSCL", type=OrganizationType.INSTITUTE, province_id="92")
    OrganizationFactory(name="Công ty Tôm Sóc Trăng", type=OrganizationType.ENTERPRISE, province_id="92")
    OrganizationFactory(name="Công ty Hà Nội", type=OrganizationType.ENTERPRISE, province_id="01")
    url = reverse("organizations:list")

    content = client.get(url, {"type": "enterprise"}).content.decode()
    assert "Công ty Tôm Sóc Trăng" in content and "Công ty Hà Nội" in content and "Viện Lúa" not in content

    content = client.get(url, {"type": "enterprise", "province": "92"}).content.decode()
    assert "Công ty Tôm Sóc Trăng" in content and "Công ty Hà Nội" not in content

    content = client.get(url, {"q": "tôm"}).content.decode()
    assert "Công ty Tôm Sóc Trăng" in content and "Viện Lúa" not in content


def test_list_ignores_bad_filters(client):
    OrganizationFactory(name="Viện Lúa ĐBSCL")
    response = client.get(
        reverse("organizations:list"), {"type": "<script>", "province": "zz", "q": "x" * 5000, "page": "abc"}
    )
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_list_hides_refused_organisations(client):
    OrganizationFactory(name="Shown Org")
    OrganizationFactory(name="Refused Org", verification_status=VerificationStatus.REJECTED)
    content = client.get(reverse("organizations:list")).content.decode()
    assert "Shown Org" in content and "Refused Org" not in content


def test_list_paginates(client):
    for n in range(25):
        OrganizationFactory(name=f"Org {n:02d}")
    first = client.get(reverse("organizations:list"))
    assert "Org 00" in first.content.decode() and "Org 24" not in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("organizations:list"), {"page": 2})
    assert "Org 24" in second.content.decode()


def test_list_returns_a_partial_to_htmx(client):
    OrganizationFactory(name="Viện Lúa ĐBSCL")
    response = client.get(reverse("organizations:list"), {"q": "Lúa"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Viện Lúa ĐBSCL" in content and "<html" not in content


def test_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, count_queries):
    url = reverse("organizations:list")
    OrganizationFactory.create_batch(2)
    with django_assert_max_num_queries(4), count_queries() as few:
        client.get(url)
    OrganizationFactory.create_batch(18)
    with django_assert_max_num_queries(4), count_queries() as many:
        assert client.get(url).content.decode().count('class="card org-card"') == 20
    assert len(many) == len(few)


# --- the profile page ----------------------------------------------------------------------------------------------


def test_detail_shows_profile_badge_and_live_non_anonymous_listings(client, reference_data, owner, org, staff):
    from techex.listings.tests.factories import make_listing, make_published

    shown = make_published(user=owner, organization=org, staff=staff, title="Máy sấy lúa công khai")
    make_published(user=owner, organization=org, staff=staff, title="Công nghệ ẩn danh", is_anonymous=True)
    make_listing(user=owner, organization=org, title="Bản nháp chưa gửi")
    content = client.get(org.get_absolute_url()).content.decode()
    assert org.name in content
    assert "✓ Verified" in content
    assert shown.get_absolute_url() in content and "Máy sấy lúa công khai" in content
    assert "Công nghệ ẩn danh" not in content
    assert "Bản nháp chưa gửi" not in content


@pytest.mark.parametrize(
    ("role", "sees"), [("anonymous", False), ("outsider", False), ("member", True), ("admin", True), ("staff", True)]
)
def test_detail_shows_private_fields_only_to_members_and_staff(reference_data, as_role, role, sees, org):
    """An individual inventor's tax code, home address, e-mail and phone: the page hides them as the API does."""
    org.type, org.tax_code, org.address = OrganizationType.INDIVIDUAL, "1800158819", "Số 12 hẻm 3, Ninh Kiều"
    org.email, org.phone, org.website = "nha-sang-che@example.vn", "0909 123 456", "https://sangche.example.vn"
    org.save()
    api = as_role(role).get(reverse("organization-detail", kwargs={"slug": org.slug})).json()
    content = as_role(role).get(org.get_absolute_url()).content.decode()
    for value in ("1800158819", "Số 12 hẻm 3", "nha-sang-che@example.vn", "0909 123 456"):
        assert (value in content) is sees, value
    assert all((api[name] is not None) is sees for name in ("tax_code", "address", "email", "phone"))
    assert "https://sangche.example.vn" in content  # the website is public


def test_refused_profile_is_hidden_from_public_but_shown_to_members(client, org, owner, outsider, staff):
    org.verification_status = VerificationStatus.REJECTED
    org.verification_note = "Mã số thuế không khớp"
    org.save()
    assert client.get(org.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(org.get_absolute_url()).status_code == 404
    client.force_login(owner)
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    assert "Mã số thuế không khớp" in response.content.decode()


def test_management_links_shown_only_to_admins(client, org, member, owner):
    edit_url = reverse("organizations:edit", kwargs={"slug": org.slug})
    client.force_login(member)
    assert edit_url not in client.get(org.get_absolute_url()).content.decode()
    client.force_login(owner)
    assert edit_url in client.get(org.get_absolute_url()).content.decode()


# --- creating ------------------------------------------------------------------------------------------------------


def test_create_registers_and_makes_the_creator_admin(client, owner, reference_data):
    client.force_login(owner)
    response = client.post(reverse("organizations:create"), _valid_post())
    organization = Organization.objects.get(name="Trường Đại học Cần Thơ")
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert organization.verification_status == VerificationStatus.PENDING
    assert organization.tax_code == "0100109106"
    assert Membership.objects.get(organization=organization, user=owner).role == MembershipRole.ADMIN
    page = client.get(response["Location"]).content.decode()
    assert "Awaiting verification" in page
    assert "The organisation was created." in page


def test_create_form_has_the_dependent_commune_select(client, owner):
    client.force_login(owner)
    content = client.get(reverse("organizations:create")).content.decode()
    assert f'hx-get="{reverse("reference:ward_options")}"' in content
    assert 'hx-target="#id_ward"' in content
    assert "— choose a province first —" in content


def test_create_form_lists_the_communes_of_the_chosen_province_again_after_an_error(client, owner, reference_data):
    client.force_login(owner)
    content = client.post(reverse("organizations:create"), _valid_post(name="")).content.decode()
    ward = Ward.objects.filter(province_id="92").first()
    assert f'<option value="{ward.code}" selected>' in content
    assert Ward.objects.exclude(province_id="92").first().full_name not in content


BAD_INPUT = [
    ({"tax_code": "0100109107"}, "tax_code", "This tax code is not valid: its check digit does not match."),
    ({"tax_code": "010010910"}, "tax_code", "A tax code has 10 digits"),
    ({"tax_code": "01001O9106"}, "tax_code", "A tax code has 10 digits"),
    ({"tax_code": "0100109106-000"}, "tax_code", "A branch suffix runs from 001 to 999."),
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   \u200b\x00  "}, "name", ""),
    ({"name": "N" * 300}, "name", "Keep this under 255 characters (it has 300)."),
    ({"description": "D" * 5000}, "description", "Keep this under 4,000 characters"),
    ({"address": "A" * 100_000}, "address", "Keep this under 255 characters"),
    ({"type": "secret_society"}, "type", "Select a valid choice."),
    ({"province": "99x"}, "province", "Select a valid choice."),
    ({"ward": "99999999"}, "ward", "Select a valid choice."),
    ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ({"phone": "<b>call me</b>"}, "phone", "Enter a phone number"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_gives_a_field_error_and_creates_nothing(client, owner, reference_data, overrides, field, message):
    client.force_login(owner)
    response = client.post(reverse("organizations:create"), _valid_post(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    if field == "name" and not message:
        # Invisible and control characters only: nothing is left, so the name is missing.
        assert "name" in errors
    else:
        assert field in errors, errors
        assert any(message in error for error in errors[field]), errors[field]
    assert not Organization.objects.filter(members=owner).exists()


def test_commune_of_another_province_is_a_field_error(client, owner, reference_data):
    client.force_login(owner)
    elsewhere = Ward.objects.exclude(province_id="92").first()
    response = client.post(reverse("organizations:create"), _valid_post(ward=elsewhere.code))
    assert response.context["form"].errors["ward"] == ["This commune does not belong to the chosen province."]
    assert not Organization.objects.filter(members=owner).exists()


def test_duplicate_tax_code_is_a_field_error(client, owner, reference_data):
    OrganizationFactory(tax_code="0100109106")
    client.force_login(owner)
    response = client.post(reverse("organizations:create"), _valid_post())
    assert response.context["form"].errors["tax_code"] == [
        "An organisation with this tax code is already registered on the exchange."
    ]
    assert not Organization.objects.filter(members=owner).exists()


def test_html_in_the_name_is_shown_escaped(client, owner, reference_data):
    client.force_login(owner)
    client.post(reverse("organizations:create"), _valid_post(name='<script>alert("x")</script> Viện', tax_code=""))
    organization = Organization.objects.get(members=owner)
    assert organization.name == '<script>alert("x")</script> Viện'
    for url in (organization.get_absolute_url(), reverse("organizations:list"), reverse("accounts:dashboard")):
        content = client.get(url).content.decode()
        assert '<script>alert("x")' not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Viện" in content


def test_nfd_vietnamese_is_stored_nfc(client, owner, reference_data):
    client.force_login(owner)
    nfd = unicodedata.normalize("NFD", "Hợp tác xã Nông nghiệp Phước Thới")
    client.post(reverse("organizations:create"), _valid_post(name=nfd, tax_code=""))
    organization = Organization.objects.get(members=owner)
    assert organization.name == unicodedata.normalize("NFC", nfd)
    assert organization.name != nfd


def test_branch_tax_code_is_accepted(client, owner, reference_data):
    client.force_login(owner)
    client.post(reverse("organizations:create"), _valid_post(tax_code="0100109106-001"))
    assert Organization.objects.get(members=owner).tax_code == "0100109106-001"


# --- editing -------------------------------------------------------------------------------------------------------


def test_admin_edits_the_profile(client, owner, org, reference_data):
    client.force_login(owner)
    url = reverse("organizations:edit", kwargs={"slug": org.slug})
    assert f'value="{org.name}"' in client.get(url).content.decode()
    response = client.post(url, _valid_post(name="Tên mới", tax_code=""))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Tên mới"
    assert org.verification_status == VerificationStatus.VERIFIED
    assert AuditEntry.objects.filter(action="organization.update", target_id=str(org.pk)).exists()


def test_new_tax_code_sends_the_organisation_back_to_verification(client, owner, org, reference_data):
    client.force_login(owner)
    client.post(reverse("organizations:edit", kwargs={"slug": org.slug}), _valid_post(tax_code="0300588569"))
    org.refresh_from_db()
    assert (org.tax_code, org.verification_status) == ("0300588569", VerificationStatus.PENDING)


def test_staff_edit_any_profile(client, staff, org, reference_data):
    client.force_login(staff)
    client.post(reverse("organizations:edit", kwargs={"slug": org.slug}), _valid_post(name="Sửa bởi Sở", tax_code=""))
    org.refresh_from_db()
    assert org.name == "Sửa bởi Sở"


def test_bad_edit_changes_nothing(client, owner, org, reference_data):
    client.force_login(owner)
    before = Organization.objects.values().get(pk=org.pk)
    elsewhere = Ward.objects.exclude(province_id="92").first()
    response = client.post(
        reverse("organizations:edit", kwargs={"slug": org.slug}), _valid_post(name="X" * 256, ward=elsewhere.code)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "ward"}
    assert Organization.objects.values().get(pk=org.pk) == before


def test_edit_cannot_take_another_organisations_tax_code(client, owner, org, reference_data):
    OrganizationFactory(tax_code="0300588569")
    client.force_login(owner)
    response = client.post(reverse("organizations:edit", kwargs={"slug": org.slug}), _valid_post(tax_code="0300588569"))
    assert "tax_code" in response.context["form"].errors
    org.refresh_from_db()
    assert org.tax_code == ""


# --- members -------------------------------------------------------------------------------------------------------


def test_admin_adds_an_existing_user_by_email(client, owner, org):
    person = UserFactory(email="ky.su@example.vn")
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    response = client.post(url, {"action": "add", "email": "KY.SU@example.vn", "role": "admin"})
    assert response.status_code == 302
    assert Membership.objects.get(organization=org, user=person).role == MembershipRole.ADMIN
    assert "ky.su@example.vn" in client.get(url).content.decode()


def test_adding_an_unknown_email_is_a_field_error(client, owner, org):
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    response = client.post(url, {"action": "add", "email": "nobody@example.vn", "role": "member"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "No account uses this e-mail address. Ask the person to sign up first, then add them."
    ]
    assert Membership.objects.filter(organization=org).count() == 1


def test_adding_with_an_unknown_role_is_a_field_error(client, owner, org):
    person = UserFactory()
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    response = client.post(url, {"action": "add", "email": person.email, "role": "owner"})
    assert "role" in response.context["form"].errors
    assert not Membership.objects.filter(user=person).exists()


def test_admin_removes_a_member(client, owner, org, member):
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    response = client.post(url, {"action": "remove", "member": member.pk}, follow=True)
    assert not Membership.objects.filter(organization=org, user=member).exists()
    assert "was removed." in response.content.decode()


def test_admin_changes_a_role(client, owner, org, member):
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    client.post(url, {"action": "role", "member": member.pk, "role": "admin"})
    assert Membership.objects.get(organization=org, user=member).role == MembershipRole.ADMIN


def test_last_admin_cannot_be_removed_or_demoted(client, owner, org, member):
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    response = client.post(url, {"action": "remove", "member": owner.pk}, follow=True)
    assert "An organisation needs at least one administrator." in response.content.decode()
    response = client.post(url, {"action": "role", "member": owner.pk, "role": "member"}, follow=True)
    assert "An organisation needs at least one administrator." in response.content.decode()
    assert Membership.objects.get(organization=org, user=owner).role == MembershipRole.ADMIN


def test_admin_leaves_when_another_admin_remains(client, owner, org, member):
    Membership.objects.filter(user=member, organization=org).update(role=MembershipRole.ADMIN)
    client.force_login(owner)
    response = client.post(
        reverse("organizations:members", kwargs={"slug": org.slug}), {"action": "remove", "member": owner.pk}
    )
    assert response["Location"] == org.get_absolute_url()
    assert not Membership.objects.filter(organization=org, user=owner).exists()


def test_members_page_refuses_bad_actions_and_strangers(client, owner, org, outsider):
    client.force_login(owner)
    url = reverse("organizations:members", kwargs={"slug": org.slug})
    assert client.post(url, {"action": "remove", "member": outsider.pk}).status_code == 404
    assert client.post(url, {"action": "remove", "member": "abc"}).status_code == 404
    assert client.post(url, {"action": "explode"}).status_code == 404
    assert client.post(url, {"action": "role", "member": owner.pk, "role": "king"}).status_code == 404


def test_staff_manage_members_of_any_organisation(client, staff, org, member):
    client.force_login(staff)
    client.post(reverse("organizations:members", kwargs={"slug": org.slug}), {"action": "remove", "member": member.pk})
    assert not Membership.objects.filter(organization=org, user=member).exists()


# --- verification --------------------------------------------------------------------------------------------------


def test_queue_lists_pending_organisations_with_their_admins(client, staff, pending, owner, org):
    client.force_login(staff)
    content = client.get(reverse("organizations:verification_queue")).content.decode()
    assert pending.name in content and owner.email in content
    assert org.name not in content  # already verified


def test_staff_verify(client, staff, pending):
    client.force_login(staff)
    url = reverse("organizations:verification_decide", kwargs={"slug": pending.slug})
    response = client.post(url, {"decision": "verify"}, follow=True)
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.VERIFIED
    assert pending.verified_at is not None
    assert f"{pending.name} is now verified." in response.content.decode()
    assert AuditEntry.objects.filter(action="organization.verify", target_id=str(pending.pk)).exists()


def test_staff_refuse_with_a_reason(client, staff, pending, owner):
    client.force_login(staff)
    url = reverse("organizations:verification_decide", kwargs={"slug": pending.slug})
    client.post(url, {"decision": "refuse", "reason": "Mã số thuế không thuộc tổ chức này."})
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.REJECTED
    assert pending.verification_note == "Mã số thuế không thuộc tổ chức này."
    client.force_login(owner)
    assert "Mã số thuế không thuộc tổ chức này." in client.get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"decision": "refuse", "reason": ""}, {"decision": "refuse", "reason": "  "}, {"decision": "approve"}, {}],
)
def test_bad_decision_changes_nothing(client, staff, pending, data):
    client.force_login(staff)
    url = reverse("organizations:verification_decide", kwargs={"slug": pending.slug})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING


def test_refusal_reason_is_required_and_limited(client, staff, pending):
    client.force_login(staff)
    url = reverse("organizations:verification_decide", kwargs={"slug": pending.slug})
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.context["form"].errors["reason"] == ["Give the reason for refusing verification."]
    response = client.post(url, {"decision": "refuse", "reason": "R" * 501})
    assert "reason" in response.context["form"].errors


def test_queue_query_count_does_not_grow_with_rows(client, staff, django_assert_max_num_queries, count_queries):
    def add_pending(count):
        for _ in range(count):
            organization = OrganizationFactory(verification_status=VerificationStatus.PENDING)
            MembershipFactory(organization=organization)

    client.force_login(staff)
    url = reverse("organizations:verification_queue")
    add_pending(2)
    # 6, and since departments (issue 17) the staff scope (one query per request) and the lead's count per
    # department's queue (one query).
    with django_assert_max_num_queries(8), count_queries() as few:
        client.get(url)
    add_pending(20)
    with django_assert_max_num_queries(8), count_queries() as many:
        assert client.get(url).content.decode().count("<article") == 22
    assert len(many) == len(few)


def test_detail_query_count_does_not_grow_with_listings(
    client, reference_data, owner, org, staff, django_assert_max_num_queries, count_queries
):
    from techex.listings.tests.factories import make_published

    make_published(user=owner, organization=org, staff=staff)
    with django_assert_max_num_queries(8), count_queries() as few:
        client.get(org.get_absolute_url())
    for _ in range(8):
        make_published(user=owner, organization=org, staff=staff)
    with django_assert_max_num_queries(8), count_queries() as many:
        assert client.get(org.get_absolute_url()).content.decode().count('class="card listing-card"') == 9
    assert len(many) == len(few)


def test_an_organisation_page_describes_it_for_search_engines_without_private_contacts(client, reference_data):
    can_tho = Province.objects.get(code="92")
    organization = OrganizationFactory(
        type="university",
        name="Trường Đại học Sông Hậu",
        province=can_tho,
        tax_code="1800123456",
        address="12 đường Riêng Tư",
        email="lienhe@songhau.example",
        phone="0292 3838 123",
        website="https://songhau.example",
    )
    page = client.get(organization.get_absolute_url()).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "CollegeOrUniversity" and data["name"] == "Trường Đại học Sông Hậu"
    assert data["sameAs"] == "https://songhau.example"
    assert data["address"] == {"@type": "PostalAddress", "addressRegion": can_tho.label, "addressCountry": "VN"}
    for private in ("1800123456", "Riêng Tư", "lienhe@", "3838"):
        assert private not in found.group(1)


def test_an_inventor_is_a_person_with_no_address_at_all(client, reference_data):
    inventor = OrganizationFactory(type="individual", name="Nguyễn Văn Sáng", address="Ấp 3, xã Nhà Riêng")
    page = client.get(inventor.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Person" and "address" not in data
