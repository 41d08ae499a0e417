"""Pages of the matching domain: the Matches panel, opening a match, staff activity.

Saved searches share the ``/matching/`` prefix (``techex.alerts.urls``, mounted beside these in config/urls.py).
"""

from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("listing/<str:reference_code>/", views.listing_matches, name="listing_matches"),
    path("open/<str:reference_code>/<str:counterpart_code>/", views.match_open, name="open"),
    path("staff/<str:reference_code>/", views.staff_activity, name="staff_activity"),
]
