"""The API's token check: knox's tokens and rules, read once and then remembered.

knox's own TokenAuthentication reads the tokens sharing the token's 15-character key, then
every other token of the same user (to delete the expired ones) on every request, and the
permission check reads the member after it: three queries before the view. Here the token is
found by its digest (the table's primary key, a SHA-512 of the token: the token itself is never
stored), with its user and the user's member and unit in one query, and kept in the default
cache for TOKEN_CACHE_SECONDS under the digest. The cache's keys carry the schema
(django_tenants.cache.make_key), so a token remembered on A's host is nothing on B's.

Forgotten at once (signals below, every process: api/apps.py) when the token is deleted
(logout, log out everywhere, expiry) or saved (its expiry renewed), and when the user or their
member row is saved or deleted (deactivated, role changed, password reset, moved unit). Writes
that send no signal (bulk updates of names or units by the member import) show within
TOKEN_CACHE_SECONDS. The user's password hash is not loaded, so it never reaches the cache.
An expired token is refused (and deleted when used); the sweep of a user's other expired
tokens runs at login (api/auth.py). Auto-refresh is knox's: at most one write a minute."""

import binascii

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from accounts.models import User
from toolkit.org.models import Member

TOKEN_CACHE_SECONDS = 60


def _key(digest: str) -> str:
    return f"api-token:{digest}"


def _token_read(digest: str) -> AuthToken | None:
    found = list(AuthToken.objects.select_related("user", "user__member__unit")
                 .defer("user__password").filter(digest=digest))
    return found[0] if found else None


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        refused = exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            digest = hash_token(token.decode("utf-8"))
        except (TypeError, UnicodeDecodeError, binascii.Error):
            raise refused from None
        auth_token = cache.get(_key(digest))
        if auth_token is None:
            # The company's table (its schema): another company's token is no row here.
            auth_token = _token_read(digest)
            if auth_token is None:
                raise refused
            cache.set(_key(digest), auth_token, TOKEN_CACHE_SECONDS)
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()  # forgotten too (the signal below)
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            raise refused
        if knox_settings.AUTO_REFRESH and auth_token.expiry:
            self.renew_token(auth_token)  # a write (and forgotten) at most once a minute
        return self.validate_user(auth_token)


def tokens_forget(*, digests) -> None:
    """The remembered tokens are read again on their next use (in the current schema): now,
    and again when the transaction commits (a request in between may have remembered the rows
    it read before the change, as billing.entitlements.features_forget does)."""
    keys = [_key(digest) for digest in digests]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _user_tokens_forget(user_id: int) -> None:
    if connection.schema_name == get_public_schema_name():
        return  # the incubator's staff: no API tokens (knox's table is in companies only)
    tokens_forget(digests=AuthToken.objects.filter(user_id=user_id)
                  .values_list("digest", flat=True))


@receiver([post_save, post_delete], sender=AuthToken, dispatch_uid="api.token.forget")
def _token_changed(sender, instance, **kwargs) -> None:
    tokens_forget(digests=[instance.digest])


@receiver([post_save, post_delete], sender=User, dispatch_uid="api.token.user")
def _user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login elsewhere: nothing the token check reads
    _user_tokens_forget(instance.pk)


@receiver([post_save, post_delete], sender=Member, dispatch_uid="api.token.member")
def _member_changed(sender, instance, **kwargs) -> None:
    _user_tokens_forget(instance.user_id)


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema's description: knox's (the same scheme, knoxApiToken)."""

    target_class = "api.authentication.TokenAuthentication"
