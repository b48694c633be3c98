"""The access matrix: staff of each organisation against the others' listings."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from sites.models import BusinessPark, Organisation, Plot
from sites.staff import DEVELOPER_GROUP
from tests.factories import staff_user, view_only_staff

pytestmark = pytest.mark.django_db
MEMBERS = ["cabbalr", "call", "cahc", "siziaf"]


def snapshot():
    return (
        sorted(Plot.objects.values_list("pk", "name", "park_id", "is_published")),
        sorted(BusinessPark.objects.values_list("pk", "name", "organisation_id")),
        sorted(Organisation.objects.values_list("pk", "name", "description")),
    )


def change_form_data(client, url):
    form = client.get(url).context["adminform"].form
    return {key: value for key, value in form.initial.items() if value is not None}


INLINES = {"photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0}


def superuser_form_data(superuser, obj):
    """What the superuser's change form for `obj` holds, built as the change
    view builds it (its ModelAdmin's form on the instance) without rendering
    the page: the matrix below would otherwise render a hundred admin pages."""
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site.get_model_admin(type(obj))
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    return {key: value for key, value in form.initial.items() if value is not None}


def valid_change(superuser, obj, geometry_field):
    """A complete, valid change form for `obj` (as the superuser sees it), with
    its name changed: refused only if the scoping refuses it."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    data = superuser_form_data(superuser, obj) | INLINES
    data |= {"plots-TOTAL_FORMS": 0, "plots-INITIAL_FORMS": 0, "name": "Taken"}
    geometry = getattr(obj, geometry_field).transform(4326, clone=True)
    data[geometry_field] = geometry.json
    return url, data


@pytest.mark.parametrize("slug", MEMBERS)
def test_staff_see_and_change_only_their_own_listings(
    client, admin_client, admin_user, demo, slug
):
    user = staff_user(slug)
    client.force_login(user)
    own_plots = Plot.objects.filter(park__organisation__slug=slug)
    foreign_plots = Plot.objects.exclude(park__organisation__slug=slug)
    foreign_parks = BusinessPark.objects.exclude(organisation__slug=slug)
    assert own_plots.exists() and foreign_plots.exists()
    plot_posts = [valid_change(admin_user, p, "geom") for p in foreign_plots]
    park_posts = [valid_change(admin_user, p, "perimeter") for p in foreign_parks]
    before = snapshot()

    listed = client.get(reverse("admin:sites_plot_changelist")).context["cl"]
    assert set(listed.queryset) == set(own_plots)
    listed = client.get(reverse("admin:sites_businesspark_changelist")).context["cl"]
    assert set(listed.queryset) == set(
        BusinessPark.objects.filter(organisation__slug=slug)
    )

    for model, objects in (("plot", foreign_plots), ("businesspark", foreign_parks)):
        for obj in objects:
            for view in ("change", "delete", "history"):
                url = reverse(f"admin:sites_{model}_{view}", args=[obj.pk])
                assert client.get(url).status_code in (302, 403, 404), (view, obj)
            url = reverse(f"admin:sites_{model}_delete", args=[obj.pk])
            client.post(url, {"post": "yes"})
    for url, data in plot_posts + park_posts:
        client.post(url, data)
    for organisation in Organisation.objects.exclude(slug=slug):
        url = reverse("admin:sites_organisation_change", args=[organisation.pk])
        assert client.get(url).status_code in (302, 403, 404)
        client.post(url, {"description_fr": "Taken"})

    # Bulk delete with foreign ids in the POST.
    client.post(
        reverse("admin:sites_plot_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in foreign_plots],
            "post": "yes",
        },
    )
    assert snapshot() == before
    # The same forms do change the listings when the scope allows it.
    for url, data in (plot_posts[0], park_posts[0]):
        assert admin_client.post(url, data).status_code == 302
    assert Plot.objects.filter(name="Taken").exists()
    assert BusinessPark.objects.filter(name="Taken").exists()


@pytest.mark.parametrize("slug", MEMBERS)
def test_autocomplete_offers_only_own_parks(client, demo, slug):
    client.force_login(staff_user(slug))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "sites", "model_name": "plot", "field_name": "park", "term": ""},
    )
    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered == set(
        BusinessPark.objects.filter(organisation__slug=slug).values_list(
            "pk", flat=True
        )
    )


