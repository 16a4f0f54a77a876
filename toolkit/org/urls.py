from django.urls import path

from toolkit.org import views

app_name = "org"
urlpatterns = [
    path("", views.org_map, name="map"),
    path("members/<int:member_id>/move/", views.member_move, name="move"),
]
