from django.urls import path

from toolkit.documents import report_views, views

app_name = "documents"
urlpatterns = [
    path("", views.handbook, name="handbook"),
    path("rerender/", views.handbook_rerender, name="rerender"),
    path("members-edition.pdf", views.handbook_current, name="current"),
    path("<int:render_id>/retry/", views.handbook_retry, name="retry"),
    path("<int:render_id>/progress/", views.handbook_progress, name="progress"),
    path("<int:render_id>/download/", views.handbook_download, name="download"),
    path("meetings/<int:meeting_id>/minutes.pdf", report_views.meeting_minutes,
         name="meeting_minutes"),
    path("points/<int:year>-<int:month>.pdf", report_views.points_report, name="points_report"),
    path("dues/<int:year>.pdf", report_views.dues_statement, name="dues_statement"),
    # Data portability: the company's own data, for its admin.
    path("export/data.xlsx", views.data_export_xlsx, name="data_xlsx"),
    path("export/data.pdf", views.data_export_pdf, name="data_pdf"),
]
