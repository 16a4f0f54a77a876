from django.shortcuts import redirect

# What a user who must change their password may still reach (static files are served before
# this middleware runs; /healthz before anything).
ALLOWED_URL_NAMES = {"password_change", "logout", "set_language"}


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in user whose password an admin reset to the password-change page, from
    every page, until they choose their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated
                or not getattr(user, "must_change_password", False)
                or request.resolver_match.url_name in ALLOWED_URL_NAMES):
            return None
        return redirect("password_change")
