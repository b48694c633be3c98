"""Our fields and the CNIG business-zone standard (Table Schema v1.0.1), in one
table used both ways: the exports write these columns, the import reads them.

`site_eco` is a BusinessPark, `terrain_eco` a Plot. The official columns come
first, all of them and in the standard's order (`tests/exchange/test_cnig_files.py`
compares them with the official descriptors in docs/standards/cnig-zae/); a
column whose `field` is None is one we do not keep: it is written empty and
ignored when read. The "extended" columns follow, under our own names (slugs,
names, translations, publication...): the extended files carry them, the
official ones do not.

Values follow the standard: its codes (sites.codes), "oui"/"non", surfaces in
hectares, dates as YYYY-MM-DD, distances in km (one decimal kept, so that a
round trip loses nothing). Reading also accepts what the portal wrote before
the official codes (stage words such as "disponible") and our own values.

Nothing personal is in the table: no contact, no lead, and none of terrain_eco's
transaction group (terr_acquereur, terr_cession_date, terr_vente_montant,
terr_m2_prix), which stays empty. `price_per_m2` is the asking price that the
public plot page already shows, not a sale price.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from sites import codes

SITE, TERRAIN = "site_eco", "terrain_eco"

# Codecs: how a value is written and read.
TEXT, BOOL, DECIMAL, DATE, CODE = "text", "bool", "decimal", "date", "code"
COMMUNE, PARK, ORGANISATION, GEOMETRY = "commune", "park", "organisation", "geometry"
KEY, POINT, URL = "key", "point", "url"


@dataclass(frozen=True)
class Column:
    name: str  # in the files
    field: str | None  # ours, or a path through a relation for export-only ones
    codec: str = TEXT
    importable: bool = True  # False: written by us, ignored when read
    official: bool = True  # False: only in the extended files
    choices: type | None = None  # a sites.codes list, for CODE columns


def _official(name, field=None, codec=TEXT, **kwargs):
    return Column(name, field, codec, **kwargs)


def _code(name, field, choices):
    return Column(name, field, CODE, choices=choices)


def _extended(field, codec=TEXT):
    return Column(field, field, codec, official=False)


def _unkept(*names):
    return [Column(name, None, importable=False) for name in names]


def _access(pairs):
    columns = []
    for prefix, name, distance in pairs:
        columns.append(_official(name, f"{prefix}_name"))
        columns.append(_official(distance, f"{prefix}_km", DECIMAL))
    return columns


EXTENDED_COMMON = [
    _extended("description_fr"),
    _extended("description_en"),
    _extended("description_nl"),
    _extended("is_published", BOOL),
    _extended("is_demo", BOOL),
]

SITE_COLUMNS = [
    _official("site_id", "reference", KEY),
    _official("pole_id", "pole_reference"),
    _official("site_nom", "name"),
    _code("site_type", "park_type", codes.ParkType),
    _code("site_vocadomi", "dominant_vocation", codes.DominantVocation),
    _code("site_etat", "state", codes.ParkState),
    _official("site_surf_brute", "surface_gross_ha", DECIMAL, importable=False),
    _official("site_surf_utile", "surface_usable_ha", DECIMAL),
    *_unkept("site_creation_date"),
    _official("site_identif_date", "identified_on", DATE),
    _official("site_actu_date", "updated_at", DATE, importable=False),
    _official("source_producteur", None, importable=False),
    # The French description is the standard's; the extended file repeats it
    # next to its translations.
    _official("site_description", "description_fr"),
    *_unkept("site_quali_territoire"),
    _code("site_evol_urba", "urban_growth", codes.UrbanGrowth),
    _official("site_url", "website", URL),
    _official("site_epci_nom", "commune__organisation__name", importable=False),
    _official("site_epci_siren", "commune__organisation__siren", importable=False),
    _official("site_comm_nom", "commune__name", importable=False),
    _official("site_comm_insee", "commune", COMMUNE),
    _code("site_moa_type", "owner_type", codes.OwnerType),
    _official("site_moa_nom", "organisation__name", importable=False),
    *_unkept(
        "site_moa_amngt",
        "site_moa_comm",
        "site_uf_nbre",
        "site_uf_vacant_nbre",
        "site_taux_vacance",
        "site_uf_bati_nbre",
        "site_nb_etab",
        "site_nb_emploi",
    ),
    _official("site_geomsurf", "perimeter", GEOMETRY),
    _official("site_geompoint", "centroid", POINT, importable=False),
    *_unkept("site_media", "site_surf_comm_dispo", "site_surf_projet"),
    _official("site_voca_industrielle", "vocation_industry", BOOL),
    _official("site_voca_commerciale", "vocation_commercial", BOOL),
    _official("site_voca_tertiaire", "vocation_tertiary", BOOL),
    _official("site_voca_artisanale", "vocation_crafts", BOOL),
    *_unkept(
        "site_voca_touristique",
        "site_voca_portuaire",
        "site_voca_aeroportuaire",
        "reseau_eau_pluviale",
    ),
    _official("reseau_eau_potable", "has_drinking_water", BOOL),
    _official("reseau_assainissement", "has_sewage", BOOL),
    _official("reseau_gaz", "has_gas", BOOL),
    _official("reseau_electrique", "has_power", BOOL),
    _official("reseau_fibre_optique", "has_fibre", BOOL),
    _official("reseau_fret_ferroviaire", "has_rail_siding", BOOL),
    _official("reseau_fluvial", "has_canal_quay", BOOL),
    _official("desserte_tc", "has_public_transport", BOOL),
    *_unkept("desserte_route_nom"),
    *_access(
        [
            ("motorway", "autoroute_nom", "autoroute_echang_dist"),
            ("station", "gare_nom", "gare_dist"),
            ("freight_station", "gare_fret_nom", "gare_fret_dist"),
            ("airport", "aeroport_nom", "aeroport_dist"),
            ("port", "port_nom", "port_dist"),
        ]
    ),
    # Extended.
    _extended("slug"),
    _extended("organisation", ORGANISATION),
    _extended("vocation_logistics", BOOL),
    _extended("power_capacity_mva", DECIMAL),
    *EXTENDED_COMMON,
]

TERRAIN_COLUMNS = [
    _official("terr_id", "reference", KEY),
    _official("site_id", "park", PARK),
    _official("terr_refcad", "cadastral_refs"),
    _official("terr_surf_brute", "surface_ha", DECIMAL, importable=False),
    *_unkept("terr_utile"),
    _official("terr_identif_date", "identified_on", DATE),
    _official("terr_actu_date", "updated_at", DATE, importable=False),
    _code("terr_maitrise_fonc", "land_owner", codes.LandOwner),
    _code("terr_stade_amngt", "development_stage", codes.DevelopmentStage),
    _code("terr_stade_comm", "commercial_stage", codes.CommercialStage),
    _code("terr_etat_occup", "occupation", codes.Occupation),
    _code("terr_usage", "land_use", codes.LandUse),
    *_unkept("terr_url_cartofriches"),
    _official("terr_geomsurf", "geom", GEOMETRY),
    _official("terr_cle_en_main", "ready_to_build", BOOL),
    # Never kept, never published (see the module's docstring).
    *_unkept("terr_acquereur", "terr_cession_date", "terr_vente_montant"),
    *_unkept("terr_m2_prix"),
    # Extended.
    _extended("slug"),
    _extended("name"),
    _extended("commune", COMMUNE),
    _extended("cadastral_surface_ha", DECIMAL),
    _extended("is_divisible", BOOL),
    _extended("icpe_allowed", BOOL),
    _extended("seveso_allowed", BOOL),
    _extended("minimum_lot_ha", DECIMAL),
    _extended("zoning"),
    _extended("price_per_m2", DECIMAL),
    *EXTENDED_COMMON,
]

COLUMNS = {SITE: SITE_COLUMNS, TERRAIN: TERRAIN_COLUMNS}
# The standard's `constraints.required` columns that an import reads: a cell
# left empty in one of them is refused.
REQUIRED = {
    SITE: {
        "site_id",
        "pole_id",
        "site_nom",
        "site_type",
        "site_vocadomi",
        "site_etat",
        "site_surf_utile",
        "site_identif_date",
        "site_comm_insee",
        "site_moa_type",
    },
    TERRAIN: {
        "terr_id",
        "site_id",
        "terr_identif_date",
        "terr_maitrise_fonc",
        "terr_stade_amngt",
        "terr_stade_comm",
        "terr_etat_occup",
        "terr_usage",
    },
}
OFFICIAL = {kind: [c for c in COLUMNS[kind] if c.official] for kind in COLUMNS}
PRODUCER = "Pôle Métropolitain de l'Artois (Invest in Artois)"
NO_POLE = codes.NOT_APPLICABLE  # pole_id is required; we group parks in no pole

# Read as well as the official codes: what the portal wrote before it used them
# (and its own stage values), so that older files still import.
FORMER_WORDS = {
    "commercial_stage": {
        "disponible": codes.CommercialStage.FOR_SALE,
        "available": codes.CommercialStage.FOR_SALE,
        "sous option": codes.CommercialStage.OPTION,
        "under_option": codes.CommercialStage.OPTION,
        "vendu": codes.CommercialStage.SOLD,
        "sold": codes.CommercialStage.SOLD,
    },
    "development_stage": {
        "non aménagé": codes.DevelopmentStage.RAW,
        "raw": codes.DevelopmentStage.RAW,
        "en cours d'aménagement": codes.DevelopmentStage.IN_PROGRESS,
        "in_progress": codes.DevelopmentStage.IN_PROGRESS,
        "aménagé": codes.DevelopmentStage.SERVICED,
        "serviced": codes.DevelopmentStage.SERVICED,
    },
}

# Surfaces computed from an outline, written to 0.01 ha (100 m²): an outline
# rounded to the centimetre in a file gives back the same figure.
HECTARES_WRITTEN = {"site_surf_brute", "terr_surf_brute"}

# In the standard's columns, a cell spelt so is empty ("NA" is no number,
# nor a pole_id).
MISSING = codes.MISSING_VALUES

TRUE_WORDS = {"oui", "o", "yes", "y", "true", "vrai", "1"}
FALSE_WORDS = {"non", "n", "no", "false", "faux", "0"}


def _lookup(kind):
    names = {}
    for column in COLUMNS[kind]:
        names.setdefault(column.name, column)
    for column in COLUMNS[kind]:
        if column.field and "__" not in column.field:
            names.setdefault(column.field, column)
    names.setdefault("description", names["description_fr"])
    return names


NAMES = {kind: _lookup(kind) for kind in COLUMNS}


def column_for(kind, key, *, truncated=False):
    """The column a source field name means, or None. Shapefile (dBASE) names
    are cut to 10 characters: `truncated` also accepts an unambiguous cut."""
    names = NAMES[kind]
    key = key.strip().lower()
    if key in names or not truncated or len(key) != 10:
        return names.get(key)
    matches = {column for name, column in names.items() if name[:10] == key}
    return matches.pop() if len(matches) == 1 else None


def kinds_of(key, *, truncated=False):
    return {kind for kind in COLUMNS if column_for(kind, key, truncated=truncated)}


def distinctive(kind, key, *, truncated=False):
    """Whether a field name tells this kind from the other (site_id does not:
    a plot names its park with it)."""
    return kinds_of(key, truncated=truncated) == {kind}


# Writing.


def encode(column, value):
    """A value for JSON (numbers stay numbers); CSV writes their text."""
    if value is None or value == "":
        return None
    if column.codec == BOOL:
        return "oui" if value else "non"
    if column.codec == DECIMAL:
        if column.name in HECTARES_WRITTEN:
            value = round(value, 2)
        return float(value)
    if column.codec == DATE:
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value)
        return value.isoformat()
    if column.codec == POINT:
        return f"{value.x:.6f}, {value.y:.6f}"  # geopoint: "lon, lat" in WGS84
    return value


# Reading. Each returns the Python value or raises ValueError with a message;
# `notes` collects what was read in a way worth telling (a code's spelling).


def decode(column, value, notes=None):
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or (column.official and value in MISSING):
        return None
    if column.codec == CODE:
        return _code_read(column, value, notes if notes is not None else [])
    reader = READERS.get(column.codec, _text)
    return reader(value)


def _text(value):
    if isinstance(value, (dict, list, bool)):
        raise ValueError(_("expected text, got %(value)r") % {"value": value})
    text = str(value)
    if "\x00" in text:
        # Refused in words, as the admin's forms refuse it (PostgreSQL cannot
        # store it: the import would fail after a dry run that passed).
        raise ValueError(str(ProhibitNullCharactersValidator.message))
    return text


def _bool(value):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("expected oui or non, got %(value)r") % {"value": value})


def _decimal(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(_("expected a number, got %(value)r") % {"value": value})
    try:
        # French spreadsheets group thousands with a (narrow) no-break space.
        number = Decimal("".join(str(value).replace(",", ".").split()))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("expected a number, got %(value)r") % {"value": value})
    return number


def _url(value):
    """The scheme in lower case, as the admin's form field stores it: the
    standard's pattern for site_url takes http or https in lower case only
    (the validator that follows accepts either)."""
    text = _text(value)
    scheme, separator, rest = text.partition("://")
    return scheme.lower() + separator + rest if separator else text


def _date(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value if not isinstance(value, datetime.datetime) else value.date()
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(
            _("expected a date as YYYY-MM-DD, got %(value)r") % {"value": value}
        ) from None


def folded(text):
    """Case, accents, apostrophes and spacing aside: how codes are compared."""
    text = unicodedata.normalize("NFKD", str(text).replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def _code_read(column, value, notes):
    """The official code `value` means: as spelt, or spelt differently (case,
    accents), or the only code it starts with word for word ('extension' for
    'extension urbaine', as the CNIG's own example writes it)."""
    word = _text(value)
    choices = column.choices
    try:
        return choices(word)  # as spelt: one dict lookup, once a row and column
    except ValueError:
        pass
    former = FORMER_WORDS.get(column.field, {}).get(word.lower())
    if former is not None:
        return former
    wanted = folded(word)
    same = [code for code in choices.values if folded(code) == wanted]
    starts = [
        code for code in choices.values if folded(code).startswith(wanted + " ")
    ] + [code for code in choices.values if folded(code).startswith(wanted + ", ")]
    found = same or (starts if len(starts) == 1 else [])
    if not found:
        raise ValueError(
            _("%(value)r is not a code of the standard (%(choices)s)")
            % {"value": word, "choices": " | ".join(choices.values)}
        )
    notes.append(
        _("%(column)s: %(value)r read as %(code)r")
        % {"column": column.name, "value": word, "code": found[0]}
    )
    return choices(found[0])


READERS = {BOOL: _bool, DECIMAL: _decimal, DATE: _date, URL: _url}
