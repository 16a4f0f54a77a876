from django.urls import path

from toolkit.org import activation_views
from toolkit.org import member_views as views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("audit/", views.audit, name="audit"),
    path("activation/", activation_views.activation_overview, name="activation"),
    path("activation/invite/", activation_views.activation_invite, name="activation_invite"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/password/", views.member_password_reset, name="password_reset"),
    path("<int:member_id>/deactivate/", views.member_deactivate, name="deactivate"),
    path("<int:member_id>/reactivate/", views.member_reactivate, name="reactivate"),
]
