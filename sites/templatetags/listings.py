from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_since(moment):
    """Whole days between `moment` and now."""
    return (timezone.now() - moment).days
