from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Fen as yuan: 99900 -> "999.00"."""
    return f"{Decimal(int(fen or 0)) / 100:.2f}"


@register.filter
def megabytes(size) -> str:
    return f"{int(size or 0) / 2**20:.1f}"


@register.filter
def feature_labels(features) -> str:
    """A plan's features by their names, in the order Feature lists them."""
    from billing.models import Feature

    return "、".join(str(label) for value, label in Feature.choices if value in (features or []))
