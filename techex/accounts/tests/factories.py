import factory

from techex.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-2026!")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the user a verified primary e-mail address, as allauth needs before sign-in."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    is_staff = True
