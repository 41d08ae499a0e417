"""The API router: /api/v1/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from techex.accounts.api.views import TokenView
from techex.alerts.api.saved_searches import SavedSearchViewSet
from techex.core.api import REFERENCE_CODE_PATTERN
from techex.deals.api.views import DealViewSet
from techex.events.api.views import EventViewSet, RegistrationViewSet
from techex.exchange.api.views import ChangesView, SchemaView
from techex.listings.api.views import ListingViewSet
from techex.matching.api.matches import ListingMatchesView
from techex.notifications.api.views import NotificationViewSet
from techex.organizations.api.views import OrganizationViewSet
from techex.reference.api import views as reference
from techex.services.api.experts import ExpertViewSet
from techex.services.api.views import (
    ServiceCategoryViewSet,
    ServiceProviderViewSet,
    ServiceRequestViewSet,
    ValuationViewSet,
)
from techex.statistics.api.views import PublicStatisticsView, StaffIndicatorsView, StaffIndicatorView

router = DefaultRouter()
# Reference codes and slugs never end in ".json"; format suffixes would only make such paths ambiguous.
router.include_format_suffixes = False
router.register("listings", ListingViewSet, basename="listing")
router.register("deals", DealViewSet, basename="deal")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")
router.register("events", EventViewSet, basename="event")
router.register("event-registrations", RegistrationViewSet, basename="event-registration")
router.register("provinces", reference.ProvinceViewSet, basename="province")
router.register("wards", reference.WardViewSet, basename="ward")
router.register("st-fields", reference.STFieldViewSet, basename="st-field")
router.register("trl", reference.TRLViewSet, basename="trl")
router.register("ipc", reference.IPCViewSet, basename="ipc")
router.register("vsic", reference.VSICViewSet, basename="vsic")
router.register("service-categories", ServiceCategoryViewSet, basename="service-category")
router.register("service-providers", ServiceProviderViewSet, basename="service-provider")
router.register("service-requests", ServiceRequestViewSet, basename="service-request")
router.register("experts", ExpertViewSet, basename="expert")
router.register("valuations", ValuationViewSet, basename="valuation")


@csrf_exempt  # it changes nothing; a POST to an unknown address is a 404, not a CSRF failure page
def not_found(request, path: str = ""):
    """Answer an unknown API address in JSON, as every other API answer is, not with the site's HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    re_path(
        rf"^listings/(?P<reference_code>{REFERENCE_CODE_PATTERN})/matches/$",
        ListingMatchesView.as_view(),
        name="listing-matches",
    ),
    path("exchange/changes/", ChangesView.as_view(), name="api-exchange-changes"),
    path("exchange/schema/", SchemaView.as_view(), name="api-exchange-schema"),
    path("statistics/", PublicStatisticsView.as_view(), name="api-statistics-public"),
    path("statistics/indicators/", StaffIndicatorsView.as_view(), name="api-statistics-indicators"),
    path("statistics/indicators/<slug:key>/", StaffIndicatorView.as_view(), name="api-statistics-indicator"),
    path("", include(router.urls)),
    # Only addresses ending in "/": the others still get CommonMiddleware's redirect to the address with a slash.
    re_path(r"^(?P<path>[\s\S]*/)$", not_found),
]
