"""Signed, expiring values bound to the current company's schema: a link or QR code made on
one company's site is worthless on another's (its signature covers the schema name)."""

from django.core import signing
from django.db import connection


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def schema_token(value: int, *, salt: str) -> str:
    return signing.dumps({"v": value, "s": connection.schema_name}, salt=salt)


def schema_token_value(token: str, *, salt: str, max_age: int) -> int:
    """The value signed into `token` on this schema; TokenExpired or TokenInvalid otherwise."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(data, dict) or data.get("s") != connection.schema_name:
        raise TokenInvalid
    return data.get("v")
