"""The six portraits of the 2022 campaign, as demo profiles.

The 2022 report describes the campaign's six portraits (an entrepreneur, a
start-up founder, a farmer, a digital-culture talent, a donation-logistics
founder and an R&D lead) without naming them, so the people here are invented
and flagged as demo until the PMA enters the real ones.
"""

from django.db import transaction

from sites.models import Commune

from .models import Ambassador

S = Ambassador.Sector
PORTRAITS = [
    {
        "slug": "demo-entrepreneuse-industrie",
        "name": "Claire D. (démo)",
        "role": "Dirigeante",
        "company": "Atelier de mécanique de précision (démo)",
        "sector": S.INDUSTRY,
        "commune": "Bruay-la-Buissière",
        "quote": "Ici, on trouve des terrains, des compétences et des élus qui décrochent.",
        "story": (
            "Installée depuis plus de vingt ans, son entreprise fournit la filière "
            "automobile et se tourne vers l'électromobilité."
        ),
    },
    {
        "slug": "demo-startuper",
        "name": "Karim B. (démo)",
        "role": "Fondateur",
        "company": "Start-up incubée au Parc d'innovation de l'Artois (démo)",
        "sector": S.STARTUP,
        "commune": "Lens",
        "quote": "Le Parc d'innovation m'a ouvert les portes des industriels du territoire.",
        "story": "Une jeune pousse de la première promotion d'incubés, en 2022.",
    },
    {
        "slug": "demo-agricultrice",
        "name": "Sophie L. (démo)",
        "role": "Agricultrice",
        "company": "Ferme en circuit court (démo)",
        "sector": S.AGRICULTURE,
        "commune": "Lillers",
        "quote": "Nourrir un bassin de 650 000 habitants, à deux pas de la ferme.",
        "story": "Une exploitation tournée vers l'agriculture durable et la vente directe.",
    },
    {
        "slug": "demo-culture-numerique",
        "name": "Julien M. (démo)",
        "role": "Directeur artistique",
        "company": "Studio de création numérique (démo)",
        "sector": S.DIGITAL,
        "commune": "Oignies",
        "quote": "Le 9-9 bis prouve qu'un ancien carreau de fosse peut inventer l'avenir.",
        "story": "Un talent de la culture digitale installé dans le Bassin minier.",
    },
    {
        "slug": "demo-logistique-du-don",
        "name": "Nadia K. (démo)",
        "role": "Fondatrice",
        "company": "Plate-forme de logistique du don (démo)",
        "sector": S.LOGISTICS,
        "commune": "Dourges",
        "quote": "Au cœur de 80 millions de consommateurs, chaque don arrive vite.",
        "story": "Une entreprise qui redistribue les invendus aux associations.",
    },
    {
        "slug": "demo-recherche",
        "name": "Thomas V. (démo)",
        "role": "Responsable R&D",
        "company": "Laboratoire de recherche appliquée (démo)",
        "sector": S.RESEARCH,
        "commune": "Béthune",
        "quote": "La vallée de l'électromobilité se construit avec la recherche locale.",
        "story": "Des projets de recherche menés avec l'Université d'Artois.",
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
        _, is_new = Ambassador.objects.get_or_create(
            slug=values.pop("slug"), defaults=values
        )
        created += is_new
    return created