LISTS = {
    "admin:sites_plot_changelist": "park__organisation",
    "admin:sites_businesspark_changelist": "organisation",
    "admin:leads_lead_changelist": "organisation",
    "admin:leads_shortlist_changelist": "organisation",
}


def organisations_offered(client, changelist, path):
    """The keys of the organisations a changelist's filter offers (none: no
    such filter, which the admin leaves out when it has one choice only)."""
    filters = client.get(reverse(changelist)).context["cl"].filter_specs
    specs = [spec for spec in filters if getattr(spec, "field_path", "") == path]
    return {pk for spec in specs for pk, _name in spec.lookup_choices}


@pytest.mark.parametrize("slug", MEMBERS)
def test_the_organisation_filter_offers_only_organisations_in_scope(client, demo, slug):
    """An agglomeration's staff were offered every organisation to filter on,
    each but their own showing an empty list; with their own alone, the
    filter is left out."""
    client.force_login(staff_user(slug))
    for changelist, path in LISTS.items():
        assert organisations_offered(client, changelist, path) == set(), changelist


def test_the_pma_filters_on_every_organisation_with_listings(client, demo):
    client.force_login(staff_user("pma"))
    path = LISTS["admin:sites_plot_changelist"]
    offered = organisations_offered(client, "admin:sites_plot_changelist", path)
    assert offered == set(Plot.objects.values_list("park__organisation", flat=True))
    assert len(offered) >= 4


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_view_on_site_leads_only_to_own_listings(client, admin_client, demo):
    """An id typed into the admin's "View on site" address names no other
    organisation's listing (its address gives its name away, unpublished or
    not)."""
    client.force_login(staff_user("call"))
    foreign_plot = Plot.objects.exclude(park__organisation__slug="call").first()
    foreign_park = BusinessPark.objects.exclude(organisation__slug="call").first()
    Plot.objects.filter(pk=foreign_plot.pk).update(is_published=False)
    own_plot = Plot.objects.filter(park__organisation__slug="call").first()
    for foreign in (foreign_plot, foreign_park):
        response = client.get(view_on_site(foreign))
        assert response.status_code == 404, foreign
        assert foreign.slug not in response.get("Location", "")
    response = client.get(view_on_site(own_plot))
    assert response.status_code == 302
    assert response["Location"].endswith(own_plot.get_absolute_url())
    response = admin_client.get(view_on_site(foreign_plot))
    assert response["Location"].endswith(foreign_plot.get_absolute_url())
    assert client.get(f"{view_on_site(own_plot)[:-1]}x/").status_code == 404


