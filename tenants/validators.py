"""Rules for a company's slug: it is a subdomain and, with '-' as '_', a schema name."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.schemas import SCHEMA_NAME_RE, is_sql_keyword

RESERVED_SLUGS = frozenset(
    {"www", "admin", "api", "public", "static", "media", "mail", "smtp", "ftp", "app",
     "help", "status", "billing", "incubator", "information_schema"}
)
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


def schema_name_for(slug: str) -> str:
    # Hostnames cannot hold '_' and schema names are safest without '-': the mapping is one-to-one.
    return slug.replace("-", "_")


def validate_company_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s”是系统保留名称，请换一个。"), params={"slug": slug},
                              code="reserved")
    if not SLUG_RE.match(slug) or "--" in slug:
        raise ValidationError(
            _("子域名须为 3–40 位小写字母、数字或连字符，以字母开头，不能以连字符结尾。"),
            code="invalid",
        )
    schema_name = schema_name_for(slug)
    if not SCHEMA_NAME_RE.match(schema_name) or is_sql_keyword(schema_name):
        raise ValidationError(
            _("“%(slug)s”不能用作数据库模式名（不能以 pg- 开头，也不能是 SQL 保留字）。"),
            params={"slug": slug}, code="invalid_schema")
