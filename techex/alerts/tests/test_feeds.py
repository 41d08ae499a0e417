"""The Atom feed of a saved search: live listings it finds, newest first, only their public text."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from techex.listings import services as listing_services
from techex.listings.tests.uploads import pdf_upload
from techex.organizations.tests.factories import OrganizationFactory

from .factories import member_of, publish, save

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reader(reference_data):
    return member_of()


def feed_url(saved) -> str:
    return reverse("alerts:saved_feed", kwargs={"token": saved.token})


def entries(client, saved) -> list[dict]:
    response = client.get(feed_url(saved))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.findall(f"{ATOM}link")[0].get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_live_listings_the_search_finds_newest_first(client, reader, staff):
    saved = save(reader, "sấy", kind="offer")
    older = publish(staff, title="Máy sấy lúa tầng sôi")
    newer = publish(staff, title="Máy sấy xoài <năng lượng> mặt trời", summary="Sấy xoài & chuối.")
    publish(staff, kind="need", title="Cần máy sấy cá")  # a need: the search asks for offers
    response = client.get(feed_url(saved))
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.findtext(f"{ATOM}title") == "New listings for “sấy · Technology offer”"
    assert root.findtext(f"{ATOM}subtitle") == "Words: sấy · Kind: Technology offer"
    found = entries(client, saved)
    assert [e["title"] for e in found] == [newer.title, older.title]
    assert found[0]["link"] == f"http://testserver{newer.get_absolute_url()}"
    # The summary is HTML in Atom: the text is escaped once, so a reader shows it as typed.
    assert found[0]["summary"] == "Sấy xoài &amp; chuối."
    assert found[0]["author"] == newer.organization.name
    assert "Technology offer" in found[0]["categories"]
    assert "private" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_listings_that_are_no_longer_live_leave_the_feed(client, reader, staff):
    saved = save(reader, "sấy lúa")
    dryer = publish(staff)
    listing_services.listing_withdraw(listing=dryer, user=dryer.organization.memberships.get().user)
    assert entries(client, saved) == []


def test_the_feed_shows_only_public_approved_text(client, reader, staff):
    hidden = OrganizationFactory(name="Viện Công Nghệ Kín Đáo")
    saved = save(reader, "sấy lúa")
    dryer = publish(staff, organization=hidden, is_anonymous=True)
    owner = hidden.memberships.get().user
    listing_services.attachment_add(
        listing=dryer,
        user=owner,
        file=pdf_upload("ban-ve-mat.pdf"),
        kind="document",
        is_confidential=True,
        caption="Bản vẽ tuyệt mật",
    )
    listing_services.listing_update(listing=dryer, user=owner, data={"title": "Tiêu đề chưa được duyệt"})
    body = client.get(feed_url(saved)).content.decode()
    assert dryer.title in body
    for leaked in ("Kín Đáo", "tuyệt mật", "ban-ve-mat", "chưa được duyệt"):
        assert leaked not in body
    [entry] = entries(client, saved)
    assert entry["author"] is None


def test_the_feed_keeps_working_after_unsubscribing(client, reader, staff):
    saved = save(reader, "sấy lúa")
    dryer = publish(staff)
    client.post(reverse("alerts:saved_unsubscribe", kwargs={"token": saved.token}))
    assert [e["title"] for e in entries(client, saved)] == [dryer.title]


def test_a_deleted_search_or_a_closed_account_has_no_feed(client, reader):
    saved = save(reader, "sấy lúa")
    reader.is_active = False
    reader.save()
    assert client.get(feed_url(saved)).status_code == 404
