"""The six portraits of the 2022 campaign, as demo profiles.

The 2022 report describes the campaign's six portraits (an entrepreneur, a
start-up founder, a farmer, a digital-culture talent, a donation-logistics
founder and an R&D lead) without naming them, so the people here are invented
and flagged as demo until the PMA enters the real ones.
"""

from django.db import transaction

from core.i18n import missing_translations_fill, superseded_texts_replace
from sites.models import Commune

from .models import Ambassador

S = Ambassador.Sector


def tr(field, fr, en, nl):
    # The untranslated column too, whichever language is active while loading.
    return {field: fr, f"{field}_fr": fr, f"{field}_en": en, f"{field}_nl": nl}


# Names without "(démo)": the pages badge demo portraits in their language.
PORTRAITS = [
    {
        "slug": "demo-entrepreneuse-industrie",
        "name": "Claire D.",
        **tr("role", "Dirigeante", "Managing director", "Directeur"),
        **tr(
            "company",
            "Atelier de mécanique de précision",
            "Precision engineering workshop",
            "Werkplaats voor precisiemechanica",
        ),
        "sector": S.INDUSTRY,
        "commune": "Bruay-la-Buissière",
        **tr(
            "quote",
            "Ici, on trouve des terrains, des compétences et des élus qui décrochent.",
            "Here you find land, skills and elected officials who pick up the phone.",
            "Hier vinden bedrijven grond, vakmensen en bestuurders die de telefoon opnemen.",
        ),
        **tr(
            "story",
            "Installée depuis plus de vingt ans, son entreprise fournit la filière "
            "automobile et se tourne vers l’électromobilité.",
            "Established here for more than twenty years, her company supplies the "
            "car industry and is turning to electric mobility.",
            "Haar bedrijf, hier al meer dan twintig jaar gevestigd, levert aan de "
            "auto-industrie en schakelt over op elektromobiliteit.",
        ),
    },
    {
        "slug": "demo-startuper",
        "name": "Karim B.",
        **tr("role", "Fondateur", "Founder", "Oprichter"),
        **tr(
            "company",
            "Start-up incubée au Parc d’innovation de l’Artois",
            "Start-up incubated at the Parc d'innovation de l'Artois",
            "Start-up in de incubator van het Parc d'innovation de l'Artois",
        ),
        "sector": S.STARTUP,
        "commune": "Lens",
        **tr(
            "quote",
            "Le Parc d’innovation m’a ouvert les portes des industriels du territoire.",
            "The innovation park opened doors for me with the area's manufacturers.",
            "Het innovatiepark opende voor mij de deuren van de industriële bedrijven "
            "in de regio.",
        ),
        **tr(
            "story",
            "Une jeune pousse de la première promotion d’incubés, en 2022.",
            "A young company from the incubator's first intake, in 2022.",
            "Een jong bedrijf uit de eerste lichting van de incubator, in 2022.",
        ),
    },
    {
        "slug": "demo-agricultrice",
        "name": "Sophie L.",
        **tr("role", "Agricultrice", "Farmer", "Landbouwer"),
        **tr(
            "company",
            "Ferme en circuit court",
            "Short-supply-chain farm",
            "Boerderij met verkoop via de korte keten",
        ),
        "sector": S.AGRICULTURE,
        "commune": "Lillers",
        **tr(
            "quote",
            "Nourrir le territoire, à deux pas de la ferme.",
            "Feeding the territory, right on the farm's doorstep.",
            "De regio voeden, vlak bij de boerderij.",
        ),
        **tr(
            "story",
            "Une exploitation tournée vers l’agriculture durable et la vente directe.",
            "A farm committed to sustainable agriculture and direct sales.",
            "Een landbouwbedrijf gericht op duurzame landbouw en rechtstreekse "
            "verkoop.",
        ),
    },
    {
        "slug": "demo-culture-numerique",
        "name": "Julien M.",
        **tr("role", "Directeur artistique", "Art director", "Artistiek directeur"),
        **tr(
            "company",
            "Studio de création numérique",
            "Digital creative studio",
            "Studio voor digitale creatie",
        ),
        "sector": S.DIGITAL,
        "commune": "Oignies",
        **tr(
            "quote",
            "Ici, je crée pour le monde entier sans quitter le territoire.",
            "Here I create for the whole world without leaving the area.",
            "Hier creëer ik voor de hele wereld zonder de regio te verlaten.",
        ),
        **tr(
            "story",
            "Un talent de la culture numérique installé dans le Bassin minier.",
            "A digital-culture talent settled in the former mining basin.",
            "Een talent uit de digitale cultuur, gevestigd in het voormalige mijnbekken.",
        ),
    },
    {
        "slug": "demo-logistique-du-don",
        "name": "Nadia K.",
        **tr("role", "Fondatrice", "Founder", "Oprichtster"),
        **tr(
            "company",
            "Plateforme de logistique du don",
            "Donation logistics platform",
            "Logistiek platform voor donaties",
        ),
        "sector": S.LOGISTICS,
        "commune": "Dourges",
        **tr(
            "quote",
            "Au cœur de 80 millions de consommateurs, chaque don arrive vite.",
            "With 80 million consumers within reach, every donation arrives fast.",
            "Met 80 miljoen consumenten binnen bereik komt elke gift snel aan.",
        ),
        **tr(
            "story",
            "Une entreprise qui redistribue les invendus aux associations.",
            "A company that passes unsold goods on to charities.",
            "Een bedrijf dat onverkochte goederen doorgeeft aan goede doelen.",
        ),
    },
    {
        "slug": "demo-recherche",
        "name": "Thomas V.",
        **tr("role", "Responsable R&D", "Head of R&D", "Hoofd R&D"),
        **tr(
            "company",
            "Laboratoire de recherche appliquée",
            "Applied research laboratory",
            "Laboratorium voor toegepast onderzoek",
        ),
        "sector": S.RESEARCH,
        "commune": "Béthune",
        **tr(
            "quote",
            "La vallée de l’électromobilité se construit avec la recherche locale.",
            "The electromobility valley is being built with local research.",
            "De elektromobiliteitsvallei komt tot stand met lokaal onderzoek.",
        ),
        **tr(
            "story",
            "Des projets de recherche menés avec l’Université d’Artois.",
            "Research projects carried out with the Université d'Artois.",
            "Onderzoeksprojecten samen met de Université d'Artois.",
        ),
    },
]


