"""``sitemap.xml``: every public page a search engine should find, one section per kind, indexed by
``/sitemap.xml`` so that each section stays under the protocol's 50,000 addresses (Django pages them).

Each section lists what the public sees, through the domains' own public querysets: live listings (anonymous ones
too: their pages show no owner), organisations whose verification was not refused, published and cancelled events,
active service categories and verified providers, active departments, and the fixed pages.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from techex.departments.models import Department
from techex.events.models import Event
from techex.listings.models import Listing
from techex.organizations.models import Organization
from techex.organizations.selectors import organization_public_profiles
from techex.services.models import ServiceCategory, ServiceProvider


class ListingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Listing.objects.live().only("reference_code", "updated_at").order_by("pk")

    def lastmod(self, item: Listing):
        return item.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return organization_public_profiles().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Organization):
        return item.updated_at


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Event.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Event):
        return item.updated_at


class ServiceSitemap(Sitemap):
    """The catalogue's categories and the verified providers' pages."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        categories = list(ServiceCategory.objects.filter(is_active=True).order_by("pk"))
        providers = list(ServiceProvider.objects.verified().select_related("organization").order_by("pk"))
        return [*categories, *providers]


class DepartmentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Department.objects.filter(is_active=True).order_by("pk")


class PageSitemap(Sitemap):
    """The fixed pages: home, the lists and the public statistics."""

    changefreq = "daily"
    priority = 1.0
    PAGES = (
        "home",
        "listings:browse",
        "organizations:list",
        "events:list",
        "services:catalogue",
        "departments:list",
        "statistics_public",
        "open_data",
    )

    def items(self):
        return list(self.PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "listings": ListingSitemap,
    "organizations": OrganizationSitemap,
    "events": EventSitemap,
    "services": ServiceSitemap,
    "departments": DepartmentSitemap,
}
