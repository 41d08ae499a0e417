"""The expert directory: consent, hide and remove; who sees what on the pages and the API; search through the
search domain's analysis (no diacritics, NFD, typos, facets); suggestions for a need; contacting an expert."""

import re
import unicodedata

import pytest
from django.core import mail
from django.urls import reverse

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.core.models import AuditEntry
from techex.departments.tests.factories import make_partner, make_staff
from techex.listings.choices import ListingKind
from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import OrganizationFactory
from techex.reference.models import Province, STField
from techex.services import expert_services, experts
from techex.services.expert_models import EXPERT_POLICY_VERSION, Expert
from techex.services.models import ServiceRequest

from .factories import make_category, make_provider, member_of

pytestmark = pytest.mark.django_db

AN_GIANG, DONG_THAP, CA_MAU, CAN_THO = "91", "82", "96", "92"


def _expert(staff, *, name, specialities, fields=("405",), province=CA_MAU, categories=(), consent=True, **values):
    return expert_services.expert_create(
        user=staff,
        fields=list(STField.objects.filter(code__in=fields)),
        categories=list(categories),
        consent=consent,
        full_name=name,
        specialities="\n".join(specialities),
        province=Province.objects.get(code=province),
        cv=values.pop("cv", "Mười năm kinh nghiệm."),
        **values,
    )


@pytest.fixture
def world(reference_data):
    for code in ("an-giang", "dong-thap", "ca-mau"):
        make_partner(code)  # before the experts, so each is routed to its province's department
    lead = StaffFactory()
    category = make_category()
    shrimp = _expert(
        lead,
        name="Lâm Quốc Thái",
        specialities=["Nuôi tôm thẻ chân trắng siêu thâm canh", "Hệ thống tuần hoàn nước"],
        categories=[category],
        email="thai@vien.vn",
        phone="0909 000 111",
    )
    dryer = _expert(
        lead,
        name="Cao Minh Trí",
        specialities=["Thiết kế máy sấy lúa tầng sôi", "Lò đốt trấu"],
        fields=("203",),
        province=CAN_THO,
        categories=[category],
    )
    fruit = _expert(
        lead,
        name="Huỳnh Tấn Phát",
        specialities=["Nhân giống sầu riêng", "Phòng trị bệnh thối rễ"],
        fields=("401",),
        province=DONG_THAP,
    )
    return {"lead": lead, "category": category, "shrimp": shrimp, "dryer": dryer, "fruit": fruit}


def _names(found) -> list[str]:
    return [hit.expert.full_name for hit in found.hits[:10]]


# --- model and services ---------------------------------------------------------------------------------------------


def test_create_records_consent_routes_and_analyses(world):
    shrimp = world["shrimp"]
    assert shrimp.consent_at is not None and shrimp.consent_policy == EXPERT_POLICY_VERSION
    assert shrimp.department is not None and shrimp.department.province_id == CA_MAU
    assert "tom" in shrimp.search_document["speciality"].split()
    assert "thai" in shrimp.search_document["name"].split()
    # Contact details are never analysed for search.
    assert "thai@vien.vn" not in str(shrimp.search_document) and "0909" not in str(shrimp.search_document)
    assert AuditEntry.objects.filter(action="services.expert.create", target_id=str(shrimp.pk)).exists()


def test_an_expert_without_a_field_is_refused(world):
    with pytest.raises(Exception, match="S&T field"):
        _expert(world["lead"], name="Không Lĩnh Vực", specialities=["Gì đó"], fields=())
    assert not Expert.objects.filter(full_name="Không Lĩnh Vực").exists()


def test_consent_hide_show_remove_by_the_expert(world, client):
    account = UserFactory()
    expert = _expert(
        world["lead"], name="Trần Thị Ngọc Hân", specialities=["Chọn tạo giống lúa chịu mặn"], consent=False
    )
    Expert.objects.filter(pk=expert.pk).update(user=account)
    expert.refresh_from_db()
    # Not listed before consent: absent from the directory, 404 for others, visible to the expert.
    assert "Trần Thị Ngọc Hân" not in _names(experts.expert_search())
    assert client.get(expert.get_absolute_url()).status_code == 404
    client.force_login(account)
    page = client.get(expert.get_absolute_url())
    assert (
        page.status_code == 200
        and "I consent to be listed" in page.content.decode()
        or "Tôi đồng ý" in page.content.decode()
    )
    client.post(reverse("experts:act", args=[expert.slug, "consent"]))
    expert.refresh_from_db()
    assert expert.consent_at is not None and expert.consent_policy == EXPERT_POLICY_VERSION
    assert "Trần Thị Ngọc Hân" in _names(experts.expert_search(q="giong lua chiu man"))
    # Hidden: out of the directory and its search; shown again.
    client.post(reverse("experts:act", args=[expert.slug, "hide"]))
    assert "Trần Thị Ngọc Hân" not in _names(experts.expert_search(q="giong lua chiu man"))
    client.logout()
    assert client.get(expert.get_absolute_url()).status_code == 404
    client.force_login(account)
    client.post(reverse("experts:act", args=[expert.slug, "show"]))
    assert "Trần Thị Ngọc Hân" in _names(experts.expert_search(q="giong lua"))
    # Removed: the row and its personal data are gone; the audit keeps the id only.
    response = client.post(reverse("experts:act", args=[expert.slug, "remove"]))
    assert response.status_code == 302 and not Expert.objects.filter(pk=expert.pk).exists()
    entry = AuditEntry.objects.get(action="services.expert.remove")
    assert "Ngọc Hân" not in str(entry.data)


