from django.urls import path

from techex.departments import views as department_views

from . import departments, views

# The signed-in person's dashboard (/me/) keeps its name, accounts:dashboard, which allauth's redirects, the
# templates and the e-mails use; the page assembles organisations and listings, so it is served from here.
account_urlpatterns = ([path("", views.dashboard, name="dashboard")], "accounts")

# The departments' pages (/departments/): the list is the departments' own; a department's page assembles its
# province's listings and organisations, so it is served from here under the same namespace.
department_urlpatterns = (
    [
        path("", department_views.department_list, name="list"),
        path("<slug:code>/", departments.department_detail, name="detail"),
    ],
    "departments",
)
