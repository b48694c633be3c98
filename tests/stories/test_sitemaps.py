import pytest

from tests.portal.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


def test_the_editorial_pages_are_listed_in_each_language(client, content):
    xml = sitemap_text(client)
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
