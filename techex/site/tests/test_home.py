import pytest
from django.urls import reverse

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


def test_home_query_budget(client, reference_data, owner, org, staff, django_assert_max_num_queries):
    from techex.listings.tests.factories import make_published

    for _ in range(6):
        make_published(user=owner, organization=org, staff=staff)
        make_published(user=owner, organization=org, staff=staff, kind=ListingKind.NEED)
    with django_assert_max_num_queries(10):
        client.get(reverse("home"))
