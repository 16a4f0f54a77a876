from django.urls import path

from tenants import views

app_name = "tenants"
urlpatterns = [
    path("", views.company_list, name="company_list"),
    path("<int:company_id>/", views.company_detail, name="company_detail"),
    path("<int:company_id>/progress.json", views.company_progress, name="company_progress"),
    path("<int:company_id>/status/", views.company_status_change, name="company_status_change"),
]
