import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from sites import geography
from sites.compare import COOKIE, MAX_TEXT
from sites.models import Plot

pytestmark = pytest.mark.django_db
URL = reverse("sites:compare")


def plots(count, **filters):
    return list(Plot.objects.published().filter(**filters).order_by("slug")[:count])


def url_of(*plots_):
    return f"{URL}?p={','.join(sorted(p.slug for p in plots_))}"


def test_three_plots_side_by_side(client, demo):
    chosen = plots(3)
    response = client.get(url_of(*chosen))
    assert response.status_code == 200
    html = response.content.decode()
    for plot in chosen:
        assert escape(plot.name) in html
        assert plot.get_absolute_url() in html
    assert [c.plot for c in response.context["columns"]] == chosen
    # One small map per plot, drawn inline without script.
    assert html.count('<svg class="outline-map"') == 3


def test_every_fact_is_a_row_with_a_value_per_plot(client, demo):
    chosen = plots(2)
    rows = [
        row for _, section in client.get(url_of(*chosen)).context["rows"]
        for row in section
    ]  # fmt: skip
    labels = [str(row.label) for row in rows]
    for label in (
        "Surface",
        "Zonage (PLU)",
        "ICPE acceptées",
        "SEVESO accepté",
        "Fibre optique",
        "Embranchement ferroviaire (ITE)",
        "Lille",
        "Paris",
    ):
        assert label in labels, (label, labels)
    assert all(len(row.values) == 2 for row in rows)
    assert len(rows) >= 30


def test_differences_are_highlighted(client, demo):
    a, b = plots(2)
    a.zoning, b.zoning = "UE", "1AUe"
    a.icpe_allowed = b.icpe_allowed = True
    a.save()
    b.save()
    response = client.get(url_of(a, b))
    rows = {
        str(row.label): row
        for _, section in response.context["rows"]
        for row in section
    }
    assert rows["Zonage (PLU)"].differs
    assert not rows["ICPE acceptées"].differs
    html = response.content.decode()
    zoning_row = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\">Zonage \(PLU\).*?</tr>", html, re.S
    )
    assert 'class="differs"' in zoning_row[0]


def test_labour_pool_and_distances_are_those_of_the_plot_page(client, demo):
    a, b = plots(2)
    rows = {
        str(row.label): row
        for _, section in client.get(url_of(a, b)).context["rows"]
        for row in section
    }
    pool_a, pool_b = (geography.labour_pool(p.geom) for p in (a, b))
    assert [
        c.inhabitants for c in rows["Habitants dans un rayon de 20\xa0km"].values
    ] == [
        pool_a[0].inhabitants,
        pool_b[0].inhabitants,
    ]


def test_canonical_order_is_a_redirect(client, demo):
    a, b = plots(2)
    response = client.get(f"{URL}?p={b.slug},{a.slug}")
    assert response.status_code == 302
    assert response["Location"] == url_of(a, b)


def test_the_page_is_not_indexed(client, demo):
    response = client.get(url_of(*plots(1)))
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_query_count_does_not_grow_with_the_plots(client, demo):
    one, four = plots(1), plots(4)
    client.get(url_of(*four))  # spatial references looked up once
    with CaptureQueriesContext(connection) as for_one:
        client.get(url_of(*one))
    with CaptureQueriesContext(connection) as for_four:
        response = client.get(url_of(*four))
    assert len(response.context["columns"]) == 4
    assert len(for_four) == len(for_one) <= 3


