"""Staff shortlists: the private page behind an unguessable link, its
closing (expiry, revocation), its visits, and who may prepare one."""

import base64
import io
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from core.caching import listings_changed
from leads import services, shortlists
from leads.models import (
    SHORTLIST_MAX_PLOTS,
    Lead,
    Shortlist,
    ShortlistPlot,
    ShortlistVisit,
)
from sites.models import Organisation, Plot
from tests.factories import BusinessParkFactory, PlotFactory, staff_user
from tests.leads.admin_forms import change_data

pytestmark = pytest.mark.django_db
CLOSED = "This link is no longer valid"
LONG_AGO = timezone.now() - timedelta(days=4 * 365)
MEMBERS = ["cabbalr", "call", "cahc", "siziaf"]


def a_lead(organisation, **fields):
    return Lead.objects.create(
        **{
            "name": "Jan de Vries",
            "company": "Vries Logistics BV",
            "country": "Netherlands",
            "email": "jan@vries-logistics.nl",
            "language": "nl",
            "project_type": "logistics",
            "timeline": "6-12",
            "message": "5 ha near the A1.",
            "consent_at": timezone.now(),
            "organisation": organisation,
            **fields,
        }
    )


def a_shortlist(plots, *, language="fr", notes=None, **fields):
    """A shortlist of `plots` as the admin saves one, and its link's token."""
    organisation = fields.pop("organisation", None) or plots[0].park.organisation
    shortlist = Shortlist(
        organisation=organisation, investor="Vries Logistics", language=language
    )
    for name, value in fields.items():
        setattr(shortlist, name, value)
    token = shortlists.token_issue(shortlist)
    shortlist.save()
    for position, plot in enumerate(plots):
        note = (notes or {}).get(plot.pk, "")
        ShortlistPlot.objects.create(
            shortlist=shortlist, plot=plot, note=note, position=position
        )
    return shortlist, token


def page_url(token, language="fr"):
    with translation.override(language):
        return reverse("leads:shortlist", args=[token])


def published_plots(count, organisation=None):
    plots = Plot.objects.published().select_related("park__organisation")
    if organisation:
        plots = plots.filter(park__organisation__slug=organisation)
    plots = list(plots.order_by("pk")[:count])
    assert len(plots) == count
    return plots


def test_the_link_carries_at_least_128_random_bits_and_is_stored_only_hashed(
    demo, site_url
):
    shortlist, token = a_shortlist(published_plots(1))
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    other, other_token = a_shortlist(published_plots(1))
    assert other_token != token
    stored = Shortlist.objects.filter(pk=shortlist.pk).values()[0]
    assert token not in str(stored)
    assert stored["token_hash"] == shortlists.token_hash(token)
    url = shortlists.shortlist_url(shortlist, token)
    assert url == f"{site_url}/fr/selection/{token}/"


def test_the_page_shows_the_chosen_published_plots_with_their_notes_only(client, demo):
    chosen = published_plots(3)
    hidden = chosen[2]
    Plot.objects.filter(pk=hidden.pk).update(is_published=False)
    not_chosen = Plot.objects.published().exclude(pk__in=[p.pk for p in chosen])[0]
    notes = {chosen[0].pk: "Close to the A21 <b>exit</b>.", chosen[1].pk: ""}
    shortlist, token = a_shortlist(chosen, notes=notes)

    response = client.get(page_url(token))

    assert response.status_code == 200
    page = response.content.decode()
    assert chosen[0].name in page and chosen[1].name in page
    assert hidden.name not in page
    assert not_chosen.name not in page
    # The note, escaped.
    assert "Close to the A21 &lt;b&gt;exit&lt;/b&gt;." in page
    assert page.index(chosen[0].name) < page.index(chosen[1].name)
    assert "Vries Logistics" in page


def test_the_page_is_private_not_indexed_and_not_cached(client, demo):
    _shortlist, token = a_shortlist(published_plots(1))
    for _ in range(2):  # a second visit is not served from any cache either
        response = client.get(page_url(token))
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in (
            response.content.decode()
        )
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
    assert ShortlistVisit.objects.count() == 2


