"""Pages of the notifications domain."""

from django.urls import path, re_path

from . import views

app_name = "notifications"

# Ids longer than 18 digits cannot exist (and would overflow SQLite's integers): they are simply not found.
ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(rf"^{ID}/read/$", views.mark_read, name="read"),
    re_path(rf"^{ID}/go/$", views.go, name="go"),
]
