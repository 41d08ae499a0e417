"""Pages of saved searches, their alerts and feeds; mounted under ``/matching/`` (config/urls.py), their first home,
so that the links already sent in e-mails and the feeds people subscribed to keep working."""

from django.urls import path, re_path

from . import feeds, views

app_name = "alerts"

# A saved search's token (secrets.token_urlsafe); anything else is simply not found.
TOKEN = r"(?P<token>[A-Za-z0-9_-]{16,64})"  # noqa: S105 (a pattern, not a secret)
# Ids longer than 18 digits cannot exist (and would overflow SQLite's integers).
ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/new/", views.saved_create, name="saved_create"),
    # The match alert threshold (matching's setting) is a form of the saved-searches page.
    path("threshold/", views.threshold, name="threshold"),
    re_path(rf"^saved/{ID}/rename/$", views.saved_rename, name="saved_rename"),
    re_path(rf"^saved/{ID}/alerts/$", views.saved_alerts, name="saved_alerts_set"),
    re_path(rf"^saved/{ID}/delete/$", views.saved_delete, name="saved_delete"),
    re_path(rf"^saved/{TOKEN}/$", views.saved_alert_page, name="saved_alerts"),
    re_path(rf"^saved/{TOKEN}/feed/$", feeds.SavedSearchFeed(), name="saved_feed"),
    re_path(rf"^saved/{TOKEN}/unsubscribe/$", views.saved_unsubscribe, name="saved_unsubscribe"),
]
