"""The search's results: one card per plot, the same in every search that
lists it, kept as shared fragments (core/templatetags/fragments.py)."""

from django import template
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString

from core.templatetags.fragments import fragment_key, shared_fragments

from ..search import page_ids, result_plots

register = template.Library()

# What a kept card holds where its "add to comparison" link names the search
# it was listed in (`from`): each page puts its own there.
FROM_SLOT = "@@search-from@@"


@register.simple_tag(takes_context=True)
def result_cards(context, page, search):
    """The cards of `page`'s plots (their HTML, "" without any), read in one cache round
    trip; the plots of the cards not kept are read in one query, rendered and
    kept until the listings change (per language, and whether a power was
    asked for: the card then says which plots have it on request)."""
    request = context.get("request")
    power_asked = _power_asked(search)

    def render(ids):
        plots = result_plots(ids)
        card = get_template("sites/_result.html")
        values = {"power_asked": power_asked, "from_slot": FROM_SLOT}
        # A plot deleted since its id was read has no card.
        return {pk: card.render({**values, "plot": plots[pk]}) for pk in plots}

    cards = shared_fragments(request, CARD, _keyed(page, search), render)
    query = request.GET.urlencode() if request is not None else ""
    listed_in = f"&amp;from={escape(urlencode(query))}" if query else ""
    # One piece of HTML, each card on its line as the page's template would
    # place it: looping over twenty cards in the template cost 0.04 ms.
    cards = (card.replace(FROM_SLOT, listed_in) for card in cards)
    return SafeString("".join(f"\n        {card}\n      " for card in cards))


CARD = "search-result"


def cards_read_ahead(page, search):
    """The names of `page`'s cards, for {% shared_fragments_read_ahead %}
    (READ_AHEAD_ALSO): read with the page's other fragments, in one round
    trip, rather than in one more of their own."""
    return [fragment_key(CARD, values) for _pk, values in _keyed(page, search)]


def _keyed(page, search):
    # (id, the card's key values) of the page's plots: their ids read once.
    keyed = getattr(page, "_cards_keyed", None)
    if keyed is None:
        power_asked = _power_asked(search)
        keyed = page._cards_keyed = [(pk, (pk, power_asked)) for pk in page_ids(page)]
    return keyed


def _power_asked(search):
    return bool(search.form.cleaned_data.get("power_min_mva"))
