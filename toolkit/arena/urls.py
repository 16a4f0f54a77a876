from django.urls import path

from toolkit.arena import views

app_name = "arena"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_new, name="new"),
    path("review/", views.review_list, name="review"),
    path("claims/<int:claim_id>/review/", views.claim_review, name="claim_review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("<int:task_id>/", views.task_detail, name="detail"),
    path("<int:task_id>/claim/", views.task_claim, name="claim"),
    path("<int:task_id>/close/", views.task_close, name="close"),
]
