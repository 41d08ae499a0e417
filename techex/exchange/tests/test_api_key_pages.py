"""The staff page of API keys: the lead's staff issue (the key shown once) and revoke; partners' staff only read."""

import pytest
from django.urls import reverse

from techex.departments.tests.factories import make_partner, make_staff
from techex.exchange.models import ApiKey
from techex.exchange.services import api_key_find

pytestmark = pytest.mark.django_db

PAGE = reverse("exchange:api_keys")


def test_lead_staff_issue_a_key_shown_once_then_revoke_it(client, staff, reference_data):
    client.force_login(staff)
    assert "Issue the key" in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"name": "Sàn An Giang", "scopes": ["harvest", "read"], "rate_per_minute": "120"})
    assert response.status_code == 200
    key = ApiKey.objects.get()
    text = response.context["issued"]
    assert text.startswith(f"{key.prefix}.") and api_key_find(text=text) == key
    assert key.scopes == ["harvest", "read"] and key.rate_per_minute == 120
    assert text not in client.get(PAGE).content.decode()  # never shown again
    response = client.post(reverse("exchange:api_key_revoke", kwargs={"pk": key.pk}), follow=True)
    assert "was revoked" in response.content.decode()
    assert api_key_find(text=text) is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["read"], "rate_per_minute": "60"},
        {"name": "X", "scopes": [], "rate_per_minute": "60"},
        {"name": "X", "scopes": ["write"], "rate_per_minute": "60"},
        {"name": "X", "scopes": ["read"], "rate_per_minute": "0"},
        {"name": "X", "scopes": ["read"], "rate_per_minute": "99999999999"},
    ],
)
def test_a_bad_form_says_why_and_issues_nothing(client, staff, reference_data, data):
    client.force_login(staff)
    response = client.post(PAGE, data)
    assert response.status_code == 200 and response.context["form"].errors
    assert ApiKey.objects.count() == 0


def test_partner_staff_read_the_keys_but_cannot_issue(client, reference_data):
    client.force_login(make_staff(make_partner()))
    page = client.get(PAGE).content.decode()
    assert "issued and revoked by the lead department" in page and "Issue the key" not in page
    assert client.post(PAGE, {"name": "X", "scopes": ["read"], "rate_per_minute": "60"}).status_code == 404
    assert ApiKey.objects.count() == 0


def test_members_and_visitors_do_not_see_the_page(client, owner):
    assert client.get(PAGE).status_code == 404
    client.force_login(owner)
    assert client.get(PAGE).status_code == 404


WEBHOOKS = reverse("exchange:webhooks")


def test_lead_staff_add_an_endpoint_and_read_its_delivery_log(client, staff, reference_data):
    from techex.exchange.models import WebhookEndpoint

    client.force_login(staff)
    data = {"name": "Sàn An Giang", "url": "https://angiang.example/hook", "events": ["listing.published"]}
    response = client.post(WEBHOOKS, data, follow=True)
    assert "was added" in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    refused = client.post(WEBHOOKS, {**data, "events": ["deal.stage_changed"]})
    assert "Deal events go only to a department" in refused.content.decode()
    assert WebhookEndpoint.objects.count() == 1
    assert client.post(WEBHOOKS, {**data, "url": "ftp://x"}).context["form"].errors["url"]


def test_partner_staff_read_the_endpoints_without_their_secrets(client, staff, reference_data):
    from techex.exchange import services

    endpoint = services.webhook_endpoint_create(
        user=staff, name="Sàn X", url="https://x.example/h", events=["listing.expired"]
    )
    client.force_login(make_staff(make_partner()))
    page = client.get(WEBHOOKS).content.decode()
    assert "Sàn X" in page and endpoint.secret not in page
    assert client.post(reverse("exchange:webhook_enable", kwargs={"pk": endpoint.pk})).status_code == 404
