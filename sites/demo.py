"""Demo content: business parks, some named in the PMA's 2022 report, with invented plots.

Everything here is flagged `is_demo` and shown with a "demo" badge. Outlines are
rectangles placed inside the real boundary of their commune, sized so that their
ground surfaces (sites.surfaces) are round figures and the available plots add
up to the 317 ha the PMA announced in its 2022 report.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon, WKTWriter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.i18n import missing_translations_fill, superseded_texts_replace
from core.units import SQUARE_METRES_PER_HECTARE

from . import codes
from .models import SRID, BusinessPark, Commune, Contact, Plot
from .outlines import EDGE_TOLERANCE_M, organisation_cover
from .surfaces import ground_area_m2
from .territory import territory_organisations

AVAILABLE_HA = Decimal(317)
ROAD_M = 25  # gap kept between two demo plots
SEARCH_STEP_M = 60
SEARCH_RADIUS_M = 6_000
# Lambert-93 enlarges areas by about 0.3 % here: a rectangle is placed a little
# larger than that, then shrunk to its exact ground surface (to 0.05 m², well
# within the stored 1 m²), so it stays where it was found room.
PLACING_MARGIN = 1.004
FIT_M2 = 0.05
# Plots keep clear of their commune's edge, so of their park's perimeter, which
# is cut EDGE_TOLERANCE_M inside the organisation's communes.
EDGE_M = EDGE_TOLERANCE_M + 1
CENTIMETRES = WKTWriter(precision=2)

Stage = Plot.MarketingStage


@dataclass
class DemoPlot:
    commune: str  # by name: names are unique within the territory
    surface_ha: Decimal
    stage: str = Stage.AVAILABLE
    ready_to_build: bool = False
    price_per_m2: Decimal | None = None
    zoning: str = "UE"
    icpe: bool = True
    seveso: bool = False
    divisible: bool = False
    minimum_lot_ha: Decimal | None = None


@dataclass
class DemoPark:
    name: str
    organisation: str
    commune: str  # main commune, by name
    description: str
    description_en: str
    description_nl: str
    vocations: tuple
    networks: dict
    access: dict
    plots: list = field(default_factory=list)


D = Decimal
COMMON_NETWORKS = {
    "has_drinking_water": True,
    "has_sewage": True,
    "has_power": True,
    "has_fibre": True,
}
PARKS = [
    DemoPark(
        name="Parc des Industries Artois-Flandres",
        organisation="siziaf",
        commune="Douvrin",
        description=(
            "Parc industriel géré par le SIZIAF à Douvrin et Billy-Berclau, où est "
            "sortie de terre en 2022 la gigafactory de batteries d’ACC, la première "
            "de France (rapport d’activité 2022 du PMA). Terrains de démonstration."
        ),
        description_en=(
            "Industrial park run by SIZIAF at Douvrin and Billy-Berclau, where "
            "ACC's battery gigafactory, France's first, was built in 2022 (the "
            "PMA's 2022 activity report). Demo plots."
        ),
        description_nl=(
            "Industrieterrein van SIZIAF in Douvrin en Billy-Berclau, waar in 2022 "
            "de batterijgigafabriek van ACC werd gebouwd, de eerste van Frankrijk "
            "(jaarverslag 2022 van de PMA). Demokavels."
        ),
        vocations=("industry", "logistics"),
        networks=COMMON_NETWORKS
        | {"has_gas": True, "power_capacity_mva": D(40), "has_rail_siding": True},
        access={
            "motorway_name": "A21",
            "motorway_km": D("2.5"),
            "station_name": "La Bassée - Violaines",
            "station_km": D(6),
            "freight_station_name": "Don-Sainghin",
            "freight_station_km": D(9),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(35),
            "port_name": "Port de Lille",
            "port_km": D(30),
        },
        plots=[
            DemoPlot(
                "Douvrin",
                D(42),
                ready_to_build=True,
                price_per_m2=D(18),
                seveso=True,
                divisible=True,
                minimum_lot_ha=D(5),
            ),
            DemoPlot("Douvrin", D(28), price_per_m2=D(18), seveso=True),
            DemoPlot("Billy-Berclau", D(35), ready_to_build=True, price_per_m2=D(20)),
            DemoPlot("Billy-Berclau", D("18.5"), divisible=True, minimum_lot_ha=D(2)),
            DemoPlot("Billy-Berclau", D(12), stage=Stage.SOLD),
            DemoPlot("Douvrin", D(9), stage=Stage.UNDER_OPTION),
        ],
    ),
    DemoPark(
        name="Plate-forme multimodale Delta 3",
        organisation="cahc",
        commune="Dourges",
        description=(
            "Parc logistique à Dourges, commune du Campus Euralogistic (rapport "
            "d’activité 2022 du PMA). Terrains de démonstration."
        ),
        description_en=(
            "Logistics park at Dourges, home of the Euralogistic campus (the PMA's "
            "2022 activity report). Demo plots."
        ),
        description_nl=(
            "Logistiek bedrijventerrein in Dourges, de gemeente van de "
            "Euralogistic-campus (jaarverslag 2022 van de PMA). Demokavels."
        ),
        vocations=("logistics", "industry"),
        networks=COMMON_NETWORKS
        | {
            "power_capacity_mva": D(12),
            "has_rail_siding": True,
            "has_canal_quay": True,
        },
        access={
            "motorway_name": "A1",
            "motorway_km": D("1.5"),
            "station_name": "Hénin-Beaumont",
            "station_km": D(5),
            "freight_station_name": "Delta 3",
            "freight_station_km": D("0.5"),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(25),
            "port_name": "Delta 3 (canal de la Deûle)",
            "port_km": D(1),
        },
        plots=[
            DemoPlot("Dourges", D(32), ready_to_build=True, price_per_m2=D(35)),
            DemoPlot(
                "Dourges",
                D("21.5"),
                price_per_m2=D(35),
                divisible=True,
                minimum_lot_ha=D(3),
            ),
            DemoPlot("Dourges", D(15), stage=Stage.UNDER_OPTION, price_per_m2=D(35)),
        ],
    ),
    DemoPark(
        name="Zone industrielle de Ruitz",
        organisation="cabbalr",
        commune="Ruitz",
        description=("Zone industrielle au pied de l’A26. Terrains de démonstration."),
        description_en=("Industrial park right by the A26 motorway. Demo plots."),
        description_nl=("Industrieterrein vlak bij de snelweg A26. Demokavels."),
        vocations=("industry", "crafts"),
        networks=COMMON_NETWORKS | {"has_gas": True, "power_capacity_mva": D(15)},
        access={
            "motorway_name": "A26",
            "motorway_km": D(1),
            "station_name": "Bruay-la-Buissière",
            "station_km": D(4),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(55),
        },
        plots=[
            DemoPlot("Ruitz", D(24), ready_to_build=True, price_per_m2=D(15)),
            DemoPlot("Ruitz", D(16), price_per_m2=D(15)),
            DemoPlot("Ruitz", D(7), stage=Stage.SOLD),
        ],
    ),
    DemoPark(
        name="Parc d'activités de Lillers",
        organisation="cabbalr",
        commune="Lillers",
        description=("Parc d’activités proche de l’A26. Terrains de démonstration."),
        description_en=("Business park close to the A26 motorway. Demo plots."),
        description_nl=("Bedrijventerrein dicht bij de snelweg A26. Demokavels."),
        vocations=("industry", "logistics", "crafts"),
        networks=COMMON_NETWORKS | {"power_capacity_mva": D(8)},
        access={
            "motorway_name": "A26",
            "motorway_km": D(3),
            "station_name": "Lillers",
            "station_km": D(2),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(60),
        },
        plots=[
            DemoPlot(
                "Lillers",
                D(22),
                price_per_m2=D(14),
                divisible=True,
                minimum_lot_ha=D(1),
            ),
            DemoPlot("Lillers", D("9.5"), ready_to_build=True, price_per_m2=D(16)),
        ],
    ),
    DemoPark(
        name="Parc d'innovation de l'Artois, site de Béthune",
        organisation="cabbalr",
        commune="Béthune",
        description=(
            "Un des trois lieux totems du Parc d’innovation de l’Artois, opérationnel "
            "depuis juin 2022 (rapport 2022 du PMA). Terrains de démonstration."
        ),
        description_en=(
            "One of the three flagship sites of the Parc d'innovation de l'Artois, "
            "open since June 2022 (the PMA's 2022 report). Demo plots."
        ),
        description_nl=(
            "Een van de drie vlaggenschiplocaties van het Parc d'innovation de "
            "l'Artois, in gebruik sinds juni 2022 (jaarverslag 2022 van de PMA). "
            "Demokavels."
        ),
        vocations=("tertiary",),
        networks=COMMON_NETWORKS | {"has_public_transport": True},
        access={
            "motorway_name": "A26",
            "motorway_km": D(4),
            "station_name": "Béthune (TGV)",
            "station_km": D("1.5"),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(45),
        },
        plots=[
            DemoPlot(
                "Béthune",
                D("2.5"),
                ready_to_build=True,
                price_per_m2=D(45),
                icpe=False,
                zoning="UB",
            ),
            DemoPlot("Béthune", D("1.2"), icpe=False, zoning="UB"),
        ],
    ),
    DemoPark(
        name="Parc d'innovation de l'Artois, site de Lens",
        organisation="call",
        commune="Lens",
        description=(
            "Lieu totem lensois du Parc d’innovation de l’Artois, opérationnel "
            "depuis juin 2022 (rapport 2022 du PMA). Terrains de démonstration."
        ),
        description_en=(
            "The Lens flagship site of the Parc d'innovation de l'Artois, open "
            "since June 2022 (the PMA's 2022 report). Demo plots."
        ),
        description_nl=(
            "De vlaggenschiplocatie in Lens van het Parc d'innovation de l'Artois, "
            "in gebruik sinds juni 2022 (jaarverslag 2022 van de PMA). Demokavels."
        ),
        vocations=("tertiary",),
        networks=COMMON_NETWORKS | {"has_public_transport": True},
        access={
            "motorway_name": "A21",
            "motorway_km": D(2),
            "station_name": "Lens (TGV)",
            "station_km": D(1),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(35),
        },
        plots=[
            DemoPlot(
                "Lens",
                D("3.8"),
                ready_to_build=True,
                price_per_m2=D(55),
                icpe=False,
                zoning="UB",
            ),
        ],
    ),
    DemoPark(
        name="Parc d'innovation de l'Artois, site d'Oignies",
        organisation="cahc",
        commune="Oignies",
        description=(
            "Lieu totem du Parc d’innovation de l’Artois sur le site du 9-9 bis à "
            "Oignies. Terrains de démonstration."
        ),
        description_en=(
            "Flagship site of the Parc d'innovation de l'Artois at the 9-9 bis in "
            "Oignies. Demo plots."
        ),
        description_nl=(
            "Vlaggenschiplocatie van het Parc d'innovation de l'Artois op het "
            "terrein van de 9-9 bis in Oignies. Demokavels."
        ),
        vocations=("tertiary", "crafts"),
        networks=COMMON_NETWORKS | {"has_public_transport": True},
        access={
            "motorway_name": "A1",
            "motorway_km": D(5),
            "station_name": "Libercourt",
            "station_km": D(3),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(22),
        },
        plots=[
            DemoPlot("Oignies", D("4.5"), price_per_m2=D(40), icpe=False),
        ],
    ),
    DemoPark(
        name="Vivalley, Liévin",
        organisation="call",
        commune="Liévin",
        description=(
            "Campus entrepreneurial autour du sport, de la santé et du bien-être "
            "(rapport 2022 du PMA). Terrains de démonstration."
        ),
        description_en=(
            "Business campus devoted to sport, health and well-being (the PMA's "
            "2022 report). Demo plots."
        ),
        description_nl=(
            "Bedrijvencampus rond sport, gezondheid en welzijn (jaarverslag 2022 "
            "van de PMA). Demokavels."
        ),
        vocations=("tertiary",),
        networks=COMMON_NETWORKS | {"has_public_transport": True},
        access={
            "motorway_name": "A21",
            "motorway_km": D(1),
            "station_name": "Lens (TGV)",
            "station_km": D(5),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(40),
        },
        plots=[
            DemoPlot(
                "Liévin", D(6), ready_to_build=True, price_per_m2=D(60), icpe=False
            ),
            DemoPlot("Liévin", D(5), icpe=False),
        ],
    ),
    DemoPark(
        name="Zone d'activités Harnes-Courrières",
        organisation="call",
        commune="Harnes",
        description=("Zone logistique le long de la Deûle. Terrains de démonstration."),
        description_en=("Logistics park along the Deûle canal. Demo plots."),
        description_nl=("Logistiek bedrijventerrein aan de Deûle. Demokavels."),
        vocations=("logistics", "industry"),
        networks=COMMON_NETWORKS
        | {"power_capacity_mva": D(10), "has_canal_quay": True},
        access={
            "motorway_name": "A21",
            "motorway_km": D(3),
            "station_name": "Lens (TGV)",
            "station_km": D(7),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(30),
            "port_name": "Port fluvial de Harnes",
            "port_km": D(1),
        },
        plots=[
            DemoPlot("Harnes", D(20), price_per_m2=D(22)),
            DemoPlot("Harnes", D(11), ready_to_build=True, price_per_m2=D(24)),
        ],
    ),
    DemoPark(
        name="Parc d'activités de Noyelles-Godault",
        organisation="cahc",
        commune="Noyelles-Godault",
        description=(
            "Parc mixte au croisement de l’A1 et de l’A21. Terrains de démonstration."
        ),
        description_en=(
            "Mixed-use park where the A1 and A21 motorways meet. Demo plots."
        ),
        description_nl=(
            "Gemengd bedrijventerrein bij het knooppunt van de A1 en de A21. "
            "Demokavels."
        ),
        vocations=("logistics", "commercial", "tertiary"),
        networks=COMMON_NETWORKS | {"has_gas": True, "power_capacity_mva": D(6)},
        access={
            "motorway_name": "A1",
            "motorway_km": D(1),
            "station_name": "Hénin-Beaumont",
            "station_km": D(3),
            "airport_name": "Lille-Lesquin",
            "airport_km": D(28),
        },
        plots=[
            DemoPlot("Noyelles-Godault", D("14.5"), price_per_m2=D(30)),
            DemoPlot("Noyelles-Godault", D("8.5"), stage=Stage.UNDER_OPTION),
        ],
    ),
]

# Teams' names in French, English and Dutch; and their address.
CONTACTS = {
    "pma": (
        (
            "Mission attractivité (démo)",
            "Investor attraction team (demo)",
            "Team investeerdersacquisitie (demo)",
        ),
        "attractivite.pma@example.org",
    ),
    "cabbalr": (
        (
            "Développement économique CABBALR (démo)",
            "CABBALR economic development (demo)",
            "Economische ontwikkeling CABBALR (demo)",
        ),
        "eco.cabbalr@example.org",
    ),
    "call": (
        (
            "Développement économique CALL (démo)",
            "CALL economic development (demo)",
            "Economische ontwikkeling CALL (demo)",
        ),
        "eco.call@example.org",
    ),
    "cahc": (
        (
            "Développement économique CAHC (démo)",
            "CAHC economic development (demo)",
            "Economische ontwikkeling CAHC (demo)",
        ),
        "eco.cahc@example.org",
    ),
    "siziaf": (
        (
            "Commercialisation SIZIAF (démo)",
            "SIZIAF land sales (demo)",
            "Grondverkoop SIZIAF (demo)",
        ),
        "commercial.siziaf@example.org",
    ),
}


DOMINANT_VOCATIONS = {
    "industry": codes.DominantVocation.INDUSTRY,
    "logistics": codes.DominantVocation.LOGISTICS,
    "tertiary": codes.DominantVocation.TERTIARY,
    "crafts": codes.DominantVocation.CRAFTS,
    "commercial": codes.DominantVocation.COMMERCIAL,
}


class DemoError(Exception):
    pass


def _rectangle(x, y, area_m2):
    """A 3:2 rectangle of `area_m2` in the plane, lower-left corner at (x, y)."""
    width = math.sqrt(area_m2 * 1.5)
    rectangle = Polygon.from_bbox((x, y, x + width, y + area_m2 / width))
    rectangle.srid = SRID
    return rectangle


def _ground_fitted(x, y, surface_ha):
    """The rectangle at (x, y) whose ground surface is `surface_ha`."""
    target = float(surface_ha) * SQUARE_METRES_PER_HECTARE
    area = target
    for _ in range(5):
        rectangle = _rectangle(x, y, area)
        if not rectangle.valid:
            return rectangle  # refused, with the plot named, when saved
        ground = ground_area_m2(rectangle)
        if abs(ground - target) < FIT_M2:
            return rectangle
        area *= target / ground
    raise DemoError(f"could not size a rectangle of {surface_ha} ha")


def _place(commune, surface_ha, taken):
    """The first rectangle, spiralling out from the commune's point, that lies
    inside its boundary and clear of the plots already placed."""
    start = commune.point
    inside = commune.boundary.buffer(-EDGE_M).prepared
    area = float(surface_ha) * SQUARE_METRES_PER_HECTARE * PLACING_MARGIN
    shape = _rectangle(0, 0, area)
    half_w, half_h = shape.extent[2] / 2, shape.extent[3] / 2
    for ring in range(SEARCH_RADIUS_M // SEARCH_STEP_M):
        r = ring * SEARCH_STEP_M
        for dx in range(-r, r + 1, SEARCH_STEP_M):
            for dy in range(-r, r + 1, SEARCH_STEP_M):
                if max(abs(dx), abs(dy)) != r:
                    continue
                x, y = start.x + dx - half_w, start.y + dy - half_h
                rect = _rectangle(x, y, area)
                if inside.contains(rect) and not any(
                    rect.distance(other) < ROAD_M for other in taken
                ):
                    return _ground_fitted(x, y, surface_ha)
    raise DemoError(f"no room for {surface_ha} ha in {commune.name}")


def demo_available_total():
    return sum(
        p.surface_ha for park in PARKS for p in park.plots if p.stage == Stage.AVAILABLE
    )


@transaction.atomic
def demo_load():
    """Create the demo parks, plots and contacts; returns how many objects were
    created (0 when the demo is already there)."""
    if demo_available_total() != AVAILABLE_HA:
        raise DemoError("the demo plots must add up to 317 ha available")
    # Keyed by the territory data's slugs: staff may have renamed the stored ones.
    organisations = territory_organisations()
    if len(organisations) < len(CONTACTS):
        raise DemoError("import the territory first (manage.py import_territory)")
    communes = {c.name: c for c in Commune.objects.in_territory()}
    created = 0
    for slug, ((fr, en, nl), email) in CONTACTS.items():
        names = {"name": fr, "name_fr": fr, "name_en": en, "name_nl": nl}
        # The untranslated column too, whichever language is active.
        contact, is_new = Contact.objects.get_or_create(
            organisation=organisations[slug], email=email, defaults=names
        )
        if not is_new and contact.name_fr == fr:  # the demo's, not staff's
            missing_translations_fill(contact, names)
        created += is_new
    taken = list(Plot.objects.values_list("geom", flat=True))
    for demo in PARKS:
        park = BusinessPark.objects.filter(slug=slugify(demo.name)).first()
        if park is not None:
            if park.is_demo:  # loaded before the demo was translated
                missing_translations_fill(park, _translations(demo))
                superseded_texts_replace(
                    park, _translations(demo), SUPERSEDED.get(demo.name, {})
                )
            continue
        created += _park_create(demo, organisations, communes, taken)
    return created


def _translations(demo):
    return {
        "description_fr": demo.description,
        "description_en": demo.description_en,
        "description_nl": demo.description_nl,
    }


def _park_create(demo, organisations, communes, taken):
    outlines = []
    for plot in demo.plots:
        outline = _place(communes[plot.commune], plot.surface_ha, taken)
        taken.append(outline)
        outlines.append(outline)
    organisation = organisations[demo.organisation]
    park = _park_save(
        BusinessPark(
            name=demo.name,
            slug=slugify(demo.name),
            organisation=organisation,
            commune=communes[demo.commune],
            description=demo.description,
            description_fr=demo.description,
            description_en=demo.description_en,
            description_nl=demo.description_nl,
            perimeter=_perimeter(outlines, organisation),
            is_published=True,
            is_demo=True,
            dominant_vocation=DOMINANT_VOCATIONS[demo.vocations[0]],
            surface_usable_ha=sum(plot.surface_ha for plot in demo.plots),
            **{f"vocation_{name}": True for name in demo.vocations},
            **demo.networks,
            **demo.access,
        )
    )
    for number, (plot, outline) in enumerate(
        zip(demo.plots, outlines, strict=True), start=1
    ):
        name = f"{demo.name}, lot {number}"
        _plot_create(
            name=name,
            slug=slugify(name),
            reference=f"DEMO-{park.pk}-{number}",
            park=park,
            commune=communes[plot.commune],
            geom=MultiPolygon(outline, srid=SRID),
            commercial_stage=codes.COMMERCIAL_OF_STAGE[plot.stage],
            **_land_facts(plot.stage),
            ready_to_build=plot.ready_to_build,
            price_per_m2=plot.price_per_m2,
            zoning=plot.zoning,
            icpe_allowed=plot.icpe,
            seveso_allowed=plot.seveso,
            is_divisible=plot.divisible,
            minimum_lot_ha=plot.minimum_lot_ha,
            description="Terrain de démonstration\xa0: les données sont fictives.",
            description_fr="Terrain de démonstration\xa0: les données sont fictives.",
            description_en="Demo plot: the data are fictitious.",
            description_nl="Demokavel: de gegevens zijn fictief.",
            is_published=True,
            is_demo=True,
        )
    return 1 + len(demo.plots)


def _land_facts(stage):
    """The CNIG inventory's facts: a sold plot is built on and its buyer's; the
    others are farmland the agglomeration holds."""
    if stage == Stage.SOLD:
        return {
            "land_owner": codes.LandOwner.COMPANY,
            "occupation": codes.Occupation.OCCUPIED,
            "land_use": codes.LandUse.PRODUCTIVE,
        }
    return {
        "land_owner": codes.LandOwner.INTERCOMMUNAL,
        "occupation": codes.Occupation.VACANT_LAND,
        "land_use": codes.LandUse.FARMLAND,
    }


def _perimeter(outlines, organisation):
    """The plots' bounding box with a road around it, cut to where the
    organisation's parks may lie (the box may cross the territory's edge)."""
    box = MultiPolygon(outlines, srid=SRID).envelope.buffer(ROAD_M)
    # Without the check's tolerance: exports round coordinates.
    cover = organisation_cover(organisation, near=box).buffer(-EDGE_TOLERANCE_M)
    # On the exports' centimetre grid, so that a round trip through them gives
    # back the same perimeter (and the same point on its surface).
    inside = GEOSGeometry(CENTIMETRES.write(box.intersection(cover)).decode(), SRID)
    polygons = [inside] if inside.geom_type == "Polygon" else list(inside)
    return MultiPolygon([p for p in polygons if p.geom_type == "Polygon"], srid=SRID)


def _park_save(park):
    try:
        park.full_clean()
    except ValidationError as exc:
        raise DemoError(f"park {park.name!r} refused: {exc.messages}") from exc
    park.save()
    return park


def _plot_create(**fields):
    plot = Plot(**fields)
    try:
        plot.full_clean()
    except ValidationError as exc:
        raise DemoError(f"plot {plot.name!r} refused: {exc.messages}") from exc
    plot.save()


# Wordings an earlier load wrote, since corrected against the 2022 report: a
# reload replaces them where they are still as loaded (never where staff edited).
SUPERSEDED = {
    "Parc d'innovation de l'Artois, site d'Oignies": {
        "description_nl": "Vlaggenschiplocatie van het Parc d'innovation de l'Artois op het voormalige mijnterrein 9-9 bis in Oignies. Demokavels.",
    },
    "Parc des Industries Artois-Flandres": {
        "description_fr": "Parc industriel géré par le SIZIAF à Douvrin et Billy-Berclau, où ACC construit la première gigafactory de batteries de France (rapport d’activité 2022 du PMA). Terrains de démonstration.",
        "description_en": "Industrial park run by SIZIAF at Douvrin and Billy-Berclau, where ACC is building France's first battery gigafactory (the PMA's 2022 activity report). Demo plots.",
        "description_nl": "Industrieterrein van SIZIAF in Douvrin en Billy-Berclau, waar ACC de eerste batterijgigafabriek van Frankrijk bouwt (jaarverslag 2022 van de PMA). Demokavels.",
    },
    "Plate-forme multimodale Delta 3": {
        "description_fr": "Plateforme logistique trimodale (route, fer, canal) de Dourges, près du Campus Euralogistic. Terrains de démonstration.",
        "description_en": "Tri-modal logistics platform (road, rail, canal) at Dourges, near the Euralogistic campus. Demo plots.",
        "description_nl": "Trimodaal logistiek platform (weg, spoor, water) in Dourges, bij de Euralogistic-campus. Demokavels.",
    },
    "Parc d'innovation de l'Artois, site de Lens": {
        "description_fr": "Lieu totem lensois du Parc d’innovation de l’Artois, à deux pas du Louvre-Lens. Terrains de démonstration.",
        "description_en": "The Lens flagship site of the Parc d'innovation de l'Artois, a stone's throw from the Louvre-Lens. Demo plots.",
        "description_nl": "De vlaggenschiplocatie in Lens van het Parc d'innovation de l'Artois, op een steenworp van het Louvre-Lens. Demokavels.",
    },
}
