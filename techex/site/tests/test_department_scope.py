"""Departments, part B (issue 17): every staff page and endpoint acts in the department scope.

The permission matrix runs each staff route for lead staff, the partner staff of the item's province, the partner
staff of another province and a plain member, and checks that a refused request changed nothing.
"""

from dataclasses import dataclass, replace
from functools import cached_property

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.core.models import AuditEntry
from techex.deals.choices import DealStage, NDAMethod, RegistrationStatus
from techex.deals.models import NDA, Contract, Deal
from techex.deals.selectors import contract_draft, deal_funnel, deal_list_for_staff
from techex.deals.services import contract_record, contract_registration_update, nda_request, nda_upload_signed
from techex.deals.tests.factories import deal_parties, ensure_nda_template, make_deal, make_intermediary, member_of
from techex.departments.tests.factories import make_partner, make_staff
from techex.listings.choices import ListingStatus
from techex.listings.models import ImportJob, Listing
from techex.listings.services import listing_reject, listing_submit
from techex.listings.tests.factories import make_listing
from techex.listings.tests.uploads import pdf_upload
from techex.organizations.choices import VerificationStatus
from techex.organizations.models import Organization
from techex.organizations.services import organization_create
from techex.reference.models import Province

pytestmark = pytest.mark.django_db

ROLES = ("lead", "right", "other", "member")


@dataclass
class World:
    an_giang: object
    dong_thap: object
    users: dict
    listing: Listing  # submitted, in An Giang's queue
    organization: Organization  # pending verification, in An Giang's queue
    deal: Deal  # about a listing of An Giang

    # Made when a route asks for them (before the snapshot), so the other rows do not pay for them.
    @cached_property
    def import_job(self) -> ImportJob:
        """An import by An Giang's staff member."""
        return ImportJob.objects.create(
            token="a" * 32,
            original_name="an-giang.csv",
            format="csv",
            file="imports/x.csv",
            created_by=self.users["right"],
        )

    @cached_property
    def rejected_listing(self) -> Listing:
        """A listing of An Giang refused by the lead: staff may archive it."""
        listing = _submitted_listing("91", title="Chế phẩm vi sinh xử lý rơm rạ")
        return listing_reject(listing=listing, user=self.users["lead"], reason="Trùng lặp")

    @cached_property
    def nda_deal(self) -> Deal:
        """A deal of An Giang whose NDA the inquirer signed on paper: the owner or staff confirm it."""
        parties = deal_parties(staff=self.users["lead"], province=_p("91"))
        deal = make_deal(parties, stage=DealStage.ACCEPTED)
        ensure_nda_template()
        nda = nda_request(user=parties.inquirer, deal=deal, method=NDAMethod.SIGNED_FILE)
        nda_upload_signed(user=parties.inquirer, nda=nda, file=pdf_upload("nda-da-ky.pdf"))
        return Deal.objects.get(pk=deal.pk)

    @cached_property
    def registering_deal(self) -> Deal:
        """A deal of An Giang whose contract (state budget: registration compulsory) is submitted for registration."""
        parties = deal_parties(staff=self.users["lead"], province=_p("91"))
        deal = make_deal(parties, stage=DealStage.AGREED)
        terms = contract_draft(deal=deal)
        assert terms is not None
        contract = contract_record(user=parties.owner, deal=deal, terms=replace(terms, state_budget=True))
        contract_registration_update(user=parties.owner, contract=contract, status=RegistrationStatus.SUBMITTED)
        return Deal.objects.get(pk=deal.pk)


def _submitted_listing(province_code: str, *, title: str = "Máy sấy lúa tầng sôi tiết kiệm năng lượng") -> Listing:
    owner = UserFactory.create()
    org = organization_create(
        user=owner,
        data={"name": f"Viện {title[:20]} {province_code}", "type": "cooperative", "province": _p(province_code)},
    )
    listing = make_listing(user=owner, organization=org, province=_p(province_code), title=title)
    return listing_submit(listing=listing, user=owner)


def _p(code: str) -> Province:
    return Province.objects.get(pk=code)


@pytest.fixture
def world(reference_data) -> World:
    an_giang, dong_thap = make_partner("an-giang"), make_partner("dong-thap")
    users = {
        "lead": StaffFactory(),
        "right": make_staff(an_giang),
        "other": make_staff(dong_thap),
        "member": UserFactory(),
    }
    listing = _submitted_listing("91")
    organization = Organization.objects.get(pk=listing.organization_id)
    Organization.objects.filter(pk=organization.pk).update(verification_status=VerificationStatus.PENDING)
    parties = deal_parties(staff=users["lead"], province=_p("91"))
    deal = make_deal(parties, stage=DealStage.INQUIRY)
    return World(an_giang, dong_thap, users, Listing.objects.get(pk=listing.pk), organization, deal)