@pytest.mark.parametrize(
    "query",
    [
        "p=a,b,c,d,e",
        "p=" + ",".join(f"x{i}" for i in range(500)),
        "p=" + "a" * (MAX_TEXT + 1),
        "p=<script>",
        "p=a&p=b",
        "p=%00",
    ],
)
def test_bad_sets_are_refused_in_words(client, demo, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert COOKIE not in response.cookies


def test_a_duplicated_plot_is_refused(client, demo):
    (plot,) = plots(1)
    response = client.get(f"{URL}?p={plot.slug},{plot.slug}")
    assert response.status_code == 400
    assert "deux fois" in response.content.decode()


def test_unknown_and_unpublished_plots_are_said_and_the_others_shown(client, demo):
    a, b, hidden = plots(3)
    hidden.is_published = False
    hidden.save()
    response = client.get(url_of(a, b, hidden).replace(a.slug, "nowhere"))
    assert response.status_code == 400
    assert [c.plot for c in response.context["columns"]] == [b]
    html = response.content.decode()
    assert "2 terrains de cette comparaison sont inconnus" in html
    assert escape(hidden.name) not in html
    assert response.context["found_url"] == url_of(b)


def test_add_builds_the_set_from_the_cookie(client, demo):
    a, b, c = plots(3)
    for plot, expected in ((c, [c]), (a, [a, c]), (b, [a, b, c]), (a, [a, b, c])):
        response = client.get(URL, {"add": plot.slug})
        assert response.status_code == 302
        assert response["Location"] == url_of(*expected)
        page = client.get(response["Location"])
        assert page.status_code == 200
    assert client.cookies[COOKIE].value == ",".join(p.slug for p in (a, b, c))
    # Without `p`, the page shows the last comparison.
    assert client.get(URL)["Location"] == url_of(a, b, c)


def test_a_fifth_plot_is_refused_and_the_four_stay(client, demo):
    chosen = plots(5)
    client.get(url_of(*chosen[:4]))
    response = client.get(URL, {"add": chosen[4].slug})
    assert response.status_code == 400
    assert len(response.context["columns"]) == 4
    assert "au plus quatre" in response.content.decode()


def test_an_altered_cookie_counts_as_empty(client, demo):
    (plot,) = plots(1)
    client.cookies[COOKIE] = "x,x,<b>"
    response = client.get(URL, {"add": plot.slug})
    assert response["Location"] == url_of(plot)


def test_removing_links_keep_the_others(client, demo):
    a, b = plots(2)
    response = client.get(url_of(a, b))
    removes = [column.remove_url for column in response.context["columns"]]
    assert removes == [url_of(b), url_of(a)]


def test_empty_comparison(client, demo):
    response = client.get(URL, {"p": ""})
    assert response.status_code == 200
    assert "Aucun terrain choisi" in response.content.decode()


@pytest.mark.parametrize(
    "language, words",
    [("en", "Compare plots"), ("nl", "Kavels vergelijken")],
)
def test_the_page_speaks_the_visitors_language(client, demo, language, words):
    url = url_of(*plots(2)).replace("/fr/", f"/{language}/", 1)
    html = client.get(url).content.decode()
    assert words in html


def test_add_links_on_the_search_list_and_plot_page(client, demo):
    html = client.get(reverse("sites:search")).content.decode()
    links = re.findall(r'href="([^"]*\?add=[^"]*)"', html)
    assert links
    slug = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)["add"][0]
    assert Plot.objects.on_offer().filter(slug=slug).exists()
    (plot,) = plots(1)
    html = client.get(plot.get_absolute_url()).content.decode()
    assert f'href="{URL}?add={plot.slug}"' in html


def test_add_plots_from_the_search_goes_back_to_it(client, demo):
    search = reverse("sites:search")
    html = client.get(search, {"surface_min": "5", "rail": "on"}).content.decode()
    link = re.search(r'href="([^"]*\?add=[^"]*)"', html)[1].replace("&amp;", "&")
    page = client.get(client.get(link)["Location"])
    assert page.context["search_url"] == f"{search}?rail=on&surface_min=5"
    assert f'href="{search}?rail=on&amp;surface_min=5"' in page.content.decode()


def test_the_search_kept_holds_only_the_search_s_parameters(client, demo):
    (plot,) = plots(1)
    query = "surface_min=5&next=//evil.example&x=<script>&surface_min=7"
    client.get(URL, {"add": plot.slug, "from": query})
    page = client.get(url_of(plot))
    assert page.context["search_url"] == f"{reverse('sites:search')}?surface_min=7"
    client.cookies["comparison_search"] = '"><script>alert(1)</script>'
    page = client.get(url_of(plot))
    assert page.context["search_url"] == reverse("sites:search")
