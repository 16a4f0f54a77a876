from django.urls import path

from toolkit.learning import views, views_manage

app_name = "learning"
urlpatterns = [
    path("", views.my_courses, name="mine"),
    path("course/<int:course_id>/", views.course_detail, name="course"),
    path("course/<int:course_id>/lesson/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("course/<int:course_id>/lesson/<int:lesson_id>/heartbeat/", views.heartbeat,
         name="heartbeat"),
    path("course/<int:course_id>/lesson/<int:lesson_id>/exam/start/", views.exam_start,
         name="exam_start"),
    path("course/<int:course_id>/lesson/<int:lesson_id>/exam/<int:attempt_id>/submit/",
         views.exam_submit, name="exam_submit"),
    path("media/<int:lesson_id>/", views.lesson_media, name="media"),
    path("cover/<int:course_id>/", views.course_cover, name="cover"),
    path("hours/", views_manage.my_hours, name="hours"),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/adopt/<int:course_id>/", views_manage.adopt, name="adopt"),
    path("manage/hours/", views_manage.hours_manage, name="hours_manage"),
    path("manage/hours/export.xlsx", views_manage.hours_export, name="hours_export"),
    path("manage/hours/credit/", views_manage.hours_credit_external, name="hours_credit"),
]
