"""Offline sessions (线下集中培训) on the public side: creating a session, the rotating check-in
code its QR carries, the hand-off token a trainee takes to their own company's site, and the
attendance their company reports back up (docs/decisions/0018-offline-checkin-and-certificates.md).

Two signed tokens, two lifetimes: the QR token proves the trainee is in the room (it rotates
every 30 s and dies after CHECKIN_CODE_MAX_AGE); the hand-off token, minted when the trainee
picks their company, names that company and lives long enough to log in there."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from tenants.models import Company
from training.models import BatchTrainer, OfflineSession, SessionAttendance

QR_SALT = "training.session.qr"
HANDOFF_SALT = "training.session.handoff"
QR_ROTATE_SECONDS = 30
HANDOFF_MAX_AGE = 15 * 60  # time enough to log in (or reset a password) first
# Check-in opens an hour before the session and closes when it ends.
EARLY_CHECKIN = datetime.timedelta(hours=1)


class SessionRefused(Refused):
    """Why a session may not be made, or a trainee may not check in."""


def session_companies(*, session: OfflineSession):
    """The companies whose trainees may check in: those of the session's batch."""
    return Company.objects.filter(enrolment__batch_id=session.batch_id).order_by("name")


@transaction.atomic
def session_create(*, batch, title: str, place: str, starts_at, ends_at, hours, trainer,
                   by, course=None) -> OfflineSession:
    """A trainer makes a session for one of their own batches; staff for any batch and any
    trainer."""
    if not _is_staff(user=by) and (trainer.pk != by.pk or not BatchTrainer.objects.filter(
            batch=batch, trainer=by).exists()):
        raise SessionRefused(_("你只能为自己负责的批次安排培训。"),
                             code="session_batch_not_yours")
    if ends_at <= starts_at:
        raise SessionRefused(fields={"ends_at": [_("结束时间必须晚于开始时间。")]},
                             code="session_ends_before_start")
    return OfflineSession.objects.create(batch=batch, course=course, title=title, place=place,
                                         starts_at=starts_at, ends_at=ends_at, hours=hours,
                                         trainer=trainer)


class _BeatSigner(signing.TimestampSigner):
    """Stamps the start of the current 30-second beat instead of this very second."""

    def __init__(self, *, beat: int):
        super().__init__(salt=QR_SALT)
        self.beat = beat

    def timestamp(self) -> str:
        return signing.b62_encode(self.beat)


def session_qr_token(*, session: OfflineSession, now: float | None = None) -> str:
    """What the QR code shows now. Tokens are minted on a 30-second beat, so every screen of
    the session shows the same code until the next beat, and a code lives at most
    CHECKIN_CODE_MAX_AGE from its beat."""
    now = now if now is not None else timezone.now().timestamp()
    return _BeatSigner(beat=int(now) // QR_ROTATE_SECONDS * QR_ROTATE_SECONDS).sign(
        str(session.pk))


def session_from_qr_token(*, token: str) -> OfflineSession:
    """The session a scanned code is for; refused when the code is forged or stale."""
    pk = _unsign(token, salt=QR_SALT, max_age=settings.CHECKIN_CODE_MAX_AGE)
    session = OfflineSession.objects.filter(pk=pk).select_related("batch").first()
    if session is None:
        raise SessionRefused(_("无效的签到码。"), code="session_token_invalid")
    return session


def session_handoff_token(*, token: str, company: Company) -> str:
    """A scanned code, exchanged for one that names the trainee's company: refused unless the
    code is fresh and the company is in the session's batch."""
    session = session_from_qr_token(token=token)
    if not session_companies(session=session).filter(pk=company.pk).exists():
        raise SessionRefused(_("你的公司不在本次培训的批次中，不能签到。"),
                             code="session_company_outside_batch")
    # "n": each scan's own link, which the company lets check in one person only (a link
    # forwarded to a colleague who is not in the room is refused: toolkit.learning.offline).
    return signing.TimestampSigner(salt=HANDOFF_SALT).sign_object(
        {"s": session.pk, "c": company.schema_name, "n": secrets.token_urlsafe(9)})


def session_from_handoff(*, token: str, company: Company) -> OfflineSession:
    """On the company's site: the session a hand-off token is for, refused when it is stale,
    forged, made for another company, or the company is not (any more) in the batch."""
    try:
        data = signing.TimestampSigner(salt=HANDOFF_SALT).unsign_object(
            token, max_age=HANDOFF_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SessionRefused(_("签到码已过期，请重新扫描屏幕上的二维码。"),
                             code="session_token_expired") from error
    except signing.BadSignature as error:
        raise SessionRefused(_("无效的签到码。"), code="session_token_invalid") from error
    if not isinstance(data, dict) or data.get("c") != company.schema_name:
        raise SessionRefused(_("这个签到码是为另一家公司生成的，请重新扫码并选择你的公司。"),
                             code="session_token_other_company")
    session = OfflineSession.objects.filter(pk=data.get("s")).first()
    if session is None:
        raise SessionRefused(_("无效的签到码。"), code="session_token_invalid")
    if not session_companies(session=session).filter(pk=company.pk).exists():
        raise SessionRefused(_("你的公司不在本次培训的批次中，不能签到。"),
                             code="session_company_outside_batch")
    return session


def session_checkin_window_check(*, session: OfflineSession, now: datetime.datetime) -> None:
    if not session.starts_at - EARLY_CHECKIN <= now <= session.ends_at:
        raise SessionRefused(_("不在签到时间内（培训开始前 1 小时至培训结束）。"),
                             code="session_checkin_closed")


def _unsign(token: str, *, salt: str, max_age: int) -> str:
    try:
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise SessionRefused(_("签到码已过期，请扫描屏幕上最新的二维码。"),
                             code="session_token_expired") from error
    except signing.BadSignature as error:
        raise SessionRefused(_("无效的签到码。"), code="session_token_invalid") from error


@transaction.atomic
def attendance_report(*, session: OfflineSession, company: Company, member_id: int, name: str,
                      branch: str, checked_in_at: datetime.datetime) -> SessionAttendance:
    """A company reports one trainee's check-in up to the trainer's attendance list (the
    company records it first). Reporting twice keeps the first row."""
    attendance, _created = SessionAttendance.objects.get_or_create(
        session=session, company=company, member_id=member_id,
        defaults={"name": name[:50], "branch": branch[:100], "checked_in_at": checked_in_at})
    return attendance


def _is_staff(*, user) -> bool:
    return user.is_incubator_staff or user.is_superuser
