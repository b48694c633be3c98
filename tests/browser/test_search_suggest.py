"""The search's place filters when there are too many places to list: a text
box whose suggestions come as the visitor types, then a search by the name."""

import re

from playwright.sync_api import expect

from sites import filters
from sites.models import Plot


def test_a_commune_is_suggested_then_searched_by_its_name(browse, monkeypatch):
    monkeypatch.setattr(filters, "CHOICES_LISTED_UP_TO", 20)  # 150 communes
    visit = browse()
    page = visit.page
    visit.goto("/fr/recherche/")
    box = page.locator('input[name="commune"]')
    box.press_sequentially("dour", delay=50)
    suggestion = page.locator("#id_commune-suggestions option")
    expect(suggestion.first).to_have_attribute("value", "62274")
    expect(suggestion.first).to_have_attribute("label", "Dourges")
    box.fill("Dourges")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"commune=Dourges"))
    in_dourges = Plot.objects.on_offer().filter(commune__insee="62274").count()
    heading = page.locator("#results-title")
    expect(heading).to_have_text(f"{in_dourges} terrains")
    results = page.locator("#results li.result")
    expect(results).to_have_count(in_dourges)
    for text in results.all_inner_texts():
        assert "Dourges" in text
    assert not visit.errors