def _snapshot(w: World) -> tuple:
    listing = Listing.objects.get(pk=w.listing.pk)
    org = Organization.objects.get(pk=w.organization.pk)
    deal = Deal.objects.get(pk=w.deal.pk)
    # Every service writes the audit trail, so its length catches a change to any item of the world; the columns
    # say which one changed when a row fails.
    return (
        listing.status,
        listing.department_id,
        org.verification_status,
        org.department_id,
        deal.broker_id,
        deal.stage,
        tuple(Listing.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Deal.objects.order_by("pk").values_list("stage", flat=True)),
        tuple(NDA.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Contract.objects.order_by("pk").values_list("registration_status", flat=True)),
        AuditEntry.objects.count(),
    )


# Each staff route: (name, method, url and data from the world, expected status for lead, right, other, member).
# "ok" stands for the route's success status (200, or 302 after a page's POST).
def _routes():
    def review_url(w):
        return reverse("listings:review", args=[w.listing.reference_code])

    def decide_url(w):
        return reverse("organizations:verification_decide", args=[w.organization.slug])

    def broker(w):
        return {"broker": make_intermediary().pk}

    return [
        # pages (GET)
        ("review queue", "get", lambda w: reverse("listings:review_queue"), None, (200, 200, 200, 404)),
        ("review page", "get", review_url, None, (200, 200, 404, 404)),
        # A listing not yet public: outside their province a partner's staff see what a member sees.
        ("listing page (not live)", "get", lambda w: w.listing.get_absolute_url(), None, (200, 200, 404, 404)),
        ("import page", "get", lambda w: reverse("listings:import"), None, (200, 200, 200, 404)),
        (
            "review export",
            "get",
            lambda w: reverse("listings:export", args=["csv"]) + "?scope=review",
            None,
            (200, 200, 200, 404),
        ),
        (
            "verification queue",
            "get",
            lambda w: reverse("organizations:verification_queue"),
            None,
            (200, 200, 200, 404),
        ),
        ("verification page", "get", decide_url, None, (200, 200, 404, 404)),
        ("deals staff list", "get", lambda w: reverse("deals:staff_list"), None, (200, 200, 200, 404)),
        (
            "deal page (staff)",
            "get",
            lambda w: reverse("deals:detail", args=[w.deal.reference_code]),
            None,
            (200, 200, 404, 404),
        ),
        ("standard NDA text", "get", lambda w: reverse("deals:nda_template"), None, (200, 404, 404, 404)),
        (
            "import status",
            "get",
            lambda w: reverse("listings:import_status", kwargs={"pk": w.import_job.pk}),
            None,
            (200, 200, 404, 404),
        ),
        (
            "match activity",
            "get",
            lambda w: reverse("matching:staff_activity", args=[w.listing.reference_code]),
            None,
            (200, 200, 404, 404),
        ),
        # page actions (POST)
        ("publish (page)", "post", review_url, lambda w: {"decision": "publish", "note": ""}, (302, 302, 404, 404)),
        (
            "ask for changes (page)",
            "post",
            review_url,
            lambda w: {"decision": "request_changes", "note": "Thêm ảnh"},
            (302, 302, 404, 404),
        ),
        (
            "reject (page)",
            "post",
            review_url,
            lambda w: {"decision": "reject", "note": "Trùng lặp"},
            (302, 302, 404, 404),
        ),
        (
            "reassign listing (page)",
            "post",
            review_url,
            lambda w: {"reassign-department": "dong-thap", "reassign-reason": "Công nghệ ở Đồng Tháp"},
            (302, 302, 404, 404),
        ),
        ("verify (page)", "post", decide_url, lambda w: {"decision": "verify"}, (302, 302, 404, 404)),
        (
            "refuse (page)",
            "post",
            decide_url,
            lambda w: {"decision": "refuse", "reason": "Sai mã số thuế"},
            (302, 302, 404, 404),
        ),
        (
            "reassign organisation (page)",
            "post",
            decide_url,
            lambda w: {"reassign-department": "dong-thap", "reassign-reason": "Trụ sở ở Đồng Tháp"},
            (302, 302, 404, 404),
        ),
        (
            "archive listing (staff, page)",
            "post",
            lambda w: reverse("listings:action", args=[w.rejected_listing.reference_code, "archive"]),
            lambda w: {},
            (302, 302, 404, 404),
        ),
        (
            "drop deal (page)",
            "post",
            lambda w: reverse("deals:close", args=[w.deal.reference_code, "drop"]),
            lambda w: {"drop-reason": "Hai bên không liên lạc lại"},
            (302, 302, 404, 404),
        ),
        (
            "confirm signed NDA (page)",
            "post",
            lambda w: reverse("deals:action", args=[w.nda_deal.reference_code, "nda_confirm"]),
            lambda w: {},
            (302, 302, 404, 404),
        ),
        (
            "certify registration (page)",
            "post",
            lambda w: reverse("deals:registration", args=[w.registering_deal.reference_code]),
            lambda w: {
                "registration-status": "certified",
                "registration-number": "12/GCN-SKHCN",
                "registration-certified_on": timezone.localdate().isoformat(),
            },
            (302, 302, 404, 404),
        ),
        # API
        (
            "API publish",
            "api",
            lambda w: f"/api/v1/listings/{w.listing.reference_code}/publish/",
            lambda w: {},
            (200, 200, 404, 404),
        ),
        (
            "API request changes",
            "api",
            lambda w: f"/api/v1/listings/{w.listing.reference_code}/request-changes/",
            lambda w: {"note": "Thêm ảnh"},
            (200, 200, 404, 404),
        ),
        (
            "API reject",
            "api",
            lambda w: f"/api/v1/listings/{w.listing.reference_code}/reject/",
            lambda w: {"reason": "Trùng lặp"},
            (200, 200, 404, 404),
        ),
        (
            "API verify",
            "api",
            lambda w: f"/api/v1/organizations/{w.organization.slug}/verify/",
            lambda w: {},
            (200, 200, 404, 403),
        ),
        (
            "API refuse",
            "api",
            lambda w: f"/api/v1/organizations/{w.organization.slug}/refuse/",
            lambda w: {"reason": "Sai mã số thuế"},
            (200, 200, 404, 403),
        ),
        (
            "API assign broker",
            "api",
            lambda w: f"/api/v1/deals/{w.deal.reference_code}/assign-broker/",
            broker,
            (200, 200, 404, 404),
        ),
        (
            "API archive listing (staff)",
            "api",
            lambda w: f"/api/v1/listings/{w.rejected_listing.reference_code}/archive/",
            lambda w: {},
            (200, 200, 404, 404),
        ),
        (
            "API drop deal",
            "api",
            lambda w: f"/api/v1/deals/{w.deal.reference_code}/drop/",
            lambda w: {"reason": "Hai bên không liên lạc lại"},
            (200, 200, 404, 404),
        ),
        (
            "API confirm signed NDA",
            "api",
            lambda w: f"/api/v1/deals/{w.nda_deal.reference_code}/nda/confirm/",
            lambda w: {},
            (200, 200, 404, 404),
        ),
        (
            "API certify registration",
            "api",
            lambda w: f"/api/v1/deals/{w.registering_deal.reference_code}/contract/registration/",
            lambda w: {
                "status": "certified",
                "number": "12/GCN-SKHCN",
                "certified_on": timezone.localdate().isoformat(),
            },
            (200, 200, 404, 404),
        ),
        ("API all deals", "apiget", lambda w: "/api/v1/deals/?all=true", None, (200, 200, 200, 403)),
        ("API funnel", "apiget", lambda w: "/api/v1/deals/funnel/", None, (200, 200, 200, 403)),
        (
            "API standard NDA text",
            "api",
            lambda w: "/api/v1/deals/nda-template/",
            lambda w: {"title": "NDA", "body": "Bảo mật"},
            (201, 403, 403, 403),
        ),
    ]


