from django.urls import path

from . import views_experts as views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="list"),
    path("staff/", views.staff_experts, name="staff_list"),
    path("staff/new/", views.staff_expert_edit, name="staff_new"),
    path("staff/<slug:slug>/", views.staff_expert_edit, name="staff_edit"),
    path("for-need/<str:reference_code>/", views.need_experts, name="need"),
    path("for-deal/<str:reference_code>/", views.deal_experts, name="deal"),
    path("<slug:slug>/", views.expert_page, name="detail"),
    path("<slug:slug>/<slug:action>/", views.expert_act, name="act"),
]
