from django.urls import path

from toolkit.acting import views

app_name = "acting"
urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("apply/", views.apply, name="apply"),
    path("applications/<int:application_id>/decide/", views.decide, name="decide"),
    path("assign/", views.assign, name="assign"),
    path("duty/", views.duty, name="duty"),
]