ROUTES = _routes()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_permission_matrix(client, world, route, role):
    name, method, url, data, expected = route
    client.force_login(world.users[role])
    target = url(world)  # makes the route's items first, so the snapshot holds them
    before = _snapshot(world)
    if method == "get":
        response = client.get(target)
    elif method == "post":
        response = client.post(target, data(world))
    elif method == "apiget":
        response = client.get(target, HTTP_ACCEPT="application/json")
    else:
        response = client.post(target, data(world), content_type="application/json")
    want = expected[ROLES.index(role)]
    assert response.status_code == want, (name, role, getattr(response, "content", b"")[:300])
    if want >= 400:
        assert _snapshot(world) == before, f"{name} refused to {role} changed the database"
    elif method in ("post", "api"):
        # A redirect is also how a page reports a refusal: an action that succeeded left its trace.
        assert AuditEntry.objects.count() > before[-1], f"{name} answered {want} to {role} but changed nothing"


def test_queues_show_my_department_and_the_lead_sees_every_queue_with_counts(client, world):
    elsewhere = _submitted_listing("82", title="Quy trình nuôi tôm tuần hoàn ít thay nước")
    queue = reverse("listings:review_queue")
    client.force_login(world.users["right"])
    page = client.get(queue)
    codes = [x.reference_code for x in page.context["page"].object_list]
    assert codes == [world.listing.reference_code]
    assert escape(world.an_giang.name) in page.content.decode()
    # A partner may not pick another queue: the form refuses it and the page shows their own.
    page = client.get(queue, {"department": "dong-thap"})
    assert [x.reference_code for x in page.context["page"].object_list] == [world.listing.reference_code]

    client.force_login(world.users["lead"])
    mine = client.get(queue)
    assert world.listing.reference_code not in [x.reference_code for x in mine.context["page"].object_list]
    every = client.get(queue, {"department": "all"})
    assert {x.reference_code for x in every.context["page"].object_list} >= {
        world.listing.reference_code,
        elsewhere.reference_code,
    }
    counts = {d.code: n for d, n in every.context["queue_counts"]}
    assert counts["an-giang"] == 1 and counts["dong-thap"] == 1
    assert sum(counts.values()) == every.context["page"].paginator.count
    one = client.get(queue, {"department": "dong-thap"})
    assert [x.reference_code for x in one.context["page"].object_list] == [elsewhere.reference_code]


