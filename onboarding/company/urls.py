from django.urls import path

from onboarding.company import views

app_name = "setup"
urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation"),
    path("setup/", views.setup_org, name="org"),
    path("setup/units/<int:unit_id>/delete/", views.setup_unit_delete, name="unit_delete"),
    path("setup/members/", views.setup_members, name="members"),
    path("setup/members/template.xlsx", views.roster_template, name="template"),
    path("setup/members/imports/<int:job_id>/", views.import_detail, name="import"),
    path("setup/members/imports/<int:job_id>/progress.json", views.import_progress,
         name="import_progress"),
]
