"""Pages of events (``/events/``; ``/su-kien/`` redirects here)."""

from django.urls import path

from . import b2b_views, staff, views

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
    path("b2b/requests/<int:pk>/<str:action>/", b2b_views.request_action, name="b2b_request_action"),
    path("b2b/meetings/<int:pk>/<str:status>/", b2b_views.meeting_mark, name="b2b_meeting_mark"),
    path("staff/<slug:slug>/b2b/", b2b_views.staff_b2b, name="staff_b2b"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/sessions/<int:pk>/calendar.ics", views.session_calendar, name="session_ics"),
    path("<slug:slug>/b2b/", b2b_views.participants, name="b2b_participants"),
    path("<slug:slug>/b2b/profile/", b2b_views.profile_edit, name="b2b_profile"),
    path("<slug:slug>/b2b/requests/", b2b_views.my_requests, name="b2b_requests"),
    path("<slug:slug>/b2b/request/<int:pk>/", b2b_views.request_new, name="b2b_request_new"),
    path("<slug:slug>/b2b/agenda/", b2b_views.agenda, name="b2b_agenda"),
    path("<slug:slug>/b2b/agenda.ics", b2b_views.agenda_calendar, name="b2b_agenda_ics"),
]
