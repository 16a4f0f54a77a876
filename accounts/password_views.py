"""A signed-in user changes their own password (also where an admin's reset leads)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.services import password_change as password_change_service


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = password_change_service(user=request.user,
                                       password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # stay signed in with the new password
        messages.success(request, _("密码已修改。"))
        return redirect("home")
    return render(request, "accounts/password_change.html",
                  {"form": form, "forced": request.user.must_change_password})
