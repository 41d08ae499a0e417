"""The admin finds a person's saved searches and what they were alerted, and changes nothing."""

import pytest
from django.urls import reverse

from techex.accounts.models import User
from techex.alerts import services
from techex.alerts.models import SavedSearch

from .factories import member_of, publish, save

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser(email="admin@example.vn", password="Quan-tri-2026!"))
    return client


def test_admin_lists_and_shows_saved_searches_without_their_token(admin_client, reference_data, staff):
    reader = member_of(email="thu@example.vn")
    saved = save(reader, "máy sấy lúa", kind="offer")
    save(member_of(email="other@example.vn"), "ao tôm")
    listing = publish(staff)  # the dryer, which the first search finds
    assert services.saved_search_alert_for_listing(listing=listing) == 1

    listing_page = admin_client.get(reverse("admin:alerts_savedsearch_changelist"), {"q": "thu@"}).content.decode()
    assert "máy sấy lúa" in listing_page and "ao tôm" not in listing_page
    change = admin_client.get(reverse("admin:alerts_savedsearch_change", args=[saved.pk]))
    page = change.content.decode()
    assert change.status_code == 200
    assert listing.reference_code in page
    assert reverse("admin:listings_listing_change", args=[listing.pk]) in page
    assert saved.token not in listing_page and saved.token not in page


def test_admin_neither_adds_changes_nor_deletes(admin_client, reference_data):
    saved = save(member_of(), "máy sấy lúa")
    assert admin_client.get(reverse("admin:alerts_savedsearch_add")).status_code == 403
    response = admin_client.post(reverse("admin:alerts_savedsearch_change", args=[saved.pk]), {"name": "x"})
    assert response.status_code == 403
    response = admin_client.post(reverse("admin:alerts_savedsearch_delete", args=[saved.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert SavedSearch.objects.get(pk=saved.pk).name == "máy sấy lúa"
    services.saved_search_delete(saved_search=saved, user=saved.user)  # the owner still can
    assert not SavedSearch.objects.exists()
