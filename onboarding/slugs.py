"""A company's subdomain suggested from its Chinese name: 云集示范 → yunjishifan."""

import re

from pypinyin import lazy_pinyin

from tenants.models import Company
from tenants.schemas import schema_exists
from tenants.validators import RESERVED_SLUGS, schema_name_for

COMPANY_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "公司")


def slug_suggest(name: str) -> str:
    base = name.strip()
    for suffix in COMPANY_SUFFIXES:
        base = base.removesuffix(suffix)
    letters = re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(base or name)).lower()).strip("-")
    letters = re.sub(r"^[^a-z]+", "", letters)[:36].strip("-") or "company"
    if len(letters) < 3:
        letters = f"{letters}-co"
    candidate, n = letters, 1
    while _taken(candidate):
        n += 1
        candidate = f"{letters}-{n}"
    return candidate


def _taken(slug: str) -> bool:
    return (slug in RESERVED_SLUGS or Company.objects.filter(slug=slug).exists()
            or schema_exists(schema_name_for(slug)))
