"""The favicon, touch icons and web manifest: every file a page names exists."""

import json

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from scripts.build_icons import PNGS, png, svg


def static_file(url):
    """The file behind a static URL, found the way collectstatic finds it."""
    prefix = static("")
    assert url.startswith(prefix), url
    found = finders.find(url.removeprefix(prefix))
    assert found, f"no static file for {url}"
    return found


def test_favicon_ico_leads_to_an_icon(client):
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(static_file(response["Location"])) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]


def test_pages_name_icons_that_exist(client, db):
    html = client.get(reverse("legal:notice")).content.decode()
    for rel in ('rel="icon"', 'rel="apple-touch-icon"', 'rel="manifest"'):
        assert rel in html
    with Image.open(static_file(static("img/apple-touch-icon.png"))) as touch:
        assert touch.size == (180, 180)
        # Phones put a touch icon on a tile: no transparent corner.
        assert touch.getpixel((0, 0))[3] == 255


def test_manifest_icons_exist():
    path = static_file(static("site.webmanifest"))
    with open(path) as file:
        manifest = json.load(file)
    assert manifest["name"] == "Invest in Artois"
    for icon in manifest["icons"]:
        icon_path = static_file(static(icon["src"]))
        if icon["type"] == "image/png":
            with Image.open(icon_path) as image:
                assert icon["sizes"] == "{}x{}".format(*image.size)


def test_committed_icons_are_the_script_output():
    """scripts/build_icons.py was run after its drawing last changed."""
    with open(static_file(static("img/icon.svg"))) as file:
        assert file.read() == svg()
    for name, size in PNGS.items():
        with Image.open(static_file(static(f"img/{name}"))) as committed:
            drawn = png(size, rounded=name != "apple-touch-icon.png")
            assert committed.convert("RGBA").tobytes() == drawn.tobytes()
