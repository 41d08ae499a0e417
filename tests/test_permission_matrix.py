"""Walk every URL pattern (pages, API, files) as each kind of visitor and look for private data where it must not be.

One world of rows is built per role: an individual inventor's organisation with its private fields (tax code, home
address, e-mail, phone), its administrator ("owner") and a plain member, a published offer with a confidential file,
a draft, and a deal with another organisation. Every private value is a marker string; each marker lists the roles
that may read it, and no answer to any other role (page, JSON, file download) may contain it. Every URL is built
from the URL resolver with the world's objects, so a new page or endpoint is checked without being listed here.
"""

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.deals import services as deal_services
from techex.deals.tests.factories import inquiry_data
from techex.listings.choices import AttachmentKind
from techex.listings.services import attachment_add
from techex.listings.tests.factories import make_listing, make_published
from techex.listings.tests.uploads import PDF_BYTES
from techex.notifications.models import Notification
from techex.organizations.choices import MembershipRole, OrganizationType
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "owner", "broker", "staff"]
INSIDERS = frozenset({"member", "owner", "staff"})

# Each private value, and who may read it.
MARKERS = {
    # organizations.selectors.PRIVATE_FIELDS of an individual inventor
    "1800158819": INSIDERS,
    "So 7 hem Bi Mat": INSIDERS,
    "inventor.private@example.vn": INSIDERS,
    "0909 777 001": INSIDERS,
    # the people's e-mail addresses
    "owner.private@example.vn": INSIDERS,
    "member.private@example.vn": INSIDERS,
    "inquirer.private@example.vn": INSIDERS,  # the other side of the deal: its parties and staff
    # a confidential file of a live listing, and a draft listing
    "CONFIDENTIAL-FILE-Q7": INSIDERS,
    "DRAFT-TITLE-Q7": INSIDERS,
    # a deal's content, for its parties and staff only
    "DEAL-MESSAGE-Q7": INSIDERS,
    "DEAL-INTENDED-USE-Q7": INSIDERS,
}

# What the walk must find for these roles, so a broken world or sign-in cannot pass for "no leak".
SEEN_BY = {
    "owner": set(MARKERS),
    "member": set(MARKERS) - {"owner.private@example.vn"},
    "staff": set(MARKERS) - {"DRAFT-TITLE-Q7"},
}

# Not walked: the admin (staff see everything there; non-staff are sent to its login), signing out and switching
# language (they would end the visit), and the API's catch-all that answers 404 to unknown paths.
SKIPPED = {"account_logout", "set_language", ""}


def _patterns(patterns=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name or ''}", pattern


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


@pytest.fixture
def world(reference_data):
    people = {
        "outsider": UserFactory(),
        "member": UserFactory(email="member.private@example.vn"),
        "owner": UserFactory(email="owner.private@example.vn"),
        "broker": UserFactory(),
        "staff": StaffFactory(),
    }
    inventor = OrganizationFactory(
        name="Nhà sáng chế Nguyễn Văn Sáng",
        slug="nha-sang-che-sang",
        type=OrganizationType.INDIVIDUAL,
        tax_code="1800158819",
        address="So 7 hem Bi Mat",
        email="inventor.private@example.vn",
        phone="0909 777 001",
        website="https://sangche.example.vn",
    )
    MembershipFactory(user=people["owner"], organization=inventor, role=MembershipRole.ADMIN)
    MembershipFactory(user=people["member"], organization=inventor, role=MembershipRole.MEMBER)
    MembershipFactory(user=people["outsider"], organization=OrganizationFactory(name="Công ty Khác"))
    brokers = OrganizationFactory(name="Trung tâm Môi giới", type=OrganizationType.INTERMEDIARY)
    MembershipFactory(user=people["broker"], organization=brokers)
    inquirer_org = OrganizationFactory(name="Hợp tác xã Thới Lai", type=OrganizationType.COOPERATIVE)
    inquirer = UserFactory(email="inquirer.private@example.vn")
    MembershipFactory(user=inquirer, organization=inquirer_org)

    offer = make_published(user=people["owner"], organization=inventor, staff=people["staff"])
    secret_pdf = PDF_BYTES.replace(b"%%EOF", b"% CONFIDENTIAL-FILE-Q7\n%%EOF")
    confidential = attachment_add(
        listing=offer,
        user=people["owner"],
        file=SimpleUploadedFile("bi-mat.pdf", secret_pdf, content_type="application/pdf"),
        kind=AttachmentKind.DOCUMENT,
        is_confidential=True,
    )
    draft = make_listing(user=people["owner"], organization=inventor, title="DRAFT-TITLE-Q7 máy bóc vỏ")
    deal = deal_services.deal_inquire(
        user=inquirer,
        listing=offer,
        organization=inquirer_org,
        **inquiry_data(message="DEAL-MESSAGE-Q7 xin chào", intended_use="DEAL-INTENDED-USE-Q7 sấy lúa"),
    )
    deal = deal_services.deal_accept(user=people["owner"], deal=deal)
    notification = Notification.objects.filter(recipient=people["owner"]).first()
    values = {
        # by the start of the URL name, then by the keyword's name
        ("organizations:", "slug"): [inventor.slug],
        ("organization-", "slug"): [inventor.slug],
        ("listings:", "reference_code"): [offer.reference_code, draft.reference_code],
        ("listing-", "reference_code"): [offer.reference_code, draft.reference_code],
        ("listings:", "token"): [confidential.token],
        ("listings:", "fmt"): ["csv", "xlsx"],
        ("listings:", "step"): ["basics"],
        ("deals:", "listing_code"): [offer.reference_code],
        ("deals:", "reference_code"): [deal.reference_code],
        ("deal-", "reference_code"): [deal.reference_code],
        ("matching:", "reference_code"): [offer.reference_code],
        ("matching:", "counterpart_code"): [draft.reference_code],
        ("notification", "pk"): [str(notification.pk if notification else 1)],
        ("", "reference_code"): [offer.reference_code],
        ("", "slug"): [inventor.slug],
        ("", "pk"): ["1"],
        ("", "token"): ["0" * 32],
    }
    return {"people": people, "values": values}


def _urls(values) -> Iterator[tuple[str, str]]:
    for name, pattern in _patterns():
        if name.rsplit(":", 1)[-1] in SKIPPED:
            continue
        names = _kwarg_names(pattern)
        kwarg_values = {}
        for kwarg in names:
            choices = next(
                (found for (prefix, key), found in values.items() if key == kwarg and name.startswith(prefix)),
                ["x"],
            )
            kwarg_values[kwarg] = choices
        combinations: list[dict[str, str]] = [{}]
        for kwarg, choices in kwarg_values.items():
            combinations = [{**done, kwarg: choice} for done in combinations for choice in choices]
        for kwargs in combinations:
            try:
                yield name, reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_private_fields_are_absent_where_they_must_be(client, world, role):
    user = world["people"].get(role)
    if user is not None:
        client.force_login(user)
    urls = list(_urls(world["values"]))
    assert len(urls) > 150  # the walk reaches pages, API endpoints and files
    leaks, errors, seen = [], [], set()
    for name, url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url} ({name}) answered {response.status_code}")
            continue
        body = _body(response)
        seen |= {marker for marker in MARKERS if marker in body}
        leaks += [
            f"{url} ({name}) shows {marker!r}" for marker, may in MARKERS.items() if role not in may and marker in body
        ]
    assert not errors
    assert not leaks
    if role in SEEN_BY:  # the walk reached the pages that show them to those who may see them
        assert SEEN_BY[role] <= seen
