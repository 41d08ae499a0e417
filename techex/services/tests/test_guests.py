"""A guest asks for a service without an account: nothing moves until the address is confirmed through the link
sent to it; the same link then lets the guest follow the request and act as its client."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from techex.departments.tests.factories import make_partner, make_staff
from techex.services import services
from techex.services.choices import RequestState as S
from techex.services.models import ServiceRequest

from .factories import request_parties

pytestmark = pytest.mark.django_db


def _ask(client, category, **data):
    fields = {"name": "Trần Văn Khách", "email": "khach@example.vn", "province": "91", "description": "Cần định giá."}
    fields.update(data)
    return client.post(reverse("services:request_new", args=[category.code]), fields)


def _link() -> str:
    found = re.search(r"https?://[^/\s]+(/services/guest/\S+/)", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_a_guest_request_waits_for_the_address_then_follows_its_lifecycle(
    client, reference_data, django_capture_on_commit_callbacks
):
    an_giang = make_partner("an-giang")
    partner = make_staff(an_giang)
    parties = request_parties()
    bad = _ask(client, parties.category, email="not-an-address", name="")
    assert bad.status_code == 400 and not ServiceRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, parties.category)
    assert response.status_code == 200 and "khach@example.vn" in response.content.decode()
    request = ServiceRequest.objects.get()
    assert request.department == an_giang and request.guest_email_verified_at is None
    # Not in any queue, and no one can act on it, before the address is confirmed.
    client.force_login(partner)
    assert request.reference_code not in client.get(reverse("services:staff_requests")).content.decode()
    client.logout()
    link = _link()
    assert "CT-DV" in mail.outbox[-1].subject
    page = client.get(link)
    assert page.status_code == 200 and request.reference_code in page.content.decode()
    request.refresh_from_db()
    assert request.guest_email_verified_at is not None
    client.force_login(partner)
    assert request.reference_code in client.get(reverse("services:staff_requests")).content.decode()
    services.request_assign(user=partner, request=request, provider=parties.provider)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_quote(user=parties.provider_user, request=request, amount_vnd=9_000_000, duration_days=10)
    # The guest hears of the quote by e-mail, with the link.
    assert link in mail.outbox[-1].body
    client.logout()
    response = client.post(link + "accept/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.ACCEPTED
    assert client.post(link + "message/", {"body": "Cảm ơn."}).status_code == 302
    assert request.messages.get().author is None


def test_a_forged_or_altered_link_is_404(client, reference_data):
    parties = request_parties()
    assert client.get("/services/guest/abc/").status_code == 404
    assert client.post("/services/guest/abc/accept/").status_code == 404
    member_request = ServiceRequest.objects.create(
        reference_code="CT-DV-2026-99999",
        category=parties.category,
        client_organization=parties.client_org,
        description="x",
    )
    # A token for a member's request (no guest address) opens nothing.
    from django.core import signing

    token = signing.Signer(salt=services.GUEST_SALT).sign_object({"r": member_request.pk, "e": ""})
    assert client.get(f"/services/guest/{token}/").status_code == 404


def test_an_unconfirmed_guest_cannot_act(reference_data):
    parties = request_parties()
    request = services.request_submit_guest(
        name="Khách",
        email="k@example.vn",
        province=parties.client_org.province,
        category=parties.category,
        description="Cần tư vấn.",
    )
    from django.http import Http404

    with pytest.raises(Http404):
        services.request_cancel(user=services.GuestClient(request.pk), request=request, reason="Thôi.")
