"""Crafted values the admin passed to its queries unchecked: a refusal in words
on every admin, never a server error."""

import pytest
from django.contrib import admin
from django.urls import reverse

from sites.models import BusinessPark, Plot
from tests.factories import staff_user
from tests.sites.test_admin_access import INLINES, change_form_data

pytestmark = pytest.mark.django_db
NO_KEY = "abc"


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def project_admins():
    """Every model admin of the site: the portal's own, Django's users and
    groups, django-axes' (for superusers only)."""
    return list(admin.site._registry.values())


def autocomplete_fields():
    """(model admin, model, field name) of every autocomplete field, inlines'
    included."""
    for model_admin in project_admins():
        for name in model_admin.autocomplete_fields:
            yield model_admin, model_admin.model, name
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                yield model_admin, inline.model, name


EVERY_AUTOCOMPLETE_FIELD = pytest.mark.parametrize(
    "model_admin, model, name",
    list(autocomplete_fields()),
    ids=lambda value: getattr(value, "__name__", str(value)),
)


def management_forms(page):
    return {
        f"{formset.formset.prefix}-{key}": value
        for formset in page.context["inline_admin_formsets"]
        for key, value in formset.formset.management_form.initial.items()
    }


def test_ticked_rows_that_are_no_keys_change_nothing(admin_client, demo):
    """Every admin's actions: a ticked row "abc" was a server error (the
    rows are filtered on it as it comes)."""
    tried = 0
    for model in (model_admin.model for model_admin in project_admins()):
        url = admin_url(model, "changelist")
        page = admin_client.get(url)
        action_form = page.context["action_form"]
        if action_form is None:  # no action offered (read-only lists)
            continue
        actions = [action for action, _label in action_form.fields["action"].choices]
        count = model._default_manager.count()
        for action in filter(None, actions):
            data = {"action": action, "_selected_action": [NO_KEY], "post": "yes"}
            response = admin_client.post(url, data, follow=True)
            assert response.status_code == 200, (model, action)
            assert "Aucun élément n’a été modifié" in response.content.decode()
            assert model._default_manager.count() == count
            tried += 1
    assert tried >= 10


def test_a_developer_ticking_another_organisation_s_plots_and_no_key(client, demo):
    client.force_login(staff_user("call"))
    foreign = Plot.objects.exclude(park__organisation__slug="call").first()
    response = client.post(
        admin_url(Plot, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [foreign.pk, NO_KEY],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Plot.objects.filter(pk=foreign.pk).exists()


@EVERY_AUTOCOMPLETE_FIELD
def test_an_autocomplete_field_given_no_key_is_a_form_error(
    admin_client, demo, model_admin, model, name
):
    """The refused form's page looked the value up again to show it, and
    that lookup was the server error."""
    url = admin_url(model_admin.model, "add")
    page = admin_client.get(url)
    data = management_forms(page)
    if model is model_admin.model:
        field = name
    else:
        prefix = next(
            f.formset.prefix
            for f in page.context["inline_admin_formsets"]
            if f.formset.model is model
        )
        data[f"{prefix}-TOTAL_FORMS"] = 1
        field = f"{prefix}-0-{name}"
    response = admin_client.post(url, data | {field: NO_KEY})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_developer_s_plot_given_a_park_that_is_no_key(client, demo):
    client.force_login(staff_user("call"))
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    url = admin_url(Plot, "change", plot.pk)
    data = change_form_data(client, url) | INLINES | {"park": NO_KEY}
    data["geom"] = plot.geom.transform(4326, clone=True).json
    response = client.post(url, data)
    assert response.status_code == 200
    assert "park" in response.context["adminform"].form.errors
    plot.refresh_from_db()
    assert plot.park.organisation.slug == "call"


@EVERY_AUTOCOMPLETE_FIELD
def test_an_autocomplete_search_with_a_nul_byte_finds_nothing_amiss(
    admin_client, demo, model_admin, model, name
):
    """PostgreSQL refuses a NUL byte in a text: the search sent it there."""
    opts = model._meta
    query = {"app_label": opts.app_label, "model_name": opts.model_name}
    response = admin_client.get(
        reverse("admin:autocomplete"), query | {"field_name": name, "term": "a\x00"}
    )
    assert response.status_code == 200


def test_a_developer_s_park_search_with_a_nul_byte_shows_their_parks(client, demo):
    client.force_login(staff_user("call"))
    query = {"app_label": "sites", "model_name": "plot", "field_name": "park"}
    response = client.get(reverse("admin:autocomplete"), query | {"term": "\x00"})
    offered = {int(result["id"]) for result in response.json()["results"]}
    own = BusinessPark.objects.filter(organisation__slug="call")
    assert offered == set(own.values_list("pk", flat=True))
