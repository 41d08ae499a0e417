from django.urls import path

from . import views

# The signed-in person's dashboard (/me/) keeps its name, accounts:dashboard, which allauth's redirects, the
# templates and the e-mails use; the page assembles organisations and listings, so it is served from here.
account_urlpatterns = ([path("", views.dashboard, name="dashboard")], "accounts")
