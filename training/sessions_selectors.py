"""Reads for offline sessions: which sessions and batches a trainer may see (their own), staff
see all."""

from django.db.models import Count, QuerySet

from accounts.models import Role, User
from training.models import BatchTrainer, OfflineSession, SessionAttendance


def _is_staff(*, user) -> bool:
    return user.is_incubator_staff or user.is_superuser


def sessions_for(*, user) -> QuerySet[OfflineSession]:
    """Sessions the user ran (a trainer), or every session (staff)."""
    sessions = OfflineSession.objects.select_related("batch", "trainer", "course").annotate(
        attendees=Count("attendance"))
    return sessions if _is_staff(user=user) else sessions.filter(trainer=user)


def session_for(*, user, pk: int) -> OfflineSession | None:
    return sessions_for(user=user).filter(pk=pk).first()


def batches_for(*, user) -> QuerySet:
    """The batches a session may be made for: the trainer's own, or all (staff)."""
    batch_model = OfflineSession._meta.get_field("batch").related_model
    if _is_staff(user=user):
        return batch_model.objects.all()
    return batch_model.objects.filter(
        pk__in=BatchTrainer.objects.filter(trainer=user).values("batch_id"))


def trainers_for(*, user) -> QuerySet[User]:
    """Whom a session may name as its trainer: oneself (a trainer), any trainer (staff)."""
    if _is_staff(user=user):
        return User.objects.filter(role=Role.TRAINER, is_active=True).order_by("full_name")
    return User.objects.filter(pk=user.pk)


def attendance_of(*, session: OfflineSession) -> QuerySet[SessionAttendance]:
    return session.attendance.select_related("company").order_by("checked_in_at")
