from django.urls import path

from toolkit.life import views

app_name = "life"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("settings/", views.life_settings, name="settings"),
    path("dues/", views.dues_page, name="dues"),
    path("dues/manage/", views.dues_manage, name="dues_manage"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("leave/<int:leave_id>/decide/", views.leave_decide, name="leave_decide"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/qr.svg", views.meeting_qr, name="qr"),
    path("<int:meeting_id>/leave/", views.leave, name="leave"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/absences/", views.absences, name="absences"),
    path("<int:meeting_id>/attend/<int:member_id>/", views.attendance_record, name="attend"),
]
