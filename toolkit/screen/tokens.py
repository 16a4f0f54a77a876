"""Display tokens as strings: 256 random bits, kept only as their SHA-256."""

import hashlib
import secrets


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
