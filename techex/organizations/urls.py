from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("staff/verification/", views.verification_queue, name="verification_queue"),
    path("staff/verification/<slug:slug>/", views.verification_decide, name="verification_decide"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/edit/", views.organization_edit, name="edit"),
    path("<slug:slug>/members/", views.organization_members, name="members"),
]
