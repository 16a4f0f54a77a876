from django.urls import path

from training import certificates_views as views

urlpatterns = [
    path("verify/<slug:number>/", views.verify, name="certificate_verify"),
    path("verify/<slug:number>/revoke/", views.revoke, name="certificate_revoke"),
]
