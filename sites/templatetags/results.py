"""The search's results: one card per plot, the same in every search that
lists it, kept as shared fragments (core/templatetags/fragments.py)."""

from django import template
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.templatetags.fragments import shared_fragments

from ..search import page_ids, result_plots

register = template.Library()

# What a kept card holds where its "add to comparison" link names the search
# it was listed in (`from`): each page puts its own there.
FROM_SLOT = "@@search-from@@"


@register.simple_tag(takes_context=True)
def result_cards(context, page, search):
    """The cards of `page`'s plots (a list of HTML), read in one cache round
    trip; the plots of the cards not kept are read in one query, rendered and
    kept until the listings change (per language, and whether a power was
    asked for: the card then says which plots have it on request)."""
    request = context.get("request")
    power_asked = bool(search.form.cleaned_data.get("power_min_mva"))

    def render(ids):
        plots = result_plots(ids)
        card = get_template("sites/_result.html")
        values = {"power_asked": power_asked, "from_slot": FROM_SLOT}
        # A plot deleted since its id was read has no card.
        return {pk: card.render({**values, "plot": plots[pk]}) for pk in plots}

    keyed = [(pk, (pk, power_asked)) for pk in page_ids(page)]
    cards = shared_fragments(request, "search-result", keyed, render)
    query = request.GET.urlencode() if request is not None else ""
    listed_in = f"&amp;from={escape(urlencode(query))}" if query else ""
    return [mark_safe(card.replace(FROM_SLOT, listed_in)) for card in cards]
