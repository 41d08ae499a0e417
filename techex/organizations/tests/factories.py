import factory

from techex.organizations.choices import MembershipRole, OrganizationType, VerificationStatus
from techex.organizations.models import Membership, Organization


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Hợp tác xã Lúa Sạch {n}")
    slug = factory.Sequence(lambda n: f"htx-lua-sach-{n}")
    type = OrganizationType.COOPERATIVE
    province_id = "92"
    verification_status = VerificationStatus.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory("techex.accounts.tests.factories.UserFactory")
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.ADMIN
