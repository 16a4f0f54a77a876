from axes.utils import reset as axes_reset
from django.db import transaction

from accounts.models import Role, User


@transaction.atomic
def user_create(*, username: str, password: str, full_name: str, role: str = Role.MEMBER,
                mobile: str = "", email: str = "") -> User:
    """Creates an account in the current schema (public or a company's)."""
    user = User(username=username, full_name=full_name, role=role, mobile=mobile, email=email,
                is_staff=role == Role.STAFF)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def lockout_clear(*, username: str, ip_address: str) -> int:
    """Lets a locked-out (username, IP) pair try again now; returns the attempts removed."""
    return axes_reset(username=username, ip=ip_address)
