from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("overview/", views.overview, name="overview"),
    path("projects/", views.project_totals, name="project_totals"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:application_id>/", views.application_detail,
         name="application_detail"),
    path("applications/<int:application_id>/approve/", views.application_approve,
         name="application_approve"),
    path("applications/<int:application_id>/reject/", views.application_reject,
         name="application_reject"),
    path("applications/<int:application_id>/retry/", views.application_retry,
         name="application_retry"),
    path("applications/<int:application_id>/reinvite/", views.application_reinvite,
         name="application_reinvite"),
    # A panel of the staff company page (tenants:company_detail).
    path("companies/<int:company_id>/admin-invite/", views.company_admin_invite,
         name="company_admin_invite"),
    path("companies/<int:company_id>/admin-invite/again/", views.company_admin_invite_again,
         name="company_admin_invite_again"),
    path("companies/<int:company_id>/handbook/", views.company_handbook,
         name="company_handbook"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>/sponsor/", views.batch_sponsor, name="batch_sponsor"),
    path("batches/<int:batch_id>/issue/<int:company_id>/", views.toolkit_issue,
         name="toolkit_issue"),
    path("batches/<int:batch_id>/handbook/<int:company_id>/", views.toolkit_handbook,
         name="toolkit_handbook"),
    path("batches/<int:batch_id>/handbook/<int:company_id>/status.json",
         views.toolkit_handbook_status, name="toolkit_handbook_status"),
]
