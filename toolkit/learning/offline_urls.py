from django.urls import path

from toolkit.learning import offline_views

app_name = "offline"
urlpatterns = [
    path("checkin/<str:token>/", offline_views.checkin, name="checkin"),
]
