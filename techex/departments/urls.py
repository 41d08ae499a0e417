from django.urls import path

from . import public_views, views

app_name = "departments"

urlpatterns = [
    path("", views.department_list, name="list"),
    path("<slug:code>/", public_views.department_detail, name="detail"),
]