def test_others_cannot_hide_or_remove(world, client):
    shrimp = world["shrimp"]
    client.force_login(UserFactory())
    client.post(reverse("experts:act", args=[shrimp.slug, "hide"]))
    client.post(reverse("experts:act", args=[shrimp.slug, "remove"]))
    shrimp.refresh_from_db()
    assert not shrimp.is_hidden
    # Staff of another province may not either; the expert's department's staff may.
    other = make_staff(make_partner("an-giang"))
    with pytest.raises(Exception, match="expert"):
        expert_services.expert_set_hidden(user=other, expert=shrimp, hidden=True)
    ca_mau = make_staff(make_partner("ca-mau"))
    assert expert_services.expert_set_hidden(user=ca_mau, expert=shrimp, hidden=True).is_hidden


# --- search ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "nuôi tôm thẻ chân trắng",
        "nuoi tom the chan trang",
        unicodedata.normalize("NFD", "nuôi tôm thẻ chân trắng"),
        "NUÔI TÔM",
        "tuan hoan nuoc",
        "lam quoc thai",
        "Lâm Quốc Thái",
    ],
)
def test_search_without_diacritics_and_nfd(world, query):
    assert _names(experts.expert_search(q=query))[0] == "Lâm Quốc Thái"


def test_search_corrects_a_typo_with_the_directory_words(world):
    found = experts.expert_search(q="may sayy lua")
    assert _names(found)[0] == "Cao Minh Trí"
    found = experts.expert_search(q="thâm cnah")
    assert _names(found)[0] == "Lâm Quốc Thái" and found.corrected


def test_search_facets_and_filters(world):
    found = experts.expert_search()
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in found.facets}
    assert facets["province"] == {CA_MAU: 1, CAN_THO: 1, DONG_THAP: 1}
    assert facets["field"] == {"405": 1, "203": 1, "401": 1}
    assert facets["category"] == {world["category"].code: 2}
    assert _names(experts.expert_search(province=DONG_THAP)) == ["Huỳnh Tấn Phát"]
    assert _names(experts.expert_search(field="203")) == ["Cao Minh Trí"]
    assert sorted(_names(experts.expert_search(category=world["category"].code))) == ["Cao Minh Trí", "Lâm Quốc Thái"]
    # Disjunctive: with a province chosen, the province facet still counts the others.
    chosen = experts.expert_search(province=DONG_THAP)
    provinces = next(f for f in chosen.facets if f.name == "province")
    assert {v.value for v in provinces.values} == {CA_MAU, CAN_THO, DONG_THAP}
    assert experts.expert_search(q="nuoi tom", province=DONG_THAP).total == 0


def test_an_edit_is_searchable_at_once(world):
    shrimp = world["shrimp"]
    expert_services.expert_update(
        user=world["lead"],
        expert=shrimp,
        fields=list(shrimp.fields.all()),
        categories=list(shrimp.categories.all()),
        specialities="Nuôi cua biển",
    )
    assert _names(experts.expert_search(q="cua bien")) == ["Lâm Quốc Thái"]
    shrimp.refresh_from_db()
    assert "trang" not in shrimp.search_document["speciality"].split()
    assert "Lâm Quốc Thái" not in _names(experts.expert_search(q="chân trắng"))


# --- pages ----------------------------------------------------------------------------------------------------------


def test_list_and_page_never_show_contact_to_visitors(world, client):
    response = client.get(reverse("experts:list"), {"q": "nuoi tom"})
    assert response.status_code == 200 and "Lâm Quốc Thái" in response.content.decode()
    assert client.get("/chuyen-gia/?q=tom")["Location"] == "/experts/?q=tom"
    shrimp = world["shrimp"]
    for user in (None, UserFactory()):
        client.logout()
        if user:
            client.force_login(user)
        body = client.get(shrimp.get_absolute_url()).content.decode()
        assert "thai@vien.vn" not in body and "0909 000 111" not in body
        assert f"?expert={shrimp.slug}" in body
    client.force_login(make_staff(make_partner("ca-mau")))
    assert "thai@vien.vn" in client.get(shrimp.get_absolute_url()).content.decode()