def test_routing_from_creation_to_the_right_queue(world):
    assert world.listing.department == world.an_giang
    assert world.organization.department == world.an_giang
    assert world.deal.department == world.an_giang
    other = _submitted_listing("82")
    assert other.department == world.dong_thap
    assert Organization.objects.get(pk=other.organization_id).department == world.dong_thap
    lead_item = _submitted_listing("92")
    assert lead_item.department.is_lead


def test_reassignment_moves_the_item_between_queues_and_is_audited(client, world):
    client.force_login(world.users["right"])
    url = reverse("listings:review", args=[world.listing.reference_code])
    response = client.post(url, {"reassign-department": "dong-thap", "reassign-reason": ""})
    assert response.status_code == 200 and response.context["reassign_form"].errors
    client.post(url, {"reassign-department": "dong-thap", "reassign-reason": "Công nghệ ở Đồng Tháp"})
    assert Listing.objects.get(pk=world.listing.pk).department == world.dong_thap
    assert AuditEntry.objects.filter(action="department.reassign").exists()
    # It left An Giang's hands: now Đồng Tháp acts on it.
    assert client.get(url).status_code == 404
    client.force_login(world.users["other"])
    assert client.get(url).status_code == 200


def test_statistics_per_department_add_up_to_the_region(world):
    _submitted_listing("82")
    _submitted_listing("92")
    lead = world.users["lead"]
    region_deals = deal_list_for_staff(user=lead)
    partners = [make_staff(world.dong_thap)] + [world.users["right"]]
    from techex.departments.models import Department
    from techex.departments.selectors import in_queue

    by_department = {}
    for department in Department.objects.filter(is_active=True):
        listings = in_queue(queryset=Listing.objects.all(), department=department)
        by_department[department.code] = {s: listings.filter(status=s).count() for s in ListingStatus.values}
    region = {s: Listing.objects.filter(status=s).count() for s in ListingStatus.values}
    assert {s: sum(d[s] for d in by_department.values()) for s in ListingStatus.values} == region

    funnels = [
        deal_funnel(deals=in_queue(queryset=region_deals, department=d))
        for d in Department.objects.filter(is_active=True)
    ]
    region_funnel = deal_funnel(deals=region_deals)
    for i, stage in enumerate(region_funnel):
        assert sum(f[i].count for f in funnels) == stage.count
        assert sum(f[i].value_vnd for f in funnels) == stage.value_vnd
    # A partner's staff read their department's figures.
    for user in partners:
        mine = deal_list_for_staff(user=user)
        assert set(mine.values_list("department_id", flat=True)) <= {user.department_staff.department_id}


