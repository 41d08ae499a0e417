from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "techex.organizations"
    label = "organizations"
