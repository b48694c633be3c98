"""A request Django refuses before any view (too many fields, a damaged
link): the visitor gets the portal's page, said in French and marked so,
with a line in English and in Dutch, as the 500 page does; Django's own was
"Bad Request (400)" in English, unstyled, with nowhere to go."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_request_refused_before_any_view_gets_the_portals_page(client):
    too_many_fields = "&".join(f"f{n}=1" for n in range(1001))
    response = client.get(f"/fr/recherche/?{too_many_fields}")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Cette adresse ne peut pas être lue" in page
    assert '<p lang="en">' in page
    assert '<p lang="nl">' in page
    assert "/static/css/site.css" in page
    assert 'href="/fr/recherche/"' in page