def test_each_visit_is_recorded_with_its_time_only(client, demo):
    shortlist, token = a_shortlist(published_plots(1))
    before = timezone.now()
    client.get(page_url(token), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Agent/1")
    visit = ShortlistVisit.objects.get()
    assert visit.shortlist == shortlist and visit.kind == "page"
    assert before <= visit.visited_at <= timezone.now()
    stored = str(ShortlistVisit.objects.values()[0])
    assert "203.0.113.9" not in stored and "Agent" not in stored


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_link_is_in_the_investors_language(client, demo, site_url, language):
    shortlist, token = a_shortlist(published_plots(1), language=language)
    url = shortlists.shortlist_url(shortlist, token)
    assert url.startswith(f"{site_url}/{language}/")
    response = client.get(url.removeprefix(site_url))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    with translation.override(language):
        title = translation.gettext("Plots chosen for %(investor)s") % {
            "investor": "Vries Logistics"
        }
    assert title in response.content.decode()
    if language == "nl":  # translated, not the English text
        assert not title.startswith("Plots chosen")


def closed_page(client, token):
    response = client.get(page_url(token))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    # The page names nothing of the shortlist, whichever way it is closed.
    return response.content.decode().replace(f"/{token}/", "/TOKEN/")


def test_expired_revoked_altered_and_unknown_links_get_the_same_page(client, demo):
    plots = published_plots(1)
    expired, expired_token = a_shortlist(
        plots, expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked, revoked_token = a_shortlist(plots)
    _open, open_token = a_shortlist(plots)
    assert client.get(page_url(revoked_token)).status_code == 200
    assert (
        shortlists.shortlists_revoke(queryset=Shortlist.objects.filter(pk=revoked.pk))
        == 1
    )
    altered = open_token[:-1] + ("A" if open_token[-1] != "A" else "B")
    unknown = shortlists.secrets.token_urlsafe(shortlists.TOKEN_BYTES)

    pages = {
        closed_page(client, token)
        for token in (expired_token, revoked_token, altered, unknown, "x", "a" * 300)
    }
    assert len(pages) == 1
    with translation.override("fr"):
        assert translation.gettext(CLOSED) in pages.pop()
    assert "Vries" not in closed_page(client, revoked_token)
    # The PDF is refused alike; no visit is counted for a closed link.
    with translation.override("fr"):
        pdf = reverse("leads:shortlist-pdf", args=[revoked_token])
    assert client.get(pdf).status_code == 404
    assert ShortlistVisit.objects.filter(shortlist=revoked).count() == 1
    assert client.get(page_url(open_token)).status_code == 200


def test_the_pdf_has_one_page_per_published_plot_with_the_notes(client, demo):
    plots = published_plots(2)
    shortlist, token = a_shortlist(plots, notes={plots[1].pk: "Rail siding nearby"})
    with translation.override("fr"):
        url = reverse("leads:shortlist-pdf", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Rail siding nearby" in second
    assert ShortlistVisit.objects.get().kind == "pdf"


def test_past_the_sheets_limit_the_pdf_is_refused(client, demo, settings, monkeypatch):
    # Never kept, a shortlist's PDF is laid out at each download (seconds a
    # sheet): it counts against the plot sheets' limit per client, in a minute
    # the test holds still.
    from core import limits

    monkeypatch.setattr(limits, "clock", lambda: 1_800_000_030.0)
    settings.PLOT_SHEETS_PER_MINUTE = 1
    _shortlist, token = a_shortlist(published_plots(2))
    with translation.override("fr"):
        url = reverse("leads:shortlist-pdf", args=[token])
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30" and "no-store" in refused["Cache-Control"]
    assert "réessayez dans une minute" in refused.content.decode()
    assert ShortlistVisit.objects.count() == 1  # the refusal is no visit
    settings.PLOT_SHEETS_PER_MINUTE = 0
    assert client.get(url).status_code == 200


# The admin.

CHANGELIST = reverse("admin:leads_shortlist_changelist")
ADD = reverse("admin:leads_shortlist_add")


def add_form(organisation, plots, *, lead=None, **fields):
    data = {
        "organisation": organisation.pk,
        "lead": lead.pk if lead else "",
        "investor": "Vries Logistics",
        "language": "nl",
        "expires_at_0": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "expires_at_1": "12:00:00",
        "items-TOTAL_FORMS": str(len(plots)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "visits-TOTAL_FORMS": "0",
        "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0",
        "visits-MAX_NUM_FORMS": "1000",
    }
    for index, plot in enumerate(plots):
        data[f"items-{index}-plot"] = plot.pk
        data[f"items-{index}-note"] = f"Note {index}"
        data[f"items-{index}-position"] = index
    data.update(fields)
    return data


def link_in(response):
    [link] = [
        found.group(1)
        for message in response.context["messages"]
        if (found := re.search(r'href="([^"]+/selection/[^"]+)"', str(message)))
    ]
    return link


def test_a_developer_starts_a_shortlist_from_a_lead_and_gets_its_link_once(
    client, demo, site_url
):
    call = Organisation.objects.get(slug="call")
    lead = a_lead(call)
    client.force_login(staff_user("call"))
    lead_page = client.get(reverse("admin:leads_lead_change", args=[lead.pk]))
    start = f"{ADD}?lead={lead.pk}"
    assert start in lead_page.content.decode()
    initial = client.get(start).context["adminform"].form.initial
    assert initial["lead"] == lead.pk
    assert initial["investor"] == "Vries Logistics BV"
    assert (initial["language"], initial["organisation"]) == ("nl", call.pk)

    plots = published_plots(2, "call")
    response = client.post(start, add_form(call, plots, lead=lead), follow=True)

    assert response.status_code == 200
    shortlist = Shortlist.objects.get()
    assert (shortlist.lead, shortlist.language) == (lead, "nl")
    assert list(shortlist.items.values_list("plot", flat=True)) == [p.pk for p in plots]
    url = link_in(response)
    assert url.startswith(f"{site_url}/nl/selection/")
    assert client.get(url.removeprefix(site_url)).status_code == 200
    # Never shown again.
    change = client.get(reverse("admin:leads_shortlist_change", args=[shortlist.pk]))
    assert url not in change.content.decode()


def test_a_lead_of_another_organisation_prefills_nothing(client, demo):
    foreign = a_lead(Organisation.objects.get(slug="siziaf"))
    client.force_login(staff_user("call"))
    initial = client.get(f"{ADD}?lead={foreign.pk}").context["adminform"].form.initial
    assert "lead" not in initial and "investor" not in initial


def test_a_developer_can_pick_only_their_organisations_plots(client, demo):
    call = Organisation.objects.get(slug="call")
    client.force_login(staff_user("call"))
    form = client.get(ADD).context["inline_admin_formsets"][0].formset.forms[0]
    offered = set(form.fields["plot"].queryset)
    assert offered == set(Plot.objects.filter(park__organisation=call))
    foreign = published_plots(1, "siziaf")
    response = client.post(ADD, add_form(call, foreign))
    assert response.status_code == 200  # the form again, with its error
    assert not Shortlist.objects.exists()
    # Nor can they file one under another organisation.
    siziaf = Organisation.objects.get(slug="siziaf")
    client.post(ADD, add_form(siziaf, published_plots(1, "call")))
    assert not Shortlist.objects.exists()


def test_a_shortlist_is_filed_under_its_lead_s_organisation(client, demo):
    """The PMA may pick any lead, but not file it under an organisation whose
    staff would then read a lead sent to another."""
    call, siziaf = (Organisation.objects.get(slug=s) for s in ("call", "siziaf"))
    lead = a_lead(siziaf)
    client.force_login(staff_user("pma"))
    response = client.post(ADD, add_form(call, published_plots(1, "call"), lead=lead))
    assert response.status_code == 200  # the form again, with its error
    assert set(response.context["adminform"].form.errors) == {"lead"}
    assert not Shortlist.objects.exists()
    client.post(ADD, add_form(siziaf, published_plots(1, "siziaf"), lead=lead))
    assert Shortlist.objects.get().organisation == siziaf


def test_a_shortlist_filed_under_an_agglomeration_holds_its_plots_only(client, demo):
    """Its staff see and edit it: they could not save one holding another
    organisation's plots. The PMA's own shortlists may hold any."""
    call, pma = (Organisation.objects.get(slug=s) for s in ("call", "pma"))
    mixed = published_plots(1, "call") + published_plots(1, "cahc")
    client.force_login(staff_user("pma"))
    response = client.post(ADD, add_form(call, mixed))
    assert response.status_code == 200
    [_ours, theirs] = response.context["inline_admin_formsets"][0].formset.forms
    assert "plot" in theirs.errors
    assert not Shortlist.objects.exists()
    assert client.post(ADD, add_form(pma, mixed)).status_code == 302
    assert Shortlist.objects.get().organisation == pma
    client.force_login(staff_user("call"))
    ours = add_form(call, published_plots(2, "call"))
    assert client.post(ADD, ours).status_code == 302


@pytest.mark.parametrize(
    ("language", "lead_error", "plot_error"),
    [
        (
            "en",
            "This lead was sent to an organisation other than the shortlist's.",
            "This plot is managed by an organisation other than the shortlist's.",
        ),
        (
            "fr",
            "Cette demande a été adressée à un autre organisme que celui de la "
            "sélection.",
            "Ce terrain est géré par un autre organisme que celui de la sélection.",
        ),
    ],
)
def test_another_organisation_s_lead_or_plot_is_refused_in_words(
    client, demo, language, lead_error, plot_error
):
    call, siziaf = (Organisation.objects.get(slug=s) for s in ("call", "siziaf"))
    client.force_login(staff_user("pma"))
    data = add_form(call, published_plots(1, "siziaf"), lead=a_lead(siziaf))
    response = client.post(ADD, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.context["adminform"].form.errors["lead"] == [lead_error]
    [plot_form] = response.context["inline_admin_formsets"][0].formset.forms
    assert plot_form.errors["plot"] == [plot_error]


def test_the_pma_picks_any_plot(client, demo):
    client.force_login(staff_user("pma"))
    form = client.get(ADD).context["inline_admin_formsets"][0].formset.forms[0]
    assert set(form.fields["plot"].queryset) == set(Plot.objects.all())


def snapshot():
    return (
        sorted(
            Shortlist.objects.values_list("pk", "investor", "revoked_at", "token_hash")
        ),
        sorted(ShortlistPlot.objects.values_list("pk", "plot", "note")),
    )


@pytest.mark.parametrize("slug", MEMBERS)
def test_staff_see_and_change_only_their_organisations_shortlists(client, demo, slug):
    made = {member: a_shortlist(published_plots(1, member))[0] for member in MEMBERS}
    own = made[slug]
    foreign = [s for member, s in made.items() if member != slug]
    client.force_login(staff_user(slug))
    before = snapshot()

    assert set(client.get(CHANGELIST).context["cl"].queryset) == {own}
    for shortlist in foreign:
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:leads_shortlist_{view}", args=[shortlist.pk])
            assert client.get(url).status_code in (302, 403, 404), view
        change = reverse("admin:leads_shortlist_change", args=[shortlist.pk])
        client.post(change, add_form(shortlist.organisation, [], investor="Taken"))
        delete = reverse("admin:leads_shortlist_delete", args=[shortlist.pk])
        client.post(delete, {"post": "yes"})
    for action in ("revoke", "new_link", "delete_selected"):
        client.post(
            CHANGELIST,
            {
                "action": action,
                "_selected_action": [s.pk for s in foreign],
                "post": "yes",
            },
        )
    assert snapshot() == before

    # The same actions do work on their own shortlist.
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [own.pk]})
    own.refresh_from_db()
    assert own.revoked_at is not None
    assert all(s.revoked_at is None for s in Shortlist.objects.exclude(pk=own.pk))


def test_revoking_from_the_admin_closes_the_link(client, demo, admin_user):
    shortlist, token = a_shortlist(published_plots(1))
    assert client.get(page_url(token)).status_code == 200
    client.force_login(admin_user)
    client.post(CHANGELIST, {"action": "revoke", "_selected_action": [shortlist.pk]})
    client.logout()
    assert client.get(page_url(token)).status_code == 404


def test_a_new_link_retires_the_previous_one(client, demo, admin_user, site_url):
    shortlist, token = a_shortlist(published_plots(1))
    client.force_login(admin_user)
    response = client.post(
        CHANGELIST,
        {"action": "new_link", "_selected_action": [shortlist.pk]},
        follow=True,
    )
    url = link_in(response)
    assert client.get(page_url(token)).status_code == 404
    assert client.get(url.removeprefix(site_url)).status_code == 200


def test_visits_are_shown_read_only_to_staff(client, demo, admin_user):
    shortlist, token = a_shortlist(published_plots(1))
    client.get(page_url(token))
    client.force_login(admin_user)
    listed = client.get(CHANGELIST).context["cl"].result_list[0]
    assert listed.visit_count == 1
    change = client.get(reverse("admin:leads_shortlist_change", args=[shortlist.pk]))
    visits = [
        f
        for f in change.context["inline_admin_formsets"]
        if f.formset.prefix == "visits"
    ]
    assert not visits[0].has_add_permission and not visits[0].has_change_permission


def test_an_expiry_date_in_the_past_is_a_form_error(client, demo, admin_user):
    client.force_login(admin_user)
    call = Organisation.objects.get(slug="call")
    past = add_form(call, published_plots(1, "call"), expires_at_0="2020-01-01")
    response = client.post(ADD, past)
    assert response.status_code == 200
    assert "expires_at" in response.context["adminform"].form.errors
    assert not Shortlist.objects.exists()


@pytest.mark.parametrize(
    ("days", "saved"), [(365, True), (366, False), (3_000_000, False)]
)
def test_a_link_is_valid_for_a_year_at_most(client, demo, admin_user, days, saved):
    # A link open for ever (31/12/9999) would keep the investor's name online
    # and its shortlist out of the purge.
    client.force_login(admin_user)
    call = Organisation.objects.get(slug="call")
    until = timezone.localdate() + timedelta(days=min(days, 2_900_000))
    form = add_form(
        call,
        published_plots(1, "call"),
        expires_at_0=until.isoformat(),
        expires_at_1="00:00:00",
    )
    response = client.post(ADD, form)
    assert Shortlist.objects.exists() is saved
    if not saved:
        assert response.status_code == 200
        assert "expires_at" in response.context["adminform"].form.errors


def test_the_page_costs_the_same_queries_for_one_plot_or_five(client, demo):
    counts = []
    for size in (1, 5):
        _shortlist, token = a_shortlist(published_plots(size))
        listings_changed()  # the footer's shared fragment built for both
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(token)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_leads_shortlists_are_exported_and_erased_with_it(demo):
    lead = a_lead(Organisation.objects.get(slug="call"))
    shortlist, _token = a_shortlist(
        published_plots(1, "call"), lead=lead, notes={}, investor="Jan de Vries"
    )
    exported = services.person_export(email=lead.email)
    assert '"model": "leads.shortlist"' in exported
    assert '"model": "leads.shortlistplot"' in exported
    assert services.person_erase(email=lead.email) == 1
    assert not Shortlist.objects.exists() and not ShortlistPlot.objects.exists()


@pytest.mark.parametrize("remove", ["erase", "purge"])
def test_the_admin_log_forgets_the_investor_with_the_lead(client, demo, remove):
    # The admin's log names what staff changed: the lead by its company; a
    # shortlist by its number and date, never its investor (a person's name,
    # often), whose entries an erasure could not all find (one deleted in
    # the admin leaves an entry of its own).
    call = Organisation.objects.get(slug="call")
    lead = a_lead(call, company="De Vries Advies")
    other = a_lead(call, email="other@example.com", company="Other BV")
    client.force_login(staff_user("call"))
    for each in (lead, other):
        url = reverse("admin:leads_lead_change", args=[each.pk])
        changed = change_data(each, status="contacted")
        assert client.post(url, changed).status_code == 302
    form = add_form(
        call, published_plots(1, "call"), lead=lead, investor="Jan de Vries"
    )
    assert client.post(ADD, form).status_code == 302
    named = Q(object_repr__contains="De Vries Advies") | Q(
        object_repr__contains="Jan de Vries"
    )
    assert LogEntry.objects.filter(named).count() == 1
    assert LogEntry.objects.filter(content_type__model="shortlist").count() == 1

    if remove == "erase":
        assert services.person_erase(email=lead.email) == 1
    else:
        Lead.objects.filter(pk=lead.pk).update(last_contact_at=LONG_AGO)
        assert services.leads_purge() == 1

    assert not LogEntry.objects.filter(named).exists()
    assert LogEntry.objects.filter(object_repr__contains="Other BV").exists()


def test_the_admin_log_forgets_a_shortlist_without_a_lead_when_it_is_purged(demo):
    shortlist, _token = a_shortlist(published_plots(1, "call"), investor="Jan de Vries")
    LogEntry.objects.log_actions(
        staff_user("call").pk, [shortlist], ADDITION, single_object=True
    )
    Shortlist.objects.filter(pk=shortlist.pk).update(expires_at=LONG_AGO)

    assert services.shortlists_purge() == 1

    assert not LogEntry.objects.filter(object_repr__contains="Jan de Vries").exists()


def test_a_shortlist_holds_at_most_fifty_plots(client, demo):
    """Its page and its PDF, a sheet a plot, stay a few seconds' work: a 51st
    plot is a form error, on a new shortlist as on one being changed."""
    assert SHORTLIST_MAX_PLOTS == 50
    park = BusinessParkFactory()
    plots = [PlotFactory(park=park) for _plot in range(51)]
    pma = Organisation.objects.get(slug="pma")
    client.force_login(staff_user("pma"))

    response = client.post(ADD, add_form(pma, plots))
    assert response.status_code == 200  # the form again, with its error
    formset = response.context["inline_admin_formsets"][0].formset
    assert "au plus 50 terrains" in str(formset.non_form_errors())
    assert "au plus 50 terrains" in response.content.decode()
    assert not Shortlist.objects.exists()

    assert client.post(ADD, add_form(pma, plots[:50])).status_code == 302
    shortlist = Shortlist.objects.get()
    change = reverse("admin:leads_shortlist_change", args=[shortlist.pk])
    form = client.get(change).context["inline_admin_formsets"][0].formset
    assert len(form.forms) == 50  # no blank row offered for a 51st
    data = change_form(shortlist, new=[plots[50]])
    response = client.post(change, data)
    assert response.status_code == 200
    assert "au plus 50 terrains" in response.content.decode()
    assert shortlist.items.count() == 50
    # One taken out, another in: still 50.
    data = change_form(shortlist, new=[plots[50]], delete=[0])
    assert client.post(change, data).status_code == 302
    assert shortlist.items.count() == 50
    assert shortlist.items.filter(plot=plots[50]).exists()


def change_form(shortlist, *, new=(), delete=()):
    """The shortlist's change form as loaded, with `new` plots in added rows
    and the rows at the `delete` positions ticked for deletion."""
    items = list(shortlist.items.order_by("position", "pk"))
    data = add_form(shortlist.organisation, [item.plot for item in items] + list(new))
    data["items-INITIAL_FORMS"] = str(len(items))
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = item.pk
        data[f"items-{index}-shortlist"] = shortlist.pk
        data[f"items-{index}-note"] = item.note
        if index in delete:
            data[f"items-{index}-DELETE"] = "on"
    data["expires_at_0"] = timezone.localtime(shortlist.expires_at).date().isoformat()
    data["expires_at_1"] = timezone.localtime(shortlist.expires_at).strftime("%H:%M:%S")
    return data


def test_staff_are_told_which_chosen_plots_the_investor_will_not_see(client, demo):
    """The page and the PDF leave out what is not published: a plot chosen,
    and maybe given a note, vanished from them without a word to the staff."""
    call = Organisation.objects.get(slug="call")
    shown, draft = published_plots(2, "call")
    draft.is_published = False
    draft.save()
    client.force_login(staff_user("call"))
    response = client.post(ADD, add_form(call, [shown, draft]), follow=True)
    [warning] = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert draft.name in str(warning) and shown.name not in str(warning)

    shortlist = Shortlist.objects.get()
    url = reverse("admin:leads_shortlist_change", args=[shortlist.pk])
    draft.is_published = True
    draft.save()
    data = add_form(call, []) | {"items-TOTAL_FORMS": "0"}
    response = client.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
