"""The search form's fields, each kept as a shared fragment for its value
(core/templatetags/fragments.py): a new search renders only the fields it
sets, the others being the same in every search that leaves them empty."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.templatetags.fragments import shared_fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def search_fields(context, search):
    """The fields of `search`'s form as HTML: read in one cache round trip,
    those not kept rendered and kept until the listings change (a place's
    choices follow them), per language. A form with errors is rendered
    whole, for this search only: its fields say what is wrong."""
    field_template = get_template("sites/_search_field.html")

    def render(fields):
        return {field: field_template.render({"field": field}) for field in fields}

    fields = list(search.form)
    if search.form.errors:
        html = render(fields).values()
    else:
        keyed = [(field, (field.name, field.value())) for field in fields]
        html = shared_fragments(context.get("request"), "search-field", keyed, render)
    return mark_safe("\n    ".join(html))
