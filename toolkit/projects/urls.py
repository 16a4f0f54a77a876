from django.urls import path

from toolkit.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("sharing/", views.sharing, name="sharing"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/figures/", views.figure_new, name="figure_new"),
    path("<int:project_id>/join/", views.join, name="join"),
    path("<int:project_id>/participants/", views.participant_new, name="participant_new"),
    path("<int:project_id>/report/", views.report_new, name="report_new"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
]
