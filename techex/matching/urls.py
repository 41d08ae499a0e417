"""Pages of the matching domain: saved searches, their alerts and feeds, the Matches panel, staff activity."""

from django.urls import path, re_path

from . import feeds, views

app_name = "matching"

# A saved search's token (secrets.token_urlsafe); anything else is simply not found.
TOKEN = r"(?P<token>[A-Za-z0-9_-]{16,64})"  # noqa: S105 (a pattern, not a secret)
# Ids longer than 18 digits cannot exist (and would overflow SQLite's integers).
ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/new/", views.saved_create, name="saved_create"),
    path("threshold/", views.threshold, name="threshold"),
    re_path(rf"^saved/{ID}/rename/$", views.saved_rename, name="saved_rename"),
    re_path(rf"^saved/{ID}/alerts/$", views.saved_alerts, name="saved_alerts_set"),
    re_path(rf"^saved/{ID}/delete/$", views.saved_delete, name="saved_delete"),
    re_path(rf"^saved/{TOKEN}/$", views.saved_alert_page, name="saved_alerts"),
    re_path(rf"^saved/{TOKEN}/feed/$", feeds.SavedSearchFeed(), name="saved_feed"),
    re_path(rf"^saved/{TOKEN}/unsubscribe/$", views.saved_unsubscribe, name="saved_unsubscribe"),
    path("listing/<str:reference_code>/", views.listing_matches, name="listing_matches"),
    path("open/<str:reference_code>/<str:counterpart_code>/", views.match_open, name="open"),
    path("staff/<str:reference_code>/", views.staff_activity, name="staff_activity"),
]