def test_a_crafted_post_cannot_move_a_plot_to_another_organisation(client, demo):
    client.force_login(staff_user("call"))
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    foreign_park = BusinessPark.objects.filter(organisation__slug="cabbalr").first()
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    data = change_form_data(client, url) | {
        "park": foreign_park.pk,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    data["geom"] = plot.geom.transform(4326, clone=True).json
    response = client.post(url, data)
    assert response.status_code == 200
    assert "park" in response.context["adminform"].form.errors
    plot.refresh_from_db()
    assert plot.park.organisation.slug == "call"


def test_a_crafted_post_cannot_create_a_park_for_another_organisation(client, demo):
    client.force_login(staff_user("cahc"))
    before = BusinessPark.objects.count()
    response = client.post(
        reverse("admin:sites_businesspark_add"),
        {"name": "Intrus", "slug": "intrus", "organisation": Organisation.objects.get(
            slug="siziaf").pk},
    )  # fmt: skip
    assert "organisation" in response.context["adminform"].form.errors
    assert BusinessPark.objects.count() == before


def test_pma_staff_see_everything(client, demo):
    client.force_login(staff_user("pma"))
    listed = client.get(reverse("admin:sites_plot_changelist")).context["cl"]
    assert set(listed.queryset) == set(Plot.objects.all())


def test_staff_without_organisation_see_nothing(client, demo):
    user = User.objects.create_user("orphan", is_staff=True)
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    client.force_login(user)
    response = client.get(reverse("admin:sites_plot_changelist"))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert not response.context["cl"].queryset.exists()


def test_only_superusers_manage_memberships(client, demo):
    client.force_login(staff_user("pma"))
    url = reverse("admin:sites_staffmembership_changelist")
    assert client.get(url).status_code == 403


def change_page(listing):
    opts = listing._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_change"
    return reverse(name, args=[listing.pk])


def call_listing(model):
    path = "organisation" if model is BusinessPark else "park__organisation"
    return model.objects.filter(**{f"{path}__slug": "call"}).first()


def hidden(listing):
    """`listing` off the portal: unpublished, or, a plot, its park."""
    if isinstance(listing, Plot):
        BusinessPark.objects.filter(pk=listing.park_id).update(is_published=False)
    else:
        type(listing).objects.filter(pk=listing.pk).update(is_published=False)


@pytest.mark.parametrize("model", [Plot, BusinessPark])
def test_view_on_site_leads_an_unpublished_listing_to_its_preview(client, demo, model):
    """Hidden for unpublished listings while their page was a 404 for staff
    too, it leads to the page's preview (sites/previews.py)."""
    client.force_login(staff_user("call"))
    listing = call_listing(model)
    assert view_on_site(listing) in client.get(change_page(listing)).content.decode()
    hidden(listing)
    assert view_on_site(listing) in client.get(change_page(listing)).content.decode()
    response = client.get(view_on_site(listing), follow=True)
    assert response.redirect_chain[-1][0].endswith(listing.get_absolute_url())
    assert "Aperçu\xa0: cette fiche n’est pas publiée" in response.content.decode()


@pytest.mark.parametrize("model", [Plot, BusinessPark])
def test_view_on_site_is_not_offered_where_it_would_lead_to_a_404(client, demo, model):
    """Staff who may only view a listing see no preview of it: for them the
    link goes on leading to its public page, while there is one."""
    client.force_login(view_only_staff("call"))
    listing = call_listing(model)
    assert view_on_site(listing) in client.get(change_page(listing)).content.decode()
    hidden(listing)
    page = client.get(change_page(listing))
    assert page.status_code == 200
    assert view_on_site(listing) not in page.content.decode()


def test_plots_are_filtered_by_park_among_the_staff_member_s_own(client, demo):
    """A developer looks for the plots of one of their parks: the list had no
    park filter; it names theirs, no other organisation's."""
    client.force_login(staff_user("call"))
    changelist = "admin:sites_plot_changelist"
    offered = organisations_offered(client, changelist, "park")
    own = Plot.objects.filter(park__organisation__slug="call")
    assert offered == set(own.values_list("park", flat=True))
    park = own.first().park
    listed = client.get(reverse(changelist), {"park__id__exact": park.pk})
    assert set(listed.context["cl"].queryset) == set(park.plots.all())


@pytest.mark.parametrize("typed", ["12,5", "12.5"])
def test_staff_type_figures_with_a_decimal_comma(admin_client, admin_user, demo, typed):
    """The admin's figures were number inputs, which drop a typed comma in
    Chromium: "12,5" €/m² was saved as 125."""
    plot = Plot.objects.filter(price_per_m2__isnull=False).first()
    url, data = valid_change(admin_user, plot, "geom")
    data |= {"price_per_m2": typed, "name": plot.name}
    page = admin_client.get(url).content.decode()
    assert re.search(
        r'<input type="text" name="price_per_m2"[^>]*inputmode="decimal"', page
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plot.refresh_from_db()
    assert plot.price_per_m2 == Decimal("12.5")


def test_the_territory_has_one_metropolitan_pole(admin_client, demo):
    """Its staff see everything: a second one, added in the admin, would be one
    membership away from another organisation's staff seeing everything."""
    client = admin_client
    before = Organisation.objects.count()
    form = {
        "slug": "pole-bis",
        "name": "Pôle bis",
        "short_name": "Pôle bis",
        "kind": "metropolitan",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:sites_organisation_add"), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    said = "Il existe déjà un pôle métropolitain\u00a0: le territoire en a un."
    assert errors == [said]
    assert Organisation.objects.count() == before
    form |= {"kind": "syndicate"}  # the same form is otherwise right
    assert client.post(reverse("admin:sites_organisation_add"), form).status_code == 302
