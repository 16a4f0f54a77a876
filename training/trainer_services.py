"""Staff give trainers their accounts (in the public schema, with the trainer role) and their
batches. A new trainer gets a temporary password shown once to the staff member, and must
choose their own at the first sign-in (accounts.middleware), as an admin's reset does."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import password_generate, user_create
from core.errors import Refused
from core.roles import Role
from core.validators import MOBILE_RE
from training.models import BatchTrainer


class TrainerRefused(Refused):
    """A trainer account staff cannot make as asked; fields name the inputs."""


@transaction.atomic
def trainer_create(*, full_name: str, mobile: str, email: str = "") -> tuple[User, str]:
    """The new trainer and their temporary password (to show once). They sign in with their
    mobile number."""
    mobile = mobile.strip()
    if not MOBILE_RE.match(mobile):
        raise TrainerRefused(code="trainer_mobile_invalid",
                             fields={"mobile": [_("请输入 11 位手机号。")]})
    if User.objects.filter(username=mobile).exists() or User.objects.filter(mobile=mobile).exists():
        raise TrainerRefused(code="trainer_mobile_taken",
                             fields={"mobile": [_("该手机号已有账号。")]})
    password = password_generate()
    try:
        with transaction.atomic():
            user = user_create(username=mobile, password=password, full_name=full_name.strip(),
                               role=Role.TRAINER, mobile=mobile, email=email.strip())
    except IntegrityError as error:  # the same form sent twice at once
        raise TrainerRefused(code="trainer_mobile_taken",
                             fields={"mobile": [_("该手机号已有账号。")]}) from error
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    return user, password


@transaction.atomic
def trainer_batches_set(*, trainer: User, batches) -> None:
    """The trainer's batches become exactly `batches`."""
    if trainer.role != Role.TRAINER:
        raise TrainerRefused(_("只有培训师可以负责批次。"), code="not_a_trainer")
    batches = list(batches)
    BatchTrainer.objects.filter(trainer=trainer).exclude(batch__in=batches).delete()
    for batch in batches:
        BatchTrainer.objects.get_or_create(trainer=trainer, batch=batch)
