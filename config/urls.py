from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from techex.site import urls as site_urls
from techex.site import views as site_views
from techex.site.sitemaps import SITEMAPS
from techex.statistics import views as statistics_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("accounts/", include("allauth.urls")),
    path("me/", include(site_urls.account_urlpatterns)),
    path("organizations/", include("techex.organizations.urls")),
    path("departments/", include(site_urls.department_urlpatterns)),
    path("so-khcn/", RedirectView.as_view(pattern_name="departments:list"), name="departments_vi"),
    path("listings/", include("techex.listings.urls")),
    path("reference/", include("techex.reference.urls")),
    path("search/", include("techex.search.urls")),
    path("notifications/", include("techex.notifications.urls")),
    path("deals/", include("techex.deals.urls")),
    path("matching/", include("techex.matching.urls")),
    path("events/", include("techex.events.urls")),
    path("su-kien/", RedirectView.as_view(pattern_name="events:list", query_string=True), name="events_vi"),
    # Saved searches keep the paths they had in matching: links sent in e-mails and feed subscriptions stay valid.
    path("matching/", include("techex.alerts.urls")),
    path("services/", include("techex.services.urls")),
    path("exchange/", include("techex.exchange.urls")),
    path("dich-vu/", RedirectView.as_view(pattern_name="services:catalogue"), name="services_vi"),
    path("experts/", include("techex.services.urls_experts")),
    path("chuyen-gia/", RedirectView.as_view(pattern_name="experts:list", query_string=True), name="experts_vi"),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("statistics/", include("techex.statistics.urls")),
    path("thong-ke/", statistics_views.public, name="statistics_public"),
    path("open-data/", statistics_views.open_data, name="open_data"),
    path("open-data/catalog.jsonld", statistics_views.open_data_catalogue, name="open_data_catalogue"),
    path("open-data/listings.<slug:file_format>", statistics_views.open_data_download, name="open_data_download"),
    path("du-lieu-mo/", RedirectView.as_view(pattern_name="open_data"), name="open_data_vi"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler400 = "techex.core.views.bad_request"
handler403 = "techex.core.views.permission_denied"
handler404 = "techex.core.views.page_not_found"
handler500 = "techex.core.views.server_error"
