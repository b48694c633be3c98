"""Our fields and the CNIG business-zone standard's names, in one table used both
ways: the open-data export writes these names, the import reads them (or ours).

`site_eco` is a BusinessPark, `terrain_eco` a Plot. Columns whose `cnig` is None
have no CNIG counterpart and travel under our own field name, after the CNIG
ones. Values follow the standard's conventions: "oui"/"non" for yes/no,
surfaces in hectares, distances in km (kept to one decimal, where the standard
says integer, so that nothing is lost on a round trip).

Nothing personal is in the table: no contact, no lead, and none of terrain_eco's
transaction group (terr_acquereur, terr_cession_date, terr_vente_montant,
terr_m2_prix). `price_per_m2` is the asking price that the public plot page
already shows, not a sale price.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from sites.models import Plot

SITE, TERRAIN = "site_eco", "terrain_eco"

# Codecs: how a value is written and read.
TEXT, BOOL, DECIMAL, DATE = "text", "bool", "decimal", "date"
MARKETING, DEVELOPMENT = "marketing", "development"
COMMUNE, PARK, ORGANISATION, GEOMETRY = "commune", "park", "organisation", "geometry"


@dataclass(frozen=True)
class Column:
    field: str  # our field, or a path through a relation for export-only columns
    cnig: str | None
    codec: str = TEXT
    importable: bool = True  # False: computed on our side, ignored when read

    @property
    def name(self):
        return self.cnig or self.field


def _flags(pairs):
    return [Column(field, cnig, BOOL) for field, cnig in pairs]


def _access(pairs):
    columns = []
    for prefix, cnig_name, cnig_distance in pairs:
        columns.append(Column(f"{prefix}_name", cnig_name))
        columns.append(Column(f"{prefix}_km", cnig_distance, DECIMAL))
    return columns


TRANSLATIONS = [Column("description_en", None), Column("description_nl", None)]
PUBLICATION = _flags([("is_published", None), ("is_demo", None)])

SITE_COLUMNS = [
    Column("slug", "site_id"),
    Column("name", "site_nom"),
    Column("organisation", None, ORGANISATION),
    Column("organisation__name", "site_moa_nom", importable=False),
    Column("organisation__siren", "site_epci_siren", importable=False),
    Column("commune", "site_comm_insee", COMMUNE),
    Column("commune__name", "site_comm_nom", importable=False),
    Column("perimeter", "site_geomsurf", GEOMETRY),
    Column("surface_gross_ha", "site_surf_brute", DECIMAL, importable=False),
    Column("surface_usable_ha", "site_surf_utile", DECIMAL),
    Column("description_fr", "site_description"),
    Column("website", "site_url"),
    Column("updated_at", "site_actu_date", DATE, importable=False),
    *_flags(
        [
            ("vocation_industry", "site_voca_industrielle"),
            ("vocation_commercial", "site_voca_commerciale"),
            ("vocation_tertiary", "site_voca_tertiaire"),
            ("vocation_crafts", "site_voca_artisanale"),
            ("has_drinking_water", "reseau_eau_potable"),
            ("has_sewage", "reseau_assainissement"),
            ("has_gas", "reseau_gaz"),
            ("has_power", "reseau_electrique"),
            ("has_fibre", "reseau_fibre_optique"),
            ("has_rail_siding", "reseau_fret_ferroviaire"),
            ("has_canal_quay", "reseau_fluvial"),
            ("has_public_transport", "desserte_tc"),
            ("vocation_logistics", None),
        ]
    ),
    *_access(
        [
            ("motorway", "autoroute_nom", "autoroute_echang_dist"),
            ("station", "gare_nom", "gare_dist"),
            ("freight_station", "gare_fret_nom", "gare_fret_dist"),
            ("airport", "aeroport_nom", "aeroport_dist"),
            ("port", "port_nom", "port_dist"),
        ]
    ),
    Column("power_capacity_mva", None, DECIMAL),
    *TRANSLATIONS,
    *PUBLICATION,
]

TERRAIN_COLUMNS = [
    Column("reference", "terr_id"),
    Column("park", "site_id", PARK),
    Column("geom", "terr_geomsurf", GEOMETRY),
    Column("surface_ha", "terr_surf_brute", DECIMAL, importable=False),
    Column("marketing_stage", "terr_stade_comm", MARKETING),
    Column("development_stage", "terr_stade_amngt", DEVELOPMENT),
    Column("ready_to_build", "terr_cle_en_main", BOOL),
    Column("updated_at", "terr_actu_date", DATE, importable=False),
    Column("slug", None),
    Column("name", None),
    Column("commune", None, COMMUNE),
    Column("cadastral_surface_ha", None, DECIMAL),
    Column("description_fr", None),
    *_flags(
        [
            ("is_divisible", None),
            ("icpe_allowed", None),
            ("seveso_allowed", None),
        ]
    ),
    Column("minimum_lot_ha", None, DECIMAL),
    Column("zoning", None),
    Column("price_per_m2", None, DECIMAL),
    *TRANSLATIONS,
    *PUBLICATION,
]

COLUMNS = {SITE: SITE_COLUMNS, TERRAIN: TERRAIN_COLUMNS}

# Stage values in French words, as in the CNIG's published inventories; our
# own codes are accepted too when reading.
STAGE_WORDS = {
    MARKETING: {
        Plot.MarketingStage.AVAILABLE: "disponible",
        Plot.MarketingStage.UNDER_OPTION: "sous option",
        Plot.MarketingStage.SOLD: "vendu",
    },
    DEVELOPMENT: {
        Plot.DevelopmentStage.RAW: "non aménagé",
        Plot.DevelopmentStage.IN_PROGRESS: "en cours d'aménagement",
        Plot.DevelopmentStage.SERVICED: "aménagé",
    },
}

TRUE_WORDS = {"oui", "o", "yes", "y", "true", "vrai", "1"}
FALSE_WORDS = {"non", "n", "no", "false", "faux", "0"}


def _lookup(kind):
    names = {}
    for column in COLUMNS[kind]:
        names[column.name] = column
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


# Writing.


def encode(column, value):
    """A value for JSON (numbers stay numbers); CSV writes their text."""
    if value is None:
        return None
    if column.codec == BOOL:
        return "oui" if value else "non"
    if column.codec == DECIMAL:
        return float(value)
    if column.codec in STAGE_WORDS:
        return STAGE_WORDS[column.codec].get(value, value)
    if column.codec == DATE:
        return value.date().isoformat()
    return value


# Reading. Each returns the Python value or raises ValueError with a message.


def decode(column, value):
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    reader = READERS.get(column.codec, _text)
    return reader(value)


def _text(value):
    if isinstance(value, (dict, list, bool)):
        raise ValueError(_("expected text, got %(value)r") % {"value": value})
    return str(value)


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
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("expected a number, got %(value)r") % {"value": value})
    return number


def _stage(codec):
    def read(value):
        word = _text(value).lower()
        for code, french in STAGE_WORDS[codec].items():
            if word in (code, french):
                return code
        choices = ", ".join(STAGE_WORDS[codec].values())
        raise ValueError(
            _("%(value)r is not one of: %(choices)s")
            % {"value": value, "choices": choices}
        )

    return read


READERS = {
    BOOL: _bool,
    DECIMAL: _decimal,
    MARKETING: _stage(MARKETING),
    DEVELOPMENT: _stage(DEVELOPMENT),
}