def test_bad_search_input_is_not_an_error(world, client):
    response = client.get(reverse("experts:list"), {"q": "x" * 5000, "field": "\x00", "page": "abc"})
    assert response.status_code == 200


def test_category_page_lists_its_experts(world, client):
    body = client.get(world["category"].get_absolute_url()).content.decode()
    assert "Lâm Quốc Thái" in body and "Cao Minh Trí" in body and "Huỳnh Tấn Phát" not in body


@pytest.mark.parametrize("role,status", [("anonymous", 404), ("member", 404), ("partner_other", 200), ("lead", 200)])
def test_staff_pages(world, client, role, status):
    users = {
        "anonymous": None,
        "member": UserFactory(),
        "partner_other": make_staff(make_partner("an-giang")),
        "lead": world["lead"],
    }
    if users[role]:
        client.force_login(users[role])
    assert client.get(reverse("experts:staff_list")).status_code == status
    assert client.get(reverse("experts:staff_new")).status_code == status
    # Editing an expert of another province: 404 for a partner's staff.
    edit = client.get(reverse("experts:staff_edit", args=[world["shrimp"].slug]))
    assert edit.status_code == (200 if role == "lead" else 404)


def test_staff_create_through_the_form(world, client):
    client.force_login(world["lead"])
    data = {
        "full_name": "Ngô Thanh Bình",
        "specialities": "Phòng bệnh gan thận mủ trên cá tra",
        "cv": "Bác sĩ thú y thủy sản.",
        "province": DONG_THAP,
        "fields_chosen": ["405"],
        "categories_chosen": [world["category"].pk],
        "accepts_requests": "on",
        "consent": "on",
    }
    bad = client.post(reverse("experts:staff_new"), {**data, "fields_chosen": []})
    assert bad.status_code == 400 and not Expert.objects.filter(full_name="Ngô Thanh Bình").exists()
    response = client.post(reverse("experts:staff_new"), data)
    assert response.status_code == 302
    assert _names(experts.expert_search(q="gan than mu ca tra"))[0] == "Ngô Thanh Bình"


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_search_facets_and_contact_rules(world, client):
    body = client.get("/api/v1/experts/", {"q": "nuoi tom"}).json()
    assert [item["full_name"] for item in body["results"]] == ["Lâm Quốc Thái"]
    assert body["results"][0]["email"] is None and body["results"][0]["phone"] is None
    assert {facet["name"] for facet in body["facets"]} == {"field", "province", "category"}
    detail = client.get(f"/api/v1/experts/{world['shrimp'].slug}/").json()
    assert detail["email"] is None and detail["specialities"][0].startswith("Nuôi tôm")
    client.force_login(make_staff(make_partner("ca-mau")))
    assert client.get(f"/api/v1/experts/{world['shrimp'].slug}/").json()["email"] == "thai@vien.vn"
    assert client.get("/api/v1/experts/", {"q": "x" * 5000}).status_code == 400


def test_api_hidden_expert_is_404_but_for_the_expert(world, client):
    account = UserFactory()
    shrimp = world["shrimp"]
    Expert.objects.filter(pk=shrimp.pk).update(user=account)
    expert_services.expert_set_hidden(user=account, expert=Expert.objects.get(pk=shrimp.pk), hidden=True)
    assert client.get(f"/api/v1/experts/{shrimp.slug}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/experts/{shrimp.slug}/").status_code == 404
    client.force_login(account)
    assert client.get(f"/api/v1/experts/{shrimp.slug}/").json()["email"] == "thai@vien.vn"


