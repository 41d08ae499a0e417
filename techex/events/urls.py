"""Pages of events (``/events/``; ``/su-kien/`` redirects here)."""

from django.urls import path

from . import staff, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("mine/", views.my_registrations, name="mine"),
    path("mine/<int:pk>/cancel/", views.my_registration_cancel, name="mine_cancel"),
    path("mine/<int:pk>/qr.png", views.my_registration_qr, name="mine_qr"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("staff/", staff.event_list, name="staff_list"),
    path("staff/new/", staff.event_new, name="staff_new"),
    path("staff/registrations/<int:pk>/<str:action>/", staff.registration_action, name="staff_registration_action"),
    path("staff/<slug:slug>/", staff.event_manage, name="staff_event"),
    path("staff/<slug:slug>/publish/", staff.event_publish, name="staff_publish"),
    path("staff/<slug:slug>/cancel/", staff.event_cancel, name="staff_cancel"),
    path("staff/<slug:slug>/sessions/", staff.session_new, name="staff_session_new"),
    path("staff/<slug:slug>/sessions/<int:pk>/", staff.session_edit, name="staff_session"),
    path("staff/<slug:slug>/sessions/<int:pk>/delete/", staff.session_delete, name="staff_session_delete"),
    path("staff/<slug:slug>/registrations/", staff.registration_list, name="staff_registrations"),
    path("staff/<slug:slug>/message/", staff.message_registrants, name="staff_message"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/sessions/<int:pk>/calendar.ics", views.session_calendar, name="session_ics"),
]
