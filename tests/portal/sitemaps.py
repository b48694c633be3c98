"""Reading the sitemap as a crawler does: the index, then every page it lists."""

import re
from urllib.parse import urlsplit


def sitemap_pages(client):
    """{path: text} of every page /sitemap.xml lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    pages = {}
    for location in re.findall(r"<loc>([^<]+)</loc>", response.content.decode()):
        parts = urlsplit(location)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        page = client.get(path)
        assert page.status_code == 200, path
        pages[path] = page.getvalue().decode()
    return pages


def sitemap_text(client):
    """Every page of the sitemap, one after the other."""
    return "\n".join(sitemap_pages(client).values())
