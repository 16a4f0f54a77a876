"""党员之星 on pages rendered by modules below indices (the admin's member page in org, the
member's own account page in accounts): the template asks, so they never import indices."""

from django import template
from django.db import connection
from django_tenants.utils import get_public_schema_name

from toolkit.indices import selectors
from toolkit.org.selectors import member_for_user

register = template.Library()


@register.simple_tag
def star_quarters(member=None, user=None) -> list[str]:
    """The quarters `member` (or the member `user` is, in this company) was 党员之星; none in
    public, where no company's indices are."""
    if connection.schema_name == get_public_schema_name():
        return []
    if member is None and user is not None and user.is_authenticated:
        member = member_for_user(user=user)
    return selectors.star_quarters_of(member=member) if member is not None else []
