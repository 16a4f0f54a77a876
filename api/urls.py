"""/api/v1/ on a company's host (included from saas/urls_tenant.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import arena, auth, life, life_admin, mall, me, members, org, points

app_name = "api"
urlpatterns = [
    path("auth/login/", auth.LoginView.as_view(), name="login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth.LogoutAllView.as_view(), name="logoutall"),
    path("me/", me.MeView.as_view(), name="me"),
    path("home/", me.HomeView.as_view(), name="home"),
    path("arena/tasks/", arena.TaskList.as_view(), name="tasks"),
    path("arena/tasks/<int:task_id>/", arena.TaskDetail.as_view(), name="task"),
    path("arena/tasks/<int:task_id>/claim/", arena.TaskClaim.as_view(), name="task_claim"),
    path("arena/claims/", arena.MyClaims.as_view(), name="claims"),
    path("arena/claims/<int:claim_id>/", arena.MyClaim.as_view(), name="claim"),
    path("arena/claims/<int:claim_id>/submit/", arena.ClaimSubmit.as_view(),
         name="claim_submit"),
    path("arena/reviews/", arena.ReviewList.as_view(), name="reviews"),
    path("arena/reviews/<int:claim_id>/", arena.Review.as_view(), name="review"),
    path("points/balance/", points.Balance.as_view(), name="balance"),
    path("points/history/", points.History.as_view(), name="history"),
    path("points/leaderboard/", points.Leaderboard.as_view(), name="leaderboard"),
    path("meetings/", life.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:meeting_id>/", life.MeetingDetail.as_view(), name="meeting"),
    path("meetings/checkin/", life.Checkin.as_view(), name="checkin"),
    path("mall/rewards/", mall.Rewards.as_view(), name="rewards"),
    path("mall/rewards/<int:reward_id>/redeem/", mall.Redeem.as_view(), name="redeem"),
    path("mall/redemptions/", mall.MyRedemptions.as_view(), name="redemptions"),
    # Organisational life, dues and the organisation (H5).
    path("meetings/<int:meeting_id>/leave/", life_admin.LeaveRequestView.as_view(),
         name="meeting_leave"),
    path("meetings/<int:meeting_id>/attendance/", life_admin.AttendanceRecord.as_view(),
         name="meeting_attendance"),
    path("meetings/<int:meeting_id>/minutes/", life_admin.Minutes.as_view(),
         name="meeting_minutes"),
    path("leave/<int:leave_id>/decide/", life_admin.LeaveDecide.as_view(), name="leave_decide"),
    path("dues/mine/", life_admin.MyDues.as_view(), name="dues_mine"),
    path("dues/declare/", life_admin.DuesDeclare.as_view(), name="dues_declare"),
    path("dues/payments/", life_admin.DuesPaymentRecord.as_view(), name="dues_payments"),
    path("dues/behind/", life_admin.DuesBehind.as_view(), name="dues_behind"),
    path("org/tree/", org.OrgTree.as_view(), name="org_tree"),
    # Secretaries' and the admin's endpoints (H6): publishing, members, corrections, the shelf.
    path("arena/tasks/<int:task_id>/close/", arena.TaskClose.as_view(), name="task_close"),
    path("members/", members.Members.as_view(), name="members"),
    path("members/<int:member_id>/", members.MemberDetail.as_view(), name="member"),
    path("members/<int:member_id>/deactivate/", members.MemberDeactivate.as_view(),
         name="member_deactivate"),
    path("members/<int:member_id>/reactivate/", members.MemberReactivate.as_view(),
         name="member_reactivate"),
    path("members/imports/<int:job_id>/", members.MemberImportStatus.as_view(),
         name="member_import"),
    path("points/corrections/", points.Correction.as_view(), name="corrections"),
    path("mall/manage/rewards/", mall.ManagedRewards.as_view(), name="manage_rewards"),
    path("mall/manage/rewards/<int:reward_id>/", mall.ManagedReward.as_view(),
         name="manage_reward"),
    path("mall/manage/redemptions/", mall.ManagedRedemptions.as_view(),
         name="manage_redemptions"),
    path("mall/manage/redemptions/<int:redemption_id>/fulfil/", mall.Fulfil.as_view(),
         name="fulfil"),
    # The schema and its docs page (scripts and styles from /static/: drf-spectacular-sidecar).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
