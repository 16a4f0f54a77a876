from django.urls import path

from toolkit.learning import certificates_views

app_name = "certificates"
urlpatterns = [
    path("", certificates_views.certificate_list, name="list"),
    path("<slug:number>.pdf", certificates_views.certificate_download, name="download"),
]
