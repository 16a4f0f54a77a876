"""Who may do what on a company's site: members, unit managers (secretaries), the admin."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from toolkit.org.selectors import managed_unit_ids, manages_any_unit, member_for_user


def member_required(view):
    """A signed-in member: `request.member` is their Member row."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.member = member_for_user(user=request.user)
        if request.member is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def company_user_required(view):
    """Anyone signed in to this company's site (members and the admin): pages that are
    "visible to everyone, at any time". `request.member` may be None (the admin)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.member = member_for_user(user=request.user)
        return view(request, *args, **kwargs)

    return wrapped


def manager_required(view):
    """The admin or a secretary (the rule `manages_any_unit`): `request.managed` lists the
    unit ids they run, for the page to limit its queries and choices to."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not manages_any_unit(user=request.user):
            raise PermissionDenied
        request.managed = managed_unit_ids(user=request.user)
        request.member = member_for_user(user=request.user)
        return view(request, *args, **kwargs)

    return wrapped
