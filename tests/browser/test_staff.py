"""A developer of CALL at work in the admin, in a real browser: a new plot drawn
on the map, a photo, published, on the public search; CABBALR's out of reach."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Polygon
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from leads.models import Lead
from sites.models import SRID, BusinessPark, Organisation, Plot, StaffMembership
from sites.staff import DEVELOPER_GROUP, staff_groups_sync

from .conftest import DESKTOP
from .search_map import wait_for_search_map

PASSWORD = "Artois-62300-browser"
LENS = "Parc d'innovation de l'Artois, site de Lens"
ADMIN = "/" + settings.ADMIN_URL

# django-leaflet announces each map it creates: keep them at hand for the test.
KEEP_MAPS = """
window.addEventListener("map:init", (event) => {
  window.testMaps = window.testMaps || {};
  window.testMaps[event.detail.id] = event.detail.map;
});
"""

# Centre the widget on the outline, then where each of its corners is on screen.
CORNERS_ON_SCREEN = """([corners, zoom]) => {
  const map = Object.values(window.testMaps)[0];
  const bounds = L.latLngBounds(corners);
  map.setView(bounds.getCenter(), zoom, { animate: false });
  return corners.map((corner) => {
    const point = map.latLngToContainerPoint(corner);
    return [point.x, point.y];
  });
}"""


@pytest.fixture
def call_developer(site):
    """A developer of CALL with a password, for the real login form."""
    if not Group.objects.filter(name=DEVELOPER_GROUP).exists():
        staff_groups_sync()
    user = User.objects.create_user(
        "dev-call", email="dev@agglo-lenslievin.fr", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=DEVELOPER_GROUP))
    StaffMembership.objects.create(
        user=user, organisation=Organisation.objects.get(slug="call")
    )
    return user


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "terrain.jpg"
    Image.new("RGB", (64, 48), (90, 140, 60)).save(path, "JPEG")
    return path


def free_outline(park, side=16):
    """A square of `side` metres in the park, clear of its plots, in WGS84."""
    room = park.perimeter
    for plot in park.plots.all():
        room = room.difference(plot.geom.buffer(1))
    centre = room.buffer(-(side / 2 + 1)).point_on_surface
    half = side / 2
    square = Polygon.from_bbox(
        (centre.x - half, centre.y - half, centre.x + half, centre.y + half)
    )
    square.srid = SRID
    assert park.perimeter.contains(square)
    assert not any(plot.geom.intersects(square) for plot in park.plots.all())
    return square.transform(4326, clone=True)


def click(page, x, y):
    # Leaflet.draw places a corner where its marker follows the mouse to: let
    # it get there first, on a loaded machine too.
    page.mouse.move(x, y, steps=4)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)


def log_in(page, base_url, username):
    page.goto(base_url + ADMIN)
    expect(page).to_have_url(re.compile(r"/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(ADMIN)}$"))


def test_call_developer_publishes_a_plot_and_cannot_reach_cabbalr(
    browse, call_developer, photo_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    park = BusinessPark.objects.get(name=LENS)
    assert park.organisation.slug == "call"
    outline = free_outline(park)
    corners = [[lat, lng] for lng, lat in outline.coords[0][:4]]

    visit = browse()
    page = visit.page
    page.context.add_init_script(KEEP_MAPS)
    log_in(page, visit.base_url, "dev-call")

    page.goto(visit.base_url + ADMIN + "sites/plot/add/")
    page.wait_for_function(
        "() => window.testMaps && Object.keys(window.testMaps).length"
    )
    name = "Terrain du Louvre-Lens (navigateur)"
    page.get_by_label(re.compile(r"^Nom\W*$")).fill(name)
    page.keyboard.press("Tab")  # the admin fills the slug in on change
    expect(page.locator("#id_slug")).not_to_have_value("")

    # The outline, drawn with the polygon tool: four corners, then the first again.
    widget = page.locator(".leaflet-container").first
    # The whole map in view, so that clicking its tools scrolls nothing.
    widget.evaluate("(map) => map.scrollIntoView({ block: 'center' })")
    points = page.evaluate(CORNERS_ON_SCREEN, [corners, 18])
    box = widget.bounding_box()
    page.locator(".leaflet-draw-draw-polygon").click()
    for x, y in [*points, points[0]]:
        click(page, box["x"] + x, box["y"] + y)
    drawn = page.locator("#id_geom")
    expect(drawn).not_to_have_value("")
    assert json.loads(drawn.input_value())["type"] == "MultiPolygon"

    # A photo, in the photo inline.
    page.locator("#photos-group .add-row a").click()
    page.locator("input[name=photos-0-image]").set_input_files(photo_file)
    page.locator("input[name=photos-0-caption_fr]").fill("Vue du terrain")
    page.locator("input[name=is_published]").check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert visit.errors == []

    plot = Plot.objects.get(name=name)
    assert plot.park == park
    assert plot.commune.name == "Lens"
    assert plot.is_published
    assert plot.photos.count() == 1
    assert plot.geom.transform(4326, clone=True).intersects(outline.point_on_surface)

    # On the public search: in the list, and counted on the map (its vector
    # tiles), the whole territory in view.
    visit.goto("/fr/recherche/")
    wait_for_search_map(page)
    expect(page.locator(f'#results [data-plot-id="{plot.pk}"]')).to_have_count(1)
    zoom_out = page.get_by_role("button", name="Zoom arrière")
    for _ in range(2):
        zoom_out.click()
        expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)
    on_offer = Plot.objects.on_offer()
    assert plot in on_offer
    expect(page.locator("#map-status")).to_have_text(
        re.compile(rf"^{on_offer.count()}\D")
    )

    # CABBALR's listings are out of reach.
    cabbalr = Plot.objects.filter(park__organisation__slug="cabbalr")
    assert cabbalr.exists()
    page.goto(visit.base_url + ADMIN + "sites/plot/?all=")
    listed = page.locator("#result_list tbody th a").all_inner_texts()
    assert name in listed
    assert not set(listed) & set(cabbalr.values_list("name", flat=True))
    own = Plot.objects.filter(park__organisation__slug="call")
    assert set(listed) == set(own.values_list("name", flat=True))
    foreign = cabbalr.order_by("pk").first()
    page.goto(visit.base_url + ADMIN + f"sites/plot/{foreign.pk}/change/")
    expect(page.locator("#plot_form")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(foreign.name)
    assert visit.errors == []


def overlap(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("model", ["plot", "businesspark"])
def test_the_list_s_heading_is_not_under_its_import_and_export_buttons(
    browse, call_developer, model
):
    """Six buttons (add, import, four exports), floated over the heading as
    Django places its one or two, covered it on a 1366 px screen."""
    visit = browse()
    page = visit.page
    log_in(page, visit.base_url, "dev-call")
    visit.goto(f"{ADMIN}sites/{model}/")
    heading = page.locator("#content h1").bounding_box()
    for tool in page.locator(".object-tools li").all():
        assert not overlap(heading, tool.bounding_box()), tool.inner_text()
    assert visit.errors == []


def test_a_change_page_is_as_wide_as_the_screen_whatever_its_inlines(
    browse, call_developer
):
    """A contact's name and role in three languages, a photo's caption in
    three: their tabular inlines widened the whole page to twice the screen,
    the header and the Save buttons left behind on its first half."""
    plot = Plot.objects.filter(park__organisation__slug="call").first()
    call = Organisation.objects.get(slug="call")
    visit = browse()
    page = visit.page
    log_in(page, visit.base_url, "dev-call")
    for path in (f"plot/{plot.pk}", f"organisation/{call.pk}"):
        visit.goto(f"{ADMIN}sites/{path}/change/")
        page.locator(".inline-group .add-row a").first.click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= DESKTOP["width"], path
    assert visit.errors == []


def test_the_pipeline_s_columns_are_on_a_laptop_s_screen(browse, call_developer):
    """A lead's status and assignee, a plot's stage and publication: past the
    screen's right edge at 1366 px, behind the company, the plot's and park's
    long names."""
    plot = Plot.objects.filter(park__organisation__slug="call").order_by("pk").last()
    Lead.objects.create(
        name="Ada Investor",
        company="Example Logistics International BV",
        country="Netherlands",
        email="ada@example.com",
        language="nl",
        project_type=Lead.ProjectType.LOGISTICS,
        timeline=Lead.Timeline.YEAR,
        message="We look for 10 ha.",
        consent_at=timezone.now(),
        organisation=plot.park.organisation,
        plot=plot,
        park=plot.park,
    )
    visit = browse()
    page = visit.page
    log_in(page, visit.base_url, "dev-call")
    for model, columns in (
        ("leads/lead", ["status", "assignee"]),
        ("sites/plot", ["marketing_stage", "is_published"]),
    ):
        visit.goto(f"{ADMIN}{model}/")
        for column in columns:
            box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
            assert box["x"] + box["width"] <= DESKTOP["width"], (model, column)
    assert visit.errors == []
