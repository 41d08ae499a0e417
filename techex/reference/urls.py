from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("wards/", views.ward_options, name="ward_options"),
]
