from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("staff/api-keys/", views.api_keys, name="api_keys"),
    path("staff/api-keys/<int:pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("staff/webhooks/", views.webhook_endpoints, name="webhooks"),
    path("staff/webhooks/<int:pk>/enable/", views.webhook_endpoint_enable, name="webhook_enable"),
]
