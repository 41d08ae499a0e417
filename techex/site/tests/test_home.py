import pytest
from django.urls import reverse
from django.utils.html import escape

from techex.listings.choices import ListingKind

pytestmark = pytest.mark.django_db


def test_home_renders_without_data(client, reference_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Can Tho Technology Exchange" in content
    assert "No offer has been published yet." in content
    assert "No need has been published yet." in content
    assert f'action="{reverse("listings:browse")}"' in content
    assert 'name="q"' in content and 'name="kind"' in content
    assert f"{reverse('listings:create')}?kind=offer" in content
    assert f"{reverse('listings:create')}?kind=need" in content


def test_home_renders_on_an_empty_database(client, db):
    """Before the reference data is loaded (a fresh install) the page still works."""
    from techex.reference.models import STField

    STField.objects.all().delete()
    assert client.get(reverse("home")).status_code == 200


def test_home_shows_latest_listings_numbers_and_fields(client, reference_data, owner, org, staff):
    from techex.listings.tests.factories import make_published
    from techex.reference.models import STField

    offer = make_published(user=owner, organization=org, staff=staff, title="Máy sấy lúa tầng sôi")
    need = make_published(
        user=owner, organization=org, staff=staff, kind=ListingKind.NEED, title="Cần công nghệ khử mặn"
    )
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert offer.get_absolute_url() in content and "Máy sấy lúa tầng sôi" in content
    assert need.get_absolute_url() in content and "Cần công nghệ khử mặn" in content
    assert response.context["numbers"] == {"offers": 1, "needs": 1, "organizations": 1}
    assert "verified organisations" in content
    field = STField.objects.filter(level=1).order_by("code").first()
    assert f"{reverse('listings:browse')}?field={field.code}" in content


def test_home_does_not_reveal_the_owner_of_an_anonymous_listing(client, reference_data, owner, org, staff):
    from techex.listings.tests.factories import make_published

    make_published(user=owner, organization=org, staff=staff, title="Công nghệ giấu tên", is_anonymous=True)
    content = client.get(reverse("home")).content.decode()
    assert "Công nghệ giấu tên" in content
    assert org.name not in content


def test_home_escapes_listing_text(client, reference_data, owner, org, staff):
    from techex.listings.tests.factories import make_published

    make_published(user=owner, organization=org, staff=staff, title="<img src=x onerror=alert(1)> Máy sấy")
    content = client.get(reverse("home")).content.decode()
    assert "<img src=x onerror" not in content
    assert "&lt;img src=x onerror=alert(1)&gt; Máy sấy" in content


def test_home_query_count_does_not_grow_with_listings(client, reference_data, owner, org, staff, count_queries):
    from techex.listings.tests.factories import make_published

    make_published(user=owner, organization=org, staff=staff)
    make_published(user=owner, organization=org, staff=staff, kind=ListingKind.NEED)
    with count_queries() as few:
        client.get(reverse("home"))
    for _ in range(6):
        make_published(user=owner, organization=org, staff=staff)
        make_published(user=owner, organization=org, staff=staff, kind=ListingKind.NEED)
    with count_queries() as many:
        content = client.get(reverse("home")).content.decode()
    assert content.count('class="card listing-card"') == 12
    assert len(many) == len(few)


def test_home_query_budget(client, reference_data, owner, org, staff, count_queries):
    from techex.listings.tests.factories import make_published

    for _ in range(6):
        make_published(user=owner, organization=org, staff=staff)
        make_published(user=owner, organization=org, staff=staff, kind=ListingKind.NEED)
    # Pinned: 1 live listings counted by kind and province (the numbers and the region block), 1 verified
    # organisations, 2 × 3 latest offers and needs (rows, their fields, their images), 1 top fields, 1 the region's
    # provinces with their departments (issue 17). A change here is a deliberate one: update the count and the list.
    with count_queries() as queries:
        client.get(reverse("home"))
    assert len(queries) == 10, [q["sql"][:120] for q in queries.captured_queries]


def test_home_shows_the_regions_provinces_as_entry_points(client, reference_data, owner, org, staff, settings):
    """Each Mekong province (2025 units) leads to its listings, with its count of live ones, and names the
    department that serves it (issue 17)."""
    from techex.departments.models import Department
    from techex.departments.tests.factories import make_partner
    from techex.listings.tests.factories import make_published
    from techex.reference.models import Province

    an_giang = make_partner("an-giang")
    for _ in range(2):
        make_published(user=owner, organization=org, staff=staff, province=Province.objects.get(pk="91"))
    make_published(user=owner, organization=org, staff=staff, province=Province.objects.get(pk="01"))  # Hà Nội
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("home"))
    region = {entry["province"].pk: entry for entry in response.context["region"]}
    assert set(region) == set(Province.objects.filter(is_mekong=True).values_list("pk", flat=True))
    assert "01" not in region
    assert region["91"]["live_count"] == 2 and region["91"]["department"] == an_giang
    lead = Department.objects.get(is_lead=True)
    assert region["82"]["live_count"] == 0 and region["82"]["department"] == lead  # no partner yet: the lead
    html = response.content.decode()
    assert f'href="{reverse("listings:browse")}?province=91"' in html
    assert "2 offers and needs" in html and "0 offers and needs" in html
    assert f'<a href="{an_giang.get_absolute_url()}">{escape(an_giang.label)}</a>' in html
    # Every page's footer leads to the departments (for everyone, not only staff); the header to events and services.
    assert f'<a href="{reverse("departments:list")}">Departments</a>' in html
    assert f'<a href="{reverse("events:list")}">Events</a>' in html
    assert f'<a href="{reverse("services:catalogue")}">Services</a>' in html


def test_the_region_block_reads_vietnamese(client, reference_data, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("home")).content.decode()
    assert "Khắp Đồng bằng sông Cửu Long" in html and "0 tin chào bán và nhu cầu" in html
    assert "Các sở vận hành sàn giao dịch" in html
