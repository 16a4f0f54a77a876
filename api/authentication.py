"""The API's token check: knox's tokens and rules, read in one query.

knox's own TokenAuthentication reads the tokens sharing the token's 15-character key, then
every other token of the same user (to delete the expired ones) on every request, and the
permission check reads the member after it. This reads the token by its digest (the table's
primary key, a SHA-512 of the token: the token itself is never stored) with its user and the
user's member and unit in one query. Expired tokens are still refused (and deleted when they
are used); the sweep of a user's other expired tokens runs at login (api/auth.py), where it
costs one statement per login instead of one per request. Auto-refresh (REST_KNOX) is knox's:
the expiry is written at most once a minute per token."""

import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import knox_settings
from knox.signals import token_expired
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        refused = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            digest = hash_token(token.decode("utf-8"))
        except (TypeError, UnicodeDecodeError, binascii.Error):
            raise refused from None
        # The company's table (its schema): another company's token is no row here.
        found = list(get_token_model().objects.select_related("user", "user__member__unit")
                     .filter(digest=digest))
        if not found:
            raise refused
        auth_token = found[0]
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            raise refused
        if knox_settings.AUTO_REFRESH and auth_token.expiry:
            self.renew_token(auth_token)
        return self.validate_user(auth_token)


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema's description: knox's (the same scheme, knoxApiToken)."""

    target_class = "api.authentication.TokenAuthentication"
