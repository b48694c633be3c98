"""The search's results: one card per plot, the same in every search that
lists it, kept as shared fragments (core/templatetags/fragments.py)."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import urlencode
from django.template.defaulttags import querystring
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

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

    keyed, keys = _keyed(page, search)
    cards = shared_fragments(request, CARD, keyed, render, keys=keys)
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
    return _keyed(page, search)[1]


def _keyed(page, search):
    # (id, the card's key values) of the page's plots, and the cards' names:
    # their ids read once, their names made once (twenty hashes).
    keyed = getattr(page, "_cards_keyed", None)
    if keyed is None:
        power_asked = _power_asked(search)
        keyed = [(pk, (pk, power_asked)) for pk in page_ids(page)]
        keys = [fragment_key(CARD, values) for _pk, values in keyed]
        keyed = page._cards_keyed = (keyed, keys)
    return keyed


def _power_asked(search):
    return bool(search.form.cleaned_data.get("power_min_mva"))


# The results' heading and page links are written here rather than by the
# page's template: their nodes (two `with`, a plural `blocktranslate` for the
# count, two `querystring`) were some 0.1 ms of every search built, for
# text made of a few numbers. The same bytes: the messages are the
# template's, the values escaped and the translations not, as a template's
# {% translate "literal" %} and {% blocktranslate %} leave them.


@register.simple_tag
def results_heading(page):
    """The results' <h2>: how many plots, "about" when estimated."""
    paginator = page.paginator
    count = paginator.count
    if paginator.estimated:
        text = ngettext("about %(shown)s plot", "about %(shown)s plots", count)
    else:
        text = ngettext("%(shown)s plot", "%(shown)s plots", count)
    text %= {"shown": escape(intcomma(count))}
    return SafeString(f'\n      <h2 id="results-title">{text}</h2>\n      ')


@register.simple_tag(takes_context=True)
def results_pages(context, page):
    """What the pages list when they do not list every result, and the links
    to the previous and next pages with which page this is (on several)."""
    note = ""
    if page.paginator.truncated:
        note = gettext(
            "The pages list the first %(listed)s plots: add a filter to see the others."
        ) % {"listed": escape(intcomma(page.paginator.listed))}
        note = f'\n      <p class="results-note">{note}</p>\n      '
    return SafeString(note + "\n      " + _page_links(context, page))


def _page_links(context, page):
    if not page.has_other_pages():
        return ""
    # A template's {% translate "literal" %} is not escaped: neither here.
    label = gettext("Pages of results")
    previous = following = ""
    # At the list, not the page's top: on a phone the filters and the map
    # come first, and the next page's first result would be screens down.
    if page.has_previous():
        there = escape(querystring(context, page=page.previous_page_number()))
        previous = f'<a href="{there}#results" rel="prev">{gettext("Previous")}</a>'
    if page.has_next():
        there = escape(querystring(context, page=page.next_page_number()))
        following = f'<a href="{there}#results" rel="next">{gettext("Next")}</a>'
    where = gettext("Page %(number)s of %(total)s") % {
        "number": escape(localize(page.number)),
        "total": escape(localize(page.paginator.num_pages)),
    }
    return SafeString(
        f'\n      <nav aria-label="{label}" class="pagination">\n        {previous}'
        f"\n        <span>{where}</span>\n        {following}\n      </nav>\n      "
    )
