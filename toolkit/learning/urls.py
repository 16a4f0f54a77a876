from django.urls import path

from toolkit.learning import (
    offline_lessons_views,
    views,
    views_manage,
    views_member_lessons,
    views_qr,
)

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
    path("course/<int:course_id>/lesson/<int:lesson_id>/save-offline/",
         offline_lessons_views.save, name="save_offline"),
    path("saved/", offline_lessons_views.storage, name="saved"),
    path("saved/sync/", offline_lessons_views.sync, name="offline_sync"),
    path("media/<int:lesson_id>/", views.lesson_media, name="media"),
    path("cover/<int:course_id>/", views.course_cover, name="cover"),
    path("hours/", views_manage.my_hours, name="hours"),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/adopt/<int:course_id>/", views_manage.adopt, name="adopt"),
    path("manage/hours/", views_manage.hours_manage, name="hours_manage"),
    path("manage/hours/export.xlsx", views_manage.hours_export, name="hours_export"),
    path("manage/hours/credit/", views_manage.hours_credit_external, name="hours_credit"),
    # 共享党课 (member lessons) and 扫码党课 (stable QR codes)
    path("shared/", views_member_lessons.library, name="ml_library"),
    path("shared/upload/", views_member_lessons.upload, name="ml_upload"),
    path("shared/review/", views_member_lessons.review_list, name="ml_review"),
    path("shared/lecturer/<int:member_id>/", views_member_lessons.lecturer, name="ml_lecturer"),
    path("shared/<uuid:uid>/", views_member_lessons.lesson_detail, name="ml_lesson"),
    path("shared/<uuid:uid>/review/", views_member_lessons.review, name="ml_review_one"),
    path("shared/<uuid:uid>/heartbeat/", views_member_lessons.heartbeat, name="ml_heartbeat"),
    path("shared/<uuid:uid>/media/", views_member_lessons.media, name="ml_media"),
    path("shared/<uuid:uid>/offer/", views_member_lessons.offer, name="ml_offer"),
    path("shared/<uuid:uid>/qr.pdf", views_qr.member_lesson_sheet, name="ml_qr"),
    path("shared/topic-qr.pdf", views_qr.topic_sheet, name="ml_topic_qr"),
    path("l/<uuid:uid>/", views_qr.stable, name="stable"),
    path("qr/lesson/<uuid:uid>.pdf", views_qr.training_lesson_sheet, name="lesson_qr"),
    path("qr/course/<int:course_id>.pdf", views_qr.course_sheet, name="course_qr"),
]
