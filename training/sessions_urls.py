from django.urls import path

from training import sessions_views as views

app_name = "training_sessions"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("<int:session_id>/", views.session_detail, name="detail"),
    path("<int:session_id>/qr.json", views.session_qr, name="qr"),
    path("<int:session_id>/attendance.xlsx", views.attendance_export, name="export"),
]

# The public page a scanned QR code opens (saas/urls_public.py mounts it at the root).
checkin_urlpatterns = [
    path("checkin/<str:token>/", views.checkin, name="training_checkin"),
    path("checkin/<str:token>/<slug:slug>/", views.checkin_company,
         name="training_checkin_company"),
]