def test_done_when_journey(client, world):
    """A partner's staff member sees only their province's queue, publishes from it, cannot act elsewhere, reads
    their figures; the lead sees all."""
    elsewhere = _submitted_listing("82", title="Quy trình nuôi tôm tuần hoàn ít thay nước")
    partner = world.users["right"]
    client.force_login(partner)
    queue = client.get(reverse("listings:review_queue"))
    assert [x.reference_code for x in queue.context["page"].object_list] == [world.listing.reference_code]
    response = client.post(
        reverse("listings:review", args=[world.listing.reference_code]), {"decision": "publish", "note": ""}
    )
    assert response.status_code == 302
    assert Listing.objects.get(pk=world.listing.pk).status == ListingStatus.PUBLISHED
    response = client.post(
        reverse("listings:review", args=[elsewhere.reference_code]), {"decision": "publish", "note": ""}
    )
    assert response.status_code == 404
    assert Listing.objects.get(pk=elsewhere.pk).status == ListingStatus.SUBMITTED
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.context["staff_counts"]["listings_to_review"] == 0  # An Giang's queue is empty now
    client.force_login(world.users["lead"])
    dashboard = client.get(reverse("accounts:dashboard"), {"department": "all"})
    assert (
        dashboard.context["staff_counts"]["listings_to_review"]
        == Listing.objects.filter(status=ListingStatus.SUBMITTED).count()
    )
    assert client.get(reverse("listings:review", args=[elsewhere.reference_code])).status_code == 200


def test_a_member_of_the_deal_still_sees_it(world):
    # The staff role narrowed; the parties' roles did not.
    from techex.deals.selectors import deal_get_for_user

    inquirer = member_of(world.deal.inquirer_organization)
    assert deal_get_for_user(user=inquirer, reference_code=world.deal.reference_code) == world.deal


def test_the_dashboard_and_the_funnel_follow_the_chosen_department(client, world):
    """Lead staff filter the dashboard and the deal funnel (page and API) by department, as the staff queues do;
    partner staff read only their own."""
    elsewhere = _submitted_listing("82", title="Quy trình nuôi tôm tuần hoàn ít thay nước")
    dong_thap_deal = make_deal(deal_parties(staff=world.users["lead"], province=_p("82")), stage=DealStage.INQUIRY)
    assert dong_thap_deal.department == world.dong_thap and elsewhere.department == world.dong_thap
    dashboard, funnel_page, funnel_api = (
        reverse("accounts:dashboard"),
        reverse("deals:staff_list"),
        "/api/v1/deals/funnel/",
    )

    def counts(**query):
        return client.get(dashboard, query).context["staff_counts"]

    def inquiries_on_page(**query):
        return client.get(funnel_page, query).context["funnel"][0].stage.count

    def inquiries_by_api(**query):
        response = client.get(funnel_api, query, HTTP_ACCEPT="application/json")
        return response.status_code, response.json()[0]["count"] if response.status_code == 200 else response.json()

    client.force_login(world.users["lead"])
    assert counts(department="an-giang") == {"listings_to_review": 1, "organizations_to_verify": 1, "open_deals": 1}
    assert counts(department="dong-thap")["listings_to_review"] == 1
    assert counts(department="dong-thap")["open_deals"] == 1
    region = counts(department="all")
    assert region["listings_to_review"] == Listing.objects.filter(status=ListingStatus.SUBMITTED).count()
    assert region["open_deals"] == Deal.objects.count() == 2
    html = client.get(dashboard, {"department": "dong-thap"}).content.decode()
    assert f"{reverse('listings:review_queue')}?department=dong-thap" in html  # a counter opens the same queue
    assert (inquiries_on_page(department="an-giang"), inquiries_on_page(department="all")) == (1, 2)
    assert inquiries_by_api(department="dong-thap") == (200, 1)
    assert inquiries_by_api(department="all") == (200, 2)
    status, body = inquiries_by_api(department="nowhere")
    assert status == 400 and "department" in str(body)

    client.force_login(world.users["right"])  # An Giang's staff: their own, whatever they ask for
    assert counts() == counts(department="all") == counts(department="dong-thap") == counts(department="an-giang")
    assert counts()["open_deals"] == 1 and counts()["listings_to_review"] == 1
    page = client.get(dashboard, {"department": "dong-thap"}).content.decode()
    assert "This queue cannot be shown; here is your own." in page
    assert (inquiries_on_page(), inquiries_on_page(department="dong-thap")) == (1, 1)
    assert inquiries_by_api() == inquiries_by_api(department="an-giang") == (200, 1)
    assert inquiries_by_api(department="dong-thap")[0] == 400