def test_api_schema_has_the_experts(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/experts/" in schema and "/api/v1/experts/{slug}/" in schema


# --- suggestions for a need -----------------------------------------------------------------------------------------


@pytest.fixture
def need(world):
    organization = OrganizationFactory.create(province_id=CA_MAU)
    owner = member_of(organization)
    listing = make_published(
        user=owner,
        organization=organization,
        staff=world["lead"],
        kind=ListingKind.NEED,
        title="Cần công nghệ nuôi tôm thẻ chân trắng tuần hoàn nước",
        fields=list(STField.objects.filter(code="405")),
    )
    return listing, owner


def test_suggestions_for_a_need_with_reasons(world, need):
    listing, _owner = need
    suggestions = experts.suggest_experts(listing=listing)
    assert suggestions[0].expert.full_name == "Lâm Quốc Thái"
    reasons = " | ".join(reason.text for reason in suggestions[0].reasons)
    assert "nuôi tôm" in reasons and "405" in reasons
    assert "Huỳnh Tấn Phát" not in [s.expert.full_name for s in suggestions]


def test_suggestions_only_for_the_owner_and_staff(world, need, client):
    listing, owner = need
    url = reverse("experts:need", args=[listing.reference_code])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(owner)
    page = client.get(listing.get_absolute_url()).content.decode()
    assert url in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Lâm Quốc Thái" in fragment.content.decode()
    client.force_login(world["lead"])
    assert client.get(url).status_code == 200


# --- contacting an expert -------------------------------------------------------------------------------------------


def test_a_member_contacts_an_expert_through_a_request(world, client):
    category = world["category"]
    provider, _admin = make_provider(category=category, staff=world["lead"])
    shrimp = world["shrimp"]
    Expert.objects.filter(pk=shrimp.pk).update(organization=provider.organization)
    organization = OrganizationFactory.create(province_id=AN_GIANG)
    client.force_login(member_of(organization))
    url = reverse("services:request_new", args=[category.code])
    form = client.get(url, {"expert": shrimp.slug}).content.decode()
    assert "Lâm Quốc Thái" in form
    response = client.post(
        url, {"organization": organization.pk, "description": "Cần tư vấn ao nuôi tôm.", "expert": shrimp.slug}
    )
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    # Addressed to the expert, and to their organisation as the provider (it is a verified one of the service).
    assert request.expert == shrimp and request.provider == provider and request.state == "assigned"


def test_an_expert_who_does_not_provide_the_service_is_refused(world):
    from techex.services import services

    organization = OrganizationFactory.create(province_id=AN_GIANG)
    other = make_category("dao-tao", name="Đào tạo")
    with pytest.raises(Exception, match="does not provide|không cung cấp"):
        services.request_submit(
            user=member_of(organization),
            organization=organization,
            category=other,
            description="Cần đào tạo.",
            expert=world["shrimp"],
        )
    assert not ServiceRequest.objects.exists()


def test_a_guest_contacts_an_expert_after_verifying_the_address(world, client, django_capture_on_commit_callbacks):
    category = world["category"]
    shrimp = world["shrimp"]
    url = reverse("services:request_new", args=[category.code]) + f"?expert={shrimp.slug}"
    form = client.get(url).content.decode()
    assert "Lâm Quốc Thái" in form and "thai@vien.vn" not in form
    data = {"name": "Khách", "email": "khach@example.vn", "province": AN_GIANG, "description": "Cần tư vấn."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "expert": shrimp.slug})
    assert response.status_code == 200
    request = ServiceRequest.objects.get()
    assert request.expert == shrimp and request.guest_email_verified_at is None
    link = re.search(r"https?://[^/\s]+(/services/guest/\S+/)", str(mail.outbox[-1].body)).group(1)
    client.get(link)
    request.refresh_from_db()
    assert request.guest_email_verified_at is not None


def test_list_page_and_endpoint_keep_their_query_budget(world, client, count_queries):
    for n in range(6):
        _expert(world["lead"], name=f"Chuyên Gia Số {n}", specialities=[f"Nuôi tôm mô hình {n}"])
    for url, params in (
        (reverse("experts:list"), {}),
        (reverse("experts:list"), {"q": "nuoi tom", "province": CA_MAU}),
        ("/api/v1/experts/", {"q": "nuoi tom"}),
        ("/api/v1/experts/", {}),
    ):
        client.get(url, params)  # the directory's corpus is built once per change, then cached
        with count_queries() as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        # The version, the page's experts (with fields, categories), the facets' labels: not one per expert.
        assert len(queries) <= 12, (url, params, len(queries))


def test_suggestions_for_a_deal_in_negotiation_for_its_parties(world, client):
    from techex.deals.choices import DealStage
    from techex.deals.tests.factories import deal_parties, make_deal

    parties = deal_parties(
        staff=world["lead"],
        title="Hệ thống nuôi tôm thẻ chân trắng tuần hoàn nước",
        fields=list(STField.objects.filter(code="405")),
    )
    deal = make_deal(parties, stage=DealStage.NEGOTIATING)
    url = reverse("experts:deal", args=[deal.reference_code])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(parties.inquirer)
    assert url in client.get(reverse("deals:detail", args=[deal.reference_code])).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "Lâm Quốc Thái" in fragment.content.decode()
    # An inquiry not yet accepted is not negotiated: no experts, even for its parties.
    waiting = deal_parties(staff=world["lead"])
    inquiry = make_deal(waiting, stage=DealStage.INQUIRY)
    client.force_login(waiting.inquirer)
    assert client.get(reverse("deals:detail", args=[inquiry.reference_code])).status_code == 200
    assert client.get(reverse("experts:deal", args=[inquiry.reference_code])).status_code == 404
