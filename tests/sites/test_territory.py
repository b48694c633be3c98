import gzip
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from sites.models import Commune, Organisation
from sites.territory import DATA_FILE, territory_import

pytestmark = pytest.mark.django_db


def test_the_three_agglomerations_have_their_real_communes():
    counts = dict(
        Commune.objects.in_territory()
        .values_list("organisation__slug")
        .annotate(n=Count("pk"))
    )
    assert counts == {"cabbalr": 100, "call": 36, "cahc": 14}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Béthune", "cabbalr"),
        ("Bruay-la-Buissière", "cabbalr"),
        ("Douvrin", "cabbalr"),
        ("Lens", "call"),
        ("Liévin", "call"),
        ("Hénin-Beaumont", "cahc"),
        ("Dourges", "cahc"),
        ("Oignies", "cahc"),
    ],
)
def test_membership(name, slug):
    commune = Commune.objects.get(name=name, departement="62")
    assert commune.organisation.slug == slug
    assert commune.boundary.contains(commune.point)


def test_cahc_is_exactly_its_fourteen_communes():
    names = set(
        Commune.objects.filter(organisation__slug="cahc").values_list("name", flat=True)
    )
    assert names == {
        "Bois-Bernard", "Carvin", "Courcelles-lès-Lens", "Courrières", "Dourges",
        "Drocourt", "Évin-Malmaison", "Hénin-Beaumont", "Leforest", "Libercourt",
        "Montigny-en-Gohelle", "Noyelles-Godault", "Oignies", "Rouvroy",
    }  # fmt: skip


def test_territory_population_is_insee_legal_population_2023():
    """The figure of decoupage-administratif 6.0.0 for the three agglomerations
    (sites/data/README.md): about 643,000, the 2023 legal populations."""
    territory = Commune.objects.in_territory()
    assert territory.aggregate(total=Sum("population"))["total"] == 642_834
    assert set(Commune.objects.values_list("population_year", flat=True)) == {2023}
    assert territory.population() == {
        "communes": 150,
        "inhabitants": 642_834,
        "population_year": 2023,
    }


def test_labour_pool_communes_of_nord_pas_de_calais_and_somme():
    by_departement = dict(
        Commune.objects.values_list("departement").annotate(n=Count("pk"))
    )
    # Every commune of the three départements (INSEE, about 2,300 in all).
    assert by_departement["59"] > 640
    assert by_departement["62"] > 880
    assert by_departement["80"] > 760
    lille = Commune.objects.get(insee="59350")
    assert lille.name == "Lille" and lille.population > 200_000
    assert lille.organisation is None and lille.boundary is None


def test_organisations_with_siren_and_website():
    organisations = {o.slug: o for o in Organisation.objects.all()}
    assert set(organisations) == {"pma", "cabbalr", "call", "cahc", "siziaf"}
    assert organisations["call"].siren == "246200364"
    assert all(o.website.startswith("https://") for o in organisations.values())


def test_second_import_changes_nothing_and_says_so(capsys):
    before = list(Commune.objects.order_by("insee").values_list("insee", "population"))
    report = territory_import()
    assert not report.changed
    assert report.unchanged == len(before) + 5
    call_command("import_territory")
    assert "already up to date" in capsys.readouterr().out
    after = list(Commune.objects.order_by("insee").values_list("insee", "population"))
    assert after == before


def test_import_updates_a_changed_commune():
    Commune.objects.filter(insee="62498").update(population=1)
    Commune.objects.filter(insee="62119").update(population_year=2017)
    report = territory_import()
    assert report.updated == 2
    assert Commune.objects.get(insee="62498").population > 1
    assert Commune.objects.get(insee="62119").population_year == 2023


def _write(path, lines):
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def _data_lines():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (lambda lines: lines[:2] + ["62498,Lens,62,abc,2023,,1,2,"], "line 3"),
        (lambda lines: lines[:2] + ["62498,Lens,62,3,,,1,2,"], "line 3"),
        (
            lambda lines: (
                lines[:2]
                + ['62498,Lens,62,3,2023,,1,2,"MULTIPOLYGON(((0 0,1 1,1 0,0 1,0 0)))"']
            ),
            "invalid boundary for 62498",
        ),
        (
            lambda lines: lines[:2] + ['62498,Lens,62,3,2023,,1,2,"POLYGON((0 0,1"'],
            "line 3",
        ),
        (lambda lines: ["a,b,c"] + lines[1:], "expected the columns"),
    ],
)
def test_corrupt_file_is_refused_and_changes_nothing(tmp_path, corrupt, message):
    lines = _data_lines()
    # The first data row changes a population: it must not be written.
    first = lines[1].split(",")
    first[3] = "1"
    path = tmp_path / "communes.csv.gz"
    _write(path, corrupt([lines[0], ",".join(first)] + lines[2:]))
    before = Commune.objects.get(insee=first[0]).population
    with pytest.raises(CommandError, match=message):
        call_command("import_territory", file=path)
    assert Commune.objects.get(insee=first[0]).population == before


def test_missing_or_non_gzip_file(tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        call_command("import_territory", file=tmp_path / "nope.csv.gz")
    garbage = tmp_path / "garbage.csv.gz"
    garbage.write_bytes(b"not gzip at all")
    with pytest.raises(CommandError, match="unreadable"):
        call_command("import_territory", file=garbage)


def test_command_error_is_one_line_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_territory", "--file", "missing.gz"],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "investinartois.settings.test",
             "DATABASE_URL": f"spatialite:///{tmp_path / 'db.sqlite3'}",
             "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "CommandError: missing.gz: file not found"
    ]
