from django.urls import path

from .views import io, owner, public, staff

app_name = "listings"

urlpatterns = [
    path("", public.browse, name="browse"),
    path("export.<str:fmt>", io.export_public, name="export"),
    path("mine/", owner.my_listings, name="mine"),
    path("new/", owner.create_start, name="create"),
    path("<str:reference_code>/edit/<str:step>/", owner.edit_step, name="edit_step"),
    path("<str:reference_code>/preview/", owner.preview, name="preview"),
    path("<str:reference_code>/action/<str:action>/", owner.action, name="action"),
    path("<str:reference_code>/attachments/", owner.attachments, name="attachments"),
    path("<str:reference_code>/attachments/<str:token>/delete/", owner.attachment_delete, name="attachment_delete"),
    path("files/<str:token>/", public.attachment, name="attachment"),
    path("staff/review/", staff.review_queue, name="review_queue"),
    path("staff/review/<str:reference_code>/", staff.review, name="review"),
    path("staff/import/", io.import_upload, name="import"),
    path("staff/import/<int:pk>/", io.import_status, name="import_status"),
    path("<str:reference_code>/", public.detail, name="detail"),
]