@transaction.atomic
def ambassadors_demo_load():
    """Create the demo portraits that are missing; returns how many were created."""
    communes = {c.name: c for c in Commune.objects.in_territory()}
    created = 0
    for position, portrait in enumerate(PORTRAITS):
        values = portrait | {
            "commune": communes.get(portrait["commune"]),
            "position": position,
            "is_featured": True,
            "is_published": True,
            "is_demo": True,
        }
        ambassador, is_new = Ambassador.objects.get_or_create(
            slug=values.pop("slug"), defaults=values
        )
        if not is_new and ambassador.is_demo:  # loaded before it was translated
            missing_translations_fill(ambassador, values)
            superseded_texts_replace(
                ambassador, values, SUPERSEDED.get(ambassador.slug, {})
            )
        created += is_new
    return created


# Wordings an earlier load wrote, since corrected against the 2022 report: a
# reload replaces them where they are still as loaded (never where staff edited).
SUPERSEDED = {
    "demo-culture-numerique": {
        "quote_fr": "Le 9-9 bis prouve qu’un ancien carreau de fosse peut inventer l’avenir.",
        "quote_en": "The 9-9 bis proves that a former pithead can invent the future.",
        "quote_nl": "De 9-9 bis bewijst dat een voormalig mijnterrein de toekomst kan uitvinden.",
    },
    "demo-agricultrice": {
        "quote_fr": "Nourrir un bassin de 650\xa0000 habitants, à deux pas de la ferme.",
        "quote_en": "Feeding an area of 650,000 people, right on the farm's doorstep.",
        "quote_nl": "Een gebied van 650.000 inwoners voeden, vlak bij de boerderij.",
    },
}
