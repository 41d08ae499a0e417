"""Providers apply with checked credentials; files are served only to those who may see them; the catalogue data."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.organizations.tests.factories import OrganizationFactory
from techex.services import services
from techex.services.catalogue import BROKERAGE, CATEGORIES, VALUATION
from techex.services.choices import ProviderStatus
from techex.services.choices import RequestState as S
from techex.services.demo import seed_catalogue
from techex.services.models import ServiceCategory, ServiceProvider
from techex.services.samples import SAMPLES

from .factories import make_category, make_provider, make_request, member_of, pdf_file, request_parties

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_apply_checks_files_by_content_and_changes_nothing_when_refused(reference_data):
    category = make_category()
    organization = OrganizationFactory()
    admin = member_of(organization)
    fake = SimpleUploadedFile("giay-phep.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        services.provider_apply(
            user=admin, organization=organization, categories=[category], description="Định giá.", files=[fake]
        )
    assert "giay-phep.pdf" in excinfo.value.messages[0]
    with pytest.raises(ValidationError, match="at least one licence"):
        services.provider_apply(user=admin, organization=organization, categories=[category], description="Định giá.")
    assert not ServiceProvider.objects.exists()
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.provider_apply(
            user=outsider, organization=organization, categories=[category], description="x", files=[pdf_file()]
        )


def test_refused_provider_may_apply_again_and_decisions_are_audited(reference_data, staff):
    category = make_category()
    provider, admin = make_provider(category=category, verified=False)
    with pytest.raises(ValidationError, match="Say why"):
        services.provider_refuse(user=staff, provider=provider, note="")
    services.provider_refuse(user=staff, provider=provider, note="Giấy phép đã hết hạn.")
    with pytest.raises(ValidationError, match="already decided"):
        services.provider_verify(user=staff, provider=provider)
    again = services.provider_apply(
        user=admin, organization=provider.organization, categories=[category], description="Bổ sung giấy phép mới."
    )
    assert again.pk == provider.pk and again.status == ProviderStatus.APPLIED
    assert again.credentials.count() == 1  # the earlier file is kept
    actions = set(AuditEntry.objects.filter(target_id=str(provider.pk)).values_list("action", flat=True))
    assert {"services.provider.apply", "services.provider.refused"} <= actions


def test_apply_page(client, reference_data):
    category = make_category()
    organization = OrganizationFactory()
    admin = member_of(organization)
    client.force_login(admin)
    response = client.post(
        reverse("services:provider_apply"),
        {"organization": organization.pk, "categories": [category.pk], "description": "Định giá.", "files": []},
    )
    assert response.status_code == 400 and "Attach at least one licence" in response.content.decode()
    response = client.post(
        reverse("services:provider_apply"),
        {"organization": organization.pk, "categories": [category.pk], "description": "Định giá.", "files": pdf_file()},
    )
    assert response.status_code == 302
    assert ServiceProvider.objects.get().status == ProviderStatus.APPLIED


def test_credential_and_message_files_are_served_only_to_those_who_may_see_them(client, reference_data):
    parties = request_parties()
    credential = parties.provider.credentials.get()
    request = make_request(parties, state=S.ASSIGNED)
    message = services.request_message(user=parties.client, request=request, body="Hồ sơ.", file=pdf_file("hs.pdf"))
    credential_url = reverse("services:credential_file", args=[credential.token])
    message_url = reverse("services:message_file", args=[message.file_token])
    for user, credential_ok, message_ok in (
        (parties.provider_user, True, True),
        (parties.staff, True, True),
        (parties.client, False, True),
        (UserFactory(), False, False),
    ):
        client.force_login(user)
        assert (client.get(credential_url).status_code == 200) is credential_ok
        response = client.get(message_url)
        assert (response.status_code == 200) is message_ok
        if message_ok:
            assert response["X-Content-Type-Options"] == "nosniff"


def test_the_catalogue_seeds_seven_categories_with_their_samples_and_keeps_edits():
    # The six services of the Hà Nội exchange's pages, and brokerage (Law 07/2017/QH14, Art. 47).
    assert seed_catalogue() == 7
    assert ServiceCategory.objects.count() == len(CATEGORIES) == 7
    assert {VALUATION, BROKERAGE} <= set(ServiceCategory.objects.values_list("code", flat=True))
    for category in ServiceCategory.objects.all():
        assert category.step_list() and category.faqs.exists()
        assert category.name_en and category.summary_en
        for key in category.sample_documents:
            assert (STATIC / SAMPLES[key].path).is_file()
    ServiceCategory.objects.filter(code="dao-tao").update(name="Đào tạo (đã sửa)")
    assert seed_catalogue() == 0
    assert ServiceCategory.objects.get(code="dao-tao").name == "Đào tạo (đã sửa)"


def test_every_sample_file_exists():
    for sample in SAMPLES.values():
        assert (STATIC / sample.path).is_file(), sample.path


def test_staff_edit_the_catalogue_in_the_admin(client, reference_data):
    from techex.accounts.tests.factories import UserFactory as Factory

    admin = Factory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    category = make_category()
    assert client.get(reverse("admin:services_servicecategory_changelist")).status_code == 200
    page = client.get(reverse("admin:services_servicecategory_change", args=[category.pk]))
    assert page.status_code == 200 and "name_en" in page.content.decode()
    parties = request_parties()
    request = make_request(parties, state=S.QUOTED)
    assert client.get(reverse("admin:services_servicerequest_change", args=[request.pk])).status_code == 200
    assert client.get(reverse("admin:services_serviceprovider_changelist")).status_code == 200
