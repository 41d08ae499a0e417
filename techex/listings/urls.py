from django.urls import path

from . import feeds
from .views import io, owner, public, staff

app_name = "listings"

urlpatterns = [
    path("", public.browse, name="browse"),
    path("export.<slug:fmt>", io.export_public, name="export"),
    path("feed/", feeds.NewListingsFeed(), name="feed"),
    path("mine/", owner.my_listings, name="mine"),
    path("new/", owner.create_start, name="create"),
    path("<slug:reference_code>/edit/<slug:step>/", owner.edit_step, name="edit_step"),
    path("<slug:reference_code>/preview/", owner.preview, name="preview"),
    path("<slug:reference_code>/action/<slug:action>/", owner.action, name="action"),
    path("<slug:reference_code>/attachments/", owner.attachments, name="attachments"),
    path("<slug:reference_code>/attachments/<slug:token>/delete/", owner.attachment_delete, name="attachment_delete"),
    path("files/<slug:token>/", public.attachment, name="attachment"),
    path("staff/review/", staff.review_queue, name="review_queue"),
    path("staff/review/<slug:reference_code>/", staff.review, name="review"),
    path("staff/import/", io.import_upload, name="import"),
    path("staff/import/<int:pk>/", io.import_status, name="import_status"),
    path("staff/import/help/", io.import_help, name="import_help"),
    path("<slug:reference_code>/", public.detail, name="detail"),
]
