"""Pages of the deals domain."""

from django.urls import path

from .files import attachment_download, nda_file_download
from .views import actions, contract, pages, staff

app_name = "deals"

urlpatterns = [
    path("", pages.my_deals, name="mine"),
    path("new/<str:listing_code>/", pages.inquire, name="new"),
    path("staff/", staff.deal_list, name="staff_list"),
    path("staff/nda/", staff.nda_template, name="nda_template"),
    path("files/<str:token>/", attachment_download, name="attachment"),
    path("<str:reference_code>/", pages.detail, name="detail"),
    path("<str:reference_code>/do/<str:action>/", actions.action, name="action"),
    path("<str:reference_code>/close/<str:action>/", actions.close, name="close"),
    path("<str:reference_code>/messages/", actions.post_message, name="message"),
    path("<str:reference_code>/proposals/", actions.propose, name="propose"),
    path("<str:reference_code>/proposals/<str:pk>/<str:action>/", actions.answer_proposal, name="proposal"),
    path("<str:reference_code>/nda/", actions.nda_request, name="nda_request"),
    path("<str:reference_code>/nda/upload/", actions.nda_upload, name="nda_upload"),
    path("<str:reference_code>/nda/file/", nda_file_download, name="nda_file"),
    path("<str:reference_code>/broker/", actions.assign_broker, name="assign_broker"),
    path("<str:reference_code>/contract/", contract.summary_page, name="contract"),
    path("<str:reference_code>/contract.pdf", contract.summary_pdf, name="contract_pdf"),
    path("<str:reference_code>/contract/record/", contract.record, name="contract_record"),
    path("<str:reference_code>/contract/registration/", contract.registration, name="registration"),
]
