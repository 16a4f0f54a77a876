from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.roles import Role


def role_required(*roles: str):
    """Lets in signed-in users with one of `roles`; others log in or get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles and not request.user.is_superuser:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)
company_admin_required = role_required(Role.COMPANY_ADMIN)
# The trainers' workspace (training): central trainers, and staff, who see everything there.
trainer_required = role_required(Role.TRAINER, Role.STAFF)
