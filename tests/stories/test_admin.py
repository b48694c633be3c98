"""Sectors, stories and the innovation park are the PMA's: least privilege."""

import pytest
from django.urls import reverse

from stories.models import InnovationPark, Sector, SuccessStory
from tests.factories import staff_user

pytestmark = pytest.mark.django_db
MODELS = ["sector", "successstory", "innovationpark"]


def snapshot():
    return (
        sorted(Sector.objects.values_list("pk", "name_fr", "is_published")),
        sorted(SuccessStory.objects.values_list("pk", "title_fr", "is_published")),
        sorted(InnovationPark.objects.values_list("pk", "name_fr")),
    )


@pytest.mark.parametrize("slug", ["call", "cabbalr", "cahc", "siziaf"])
def test_agglomeration_staff_cannot_see_or_edit_them(client, content, slug):
    client.force_login(staff_user(slug))
    before = snapshot()
    index = client.get(reverse("admin:index")).text
    assert "stories" not in index and "Sectors" not in index
    for model in MODELS:
        obj = {
            "sector": Sector,
            "successstory": SuccessStory,
            "innovationpark": InnovationPark,
        }[model].objects.first()
        for url in (
            reverse(f"admin:stories_{model}_changelist"),
            reverse(f"admin:stories_{model}_add"),
            reverse(f"admin:stories_{model}_change", args=[obj.pk]),
            reverse(f"admin:stories_{model}_delete", args=[obj.pk]),
        ):
            assert client.get(url).status_code == 403, url
        client.post(
            reverse(f"admin:stories_{model}_change", args=[obj.pk]),
            {"name_fr": "Taken", "title_fr": "Taken"},
        )
        client.post(
            reverse(f"admin:stories_{model}_delete", args=[obj.pk]), {"post": "yes"}
        )
    assert snapshot() == before


def test_agglomeration_staff_cannot_edit_ambassadors(client, demo):
    client.force_login(staff_user("call"))
    url = reverse("admin:ambassadors_ambassador_changelist")
    assert client.get(url).status_code == 403


def sector_form(**changes):
    data = {
        "slug": "numerique",
        "name_fr": "Numérique",
        "name_en": "Digital",
        "name_nl": "",
        "summary_fr": "Résumé",
        "summary_en": "",
        "summary_nl": "",
        "body_fr": "",
        "body_en": "",
        "body_nl": "",
        "vocation": "tertiary",
        "position": "0",
        "source": "",
        "is_published": "on",
    }
    return data | changes


@pytest.mark.parametrize("who", ["pma", "superuser"])
def test_pma_staff_and_superusers_edit_them(client, content, admin_user, who):
    client.force_login(admin_user if who == "superuser" else staff_user("pma"))
    for model in MODELS:
        url = reverse(f"admin:stories_{model}_changelist")
        assert client.get(url).status_code == 200
    response = client.post(reverse("admin:stories_sector_add"), sector_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Sector.objects.get(slug="numerique").name_en == "Digital"
    park = InnovationPark.objects.get()
    assert (
        client.get(
            reverse("admin:stories_innovationpark_change", args=[park.pk])
        ).status_code
        == 200
    )
    url = reverse("admin:ambassadors_ambassador_changelist")
    assert client.get(url).status_code == 200
