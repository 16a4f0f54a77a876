from django.urls import path

from toolkit.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_new, name="new"),
    path("nominations/", views.nomination_list, name="nominations"),
    path("nominations/<int:nomination_id>/decide/", views.nomination_decide,
         name="nomination_decide"),
    path("<int:group_id>/", views.group_detail, name="detail"),
    path("<int:group_id>/follow/", views.follow, name="follow"),
    path("<int:group_id>/nominate/", views.nominate, name="nominate"),
    path("<int:group_id>/works/new/", views.work_new, name="work_new"),
    path("works/<int:work_id>/file/", views.work_file, name="work_file"),
]
