import pytest
from django.contrib.sitemaps.views import sitemap
from django.test import RequestFactory

from portal.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db


def test_the_editorial_pages_are_listed_in_each_language(content):
    response = sitemap(RequestFactory().get("/sitemap.xml"), sitemaps=SITEMAPS)
    response.render()
    xml = response.content.decode()
    for language in ("fr", "en", "nl"):
        for path in (
            "secteurs/logistique-verte/",
            "reussites/acc-gigafactory/",
            "parc-d-innovation/",
            "mentions-legales/",
            "accessibilite/",
            "ambassadeurs/",
        ):
            assert f"/{language}/{path}</loc>" in xml, (language, path)
