from django.urls import path

from . import valuation_views, views

app_name = "services"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_requests, name="mine"),
    path("samples/<slug:key>/", views.sample_document, name="sample"),
    path("providers/apply/", views.provider_apply, name="provider_apply"),
    path("providers/<slug:slug>/", views.provider_page, name="provider"),
    path("credentials/<str:token>/", views.credential_file, name="credential_file"),
    path("requests/<str:reference_code>/", views.request_page, name="request"),
    path("requests/<str:reference_code>/reassign/", views.request_reassign, name="request_reassign"),
    path("requests/<str:reference_code>/valuation/", valuation_views.request_valuation, name="request_valuation"),
    path("valuations/<str:token>/", valuation_views.valuation_report, name="valuation_report"),
    path("requests/<str:reference_code>/<slug:action>/", views.request_act, name="request_act"),
    path("files/<str:token>/", views.message_file, name="message_file"),
    path("guest/<str:token>/", views.guest_request, name="guest_request"),
    path("guest/<str:token>/<slug:action>/", views.guest_act, name="guest_act"),
    path("staff/requests/", views.staff_requests, name="staff_requests"),
    path("staff/providers/", views.staff_providers, name="staff_providers"),
    path("staff/providers/<int:pk>/", views.staff_provider_decide, name="staff_provider_decide"),
    path("<slug:code>/", views.category_page, name="category"),
    path("<slug:code>/ask/", views.request_new, name="request_new"),
]
