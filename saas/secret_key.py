"""SECRET_KEY without a public default.

Production (HTTPS=1) must be given a strong key in the environment: every web node and worker
needs the same one, and a weak or published key lets anyone forge sessions, invitation links
and check-in codes. Elsewhere an unset key is generated once into DATA_DIR/secret_key and
reused, so a development installation is still safe from a key printed in the source.
"""

import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that were published in this repository: never acceptable in production.
PUBLISHED_KEYS = frozenset({"dev-only-insecure-key-change-me-in-production"})
KEY_FILE_NAME = "secret_key"


def secret_key_is_weak(key: str) -> bool:
    """Django's security.W009 rule, plus keys this repository once published."""
    return (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")
            or key in PUBLISHED_KEYS)


def secret_key_load(*, data_dir: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY", "")
    if production:
        if not key:
            raise ImproperlyConfigured(
                "HTTPS=1 (production) needs SECRET_KEY in the environment: at least 50 random "
                "characters, the same for the web server and the Celery workers. Make one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'")
        if secret_key_is_weak(key):
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak for production (HTTPS=1): it must have at least 50 "
                "characters, 5 of them different, and must not be a key published in this "
                "repository. Make one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(50))'")
        return key
    return key or _key_from_file(Path(data_dir) / KEY_FILE_NAME)


def _key_from_file(path: Path) -> str:
    """Reads the installation's key, making it first if there is none. Race-safe: the web
    server and the workers start together, and they must all end up with the same key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private temporary file (mkstemp: mode 0600), then linked into
        # place: link() fails if the name exists (like O_EXCL), so the first process wins and
        # no process ever reads a half-written key.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(50))
                file.flush()
                os.fsync(file.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it and a new key is made.")
    return key
