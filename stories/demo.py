"""The sectors, success stories and innovation park of the PMA's 2022 report.

Source: rapport d'activité 2022 du Pôle Métropolitain de l'Artois ("Les 10
grands projets", "Le Parc d'innovation de l'Artois"). These are real projects,
not demo content; the English and Dutch texts are translations of the French.
Loading is idempotent: what exists (matched by slug) is left as staff edited it.
"""

from django.db import transaction
from django.utils import translation

from core.i18n import superseded_texts_replace
from sites.models import BusinessPark, Commune

from .models import REPORT_2022, InnovationPark, InnovationSite, Sector, SuccessStory


def tr(field, fr, en="", nl=""):
    return {f"{field}_fr": fr, f"{field}_en": en, f"{field}_nl": nl}


SECTORS = [
    {
        "slug": "vallee-electromobilite",
        "vocation": "industry",
        **tr(
            "name",
            "Vallée de l’électromobilité",
            "The electromobility valley",
            "De elektromobiliteitsvallei",
        ),
        **tr(
            "summary",
            "La première gigafactory de batteries pour voitures électriques de France, au cœur d’une filière en construction.",
            "France's first battery gigafactory for electric cars, at the heart of an industry in the making.",
            "De eerste batterijgigafabriek voor elektrische auto's in Frankrijk, in het hart van een sector in opbouw.",
        ),
        **tr(
            "body",
            "Avec la gigafactory ACC au Parc des Industries Artois-Flandres (Douvrin/Billy-Berclau) et le développement du CRITT M2A à Bruay-la-Buissière, le territoire construit une filière complète de l’électromobilité\xa0: 2\xa0000 emplois attendus chez ACC à l’horizon 2030.",
            "With the ACC gigafactory at the Parc des Industries Artois-Flandres (Douvrin/Billy-Berclau) and the expansion of the CRITT M2A at Bruay-la-Buissière, the territory is building a complete electromobility industry: 2,000 jobs expected at ACC by 2030.",
            "Met de gigafabriek van ACC in het Parc des Industries Artois-Flandres (Douvrin/Billy-Berclau) en de uitbreiding van het CRITT M2A in Bruay-la-Buissière bouwt de regio een volledige elektromobiliteitssector uit: bij ACC worden in 2030 2.000 banen verwacht.",
        ),
    },
    {
        "slug": "industrie-du-futur",
        "vocation": "industry",
        **tr(
            "name",
            "Industrie du futur",
            "Industry of the future",
            "Industrie van de toekomst",
        ),
        **tr(
            "summary",
            "Près de 2,5 milliards d’euros d’investissements industriels et 4\xa0000 emplois annoncés depuis 2020.",
            "Nearly 2.5 billion euros of industrial investment and 4,000 jobs announced since 2020.",
            "Bijna 2,5 miljard euro aan industriële investeringen en 4.000 banen aangekondigd sinds 2020.",
        ),
        **tr(
            "body",
            "Pionnier de l’éco-transition et labellisé «\xa0Territoires d’industrie\xa0», le Pôle Métropolitain de l’Artois concentre près de la moitié des lauréats France 2030 des Hauts-de-France (80 sur 200). 317 hectares de foncier sont disponibles pour les investisseurs.",
            "A pioneer of the eco-transition with the \"Territoires d'industrie\" label, the Pôle Métropolitain de l'Artois is home to nearly half of the France 2030 winners in Hauts-de-France (80 out of 200). 317 hectares of land are available to investors.",
            "Als pionier van de ecologische transitie en met het label “Territoires d'industrie” telt de Pôle Métropolitain de l'Artois bijna de helft van de winnaars van France 2030 in Hauts-de-France (80 van de 200). Er is 317 hectare bedrijfsgrond beschikbaar voor investeerders.",
        ),
    },
    {
        "slug": "logistique-verte",
        "vocation": "logistics",
        **tr("name", "Logistique verte", "Green logistics", "Groene logistiek"),
        **tr(
            "summary",
            "Au cœur d’un bassin de 80 millions de consommateurs\xa0: TGV, trois autoroutes (A1, A21, A26) et un canal à grand gabarit.",
            "At the heart of a market of 80 million consumers: high-speed rail, three motorways (A1, A21, A26) and a wide-gauge canal.",
            "In het hart van een markt van 80 miljoen consumenten: hogesnelheidstrein, drie snelwegen (A1, A21, A26) en een kanaal voor grote binnenvaartschepen.",
        ),
        **tr(
            "body",
            "Le hub logistique du territoire, avec le Campus Euralogistic à Dourges, se prépare à la reconquête du potentiel fluvial avec le futur Canal Seine-Nord Europe.",
            "The territory's logistics hub, with the Euralogistic campus at Dourges, is getting ready to use its waterways again with the future Seine-Nord Europe canal.",
            "Het logistieke knooppunt van de regio, met de Euralogistic-campus in Dourges, bereidt zich voor om met het toekomstige kanaal Seine-Noord Europa de waterweg weer volop te benutten.",
        ),
    },
    {
        "slug": "energies-renouvelables",
        "vocation": "industry",
        **tr(
            "name", "Énergies renouvelables", "Renewable energy", "Hernieuwbare energie"
        ),
        **tr(
            "summary",
            "Un ancien site d’enfouissement de déchets reconverti à Leforest en l’un des plus vastes parcs solaires de France.",
            "A former landfill at Leforest turned into one of the largest solar parks in France.",
            "Een voormalige stortplaats in Leforest, nu een van de grootste zonneparken van Frankrijk.",
        ),
        **tr(
            "body",
            "Soutenu par l’Ademe, dont le partenariat triennal avec le PMA a été renouvelé en 2022, le territoire accélère les projets de transition énergétique.",
            "Backed by Ademe, whose three-year partnership with the PMA was renewed in 2022, the territory is speeding up its energy-transition projects.",
            "Met de steun van Ademe, waarvan het driejarige partnerschap met de PMA in 2022 werd verlengd, versnelt de regio haar projecten voor de energietransitie.",
        ),
    },
    {
        "slug": "industries-culturelles-creatives",
        "vocation": "tertiary",
        **tr(
            "name",
            "Industries culturelles et créatives",
            "Cultural and creative industries",
            "Culturele en creatieve industrie",
        ),
        # The report ("2022, année record"): the 5 millionth visitor since the
        # opening (4 December 2012) came on 9 November 2022; 571,047 in 2022.
        **tr(
            "summary",
            "Le Louvre-Lens (5 millions de visiteurs depuis son ouverture en 2012, cap franchi le 9 novembre 2022).",
            "The Louvre-Lens (5 million visitors since it opened in 2012, a milestone reached on 9 November 2022).",
            "Het Louvre-Lens (5 miljoen bezoekers sinds de opening in 2012, bereikt op 9 november 2022).",
        ),
        **tr(
            "body",
            "Les retombées économiques touristiques du Louvre-Lens sont estimées à 225,4 millions d’euros en cumulé (décembre 2022).",
            "The Louvre-Lens's cumulative economic impact from tourism is estimated at 225.4 million euros (December 2022).",
            "De totale economische impact van het toerisme rond het Louvre-Lens wordt geraamd op 225,4 miljoen euro (december 2022).",
        ),
    },
    {
        "slug": "sport-bien-etre",
        "vocation": "tertiary",
        **tr(
            "name",
            "Économie du sport et du bien-être",
            "Sport and well-being economy",
            "Sport- en wellnesseconomie",
        ),
        **tr(
            "summary",
            "Vivalley à Liévin, l’un des plus grands campus entrepreneuriaux au nord de Paris.",
            "Vivalley at Liévin, one of the largest business campuses north of Paris.",
            "Vivalley in Liévin, een van de grootste bedrijvencampussen ten noorden van Parijs.",
        ),
    },
    {
        "slug": "agriculture-durable",
        "vocation": "",
        **tr(
            "name",
            "Agriculture durable et innovante",
            "Sustainable and innovative agriculture",
            "Duurzame en innovatieve landbouw",
        ),
        **tr(
            "summary",
            "L’un des atouts que le territoire met en avant pour son attractivité et son rôle de champion de l’éco-transition.",
            "One of the strengths the territory puts forward for its appeal and its role as a champion of the eco-transition.",
            "Een van de troeven die de regio naar voren schuift voor haar aantrekkingskracht en haar rol als voortrekker van de ecologische transitie.",
        ),
    },
]

STORIES = [
    {
        "slug": "acc-gigafactory",
        "sector": "vallee-electromobilite",
        "commune": "Billy-Berclau",
        "park": "Parc des Industries Artois-Flandres",
        "year": 2022,
        **tr(
            "title",
            "ACC, la première gigafactory de batteries de France",
            "ACC, France's first battery gigafactory",
            "ACC, de eerste batterijgigafabriek van Frankrijk",
        ),
        **tr(
            "summary",
            "Sortie de terre en 2022 au Parc des Industries Artois-Flandres, moteur de la Vallée de l’électromobilité.",
            "Built in 2022 at the Parc des Industries Artois-Flandres, it is the driving force of the electromobility valley.",
            "In 2022 gebouwd in het Parc des Industries Artois-Flandres: de motor van de elektromobiliteitsvallei.",
        ),
        **tr(
            "figures",
            "2\xa0000 emplois à l’horizon 2030\nProduction prévue à partir de 2023\nDouvrin / Billy-Berclau",
            "2,000 jobs by 2030\nProduction planned from 2023\nDouvrin / Billy-Berclau",
            "2.000 banen in 2030\nProductie gepland vanaf 2023\nDouvrin / Billy-Berclau",
        ),
        **tr(
            "body",
            "La première gigafactory de batteries pour voitures électriques de France est sortie de terre dans le Parc des Industries Artois-Flandres, géré par le SIZIAF\xa0; sa production devait débuter en 2023. Avec le développement du CRITT M2A à Bruay-la-Buissière, le projet ACC constitue un atout essentiel de la stratégie du territoire autour de la filière de l’électromobilité.",
            "France's first battery gigafactory for electric cars was built at the Parc des Industries Artois-Flandres, managed by SIZIAF; its production was due to start in 2023. Together with the expansion of the CRITT M2A at Bruay-la-Buissière, ACC is a cornerstone of the territory's electromobility strategy.",
            "De eerste batterijgigafabriek voor elektrische auto's in Frankrijk werd gebouwd in het Parc des Industries Artois-Flandres, beheerd door SIZIAF; de productie zou in 2023 starten. Samen met de uitbreiding van het CRITT M2A in Bruay-la-Buissière is ACC een hoeksteen van de elektromobiliteitsstrategie van de regio.",
        ),
    },
    {
        "slug": "vivalley-lievin",
        "sector": "sport-bien-etre",
        "commune": "Liévin",
        "park": "Vivalley, Liévin",
        "year": 2022,  # the report's year: 2023 was only planned
        **tr(
            "title",
            "Vivalley, un campus du sport et du bien-être à Liévin",
            "Vivalley, a sport and well-being campus at Liévin",
            "Vivalley, een sport- en wellnesscampus in Liévin",
        ),
        **tr(
            "summary",
            "L’un des plus grands campus entrepreneuriaux au nord de Paris, dédié à l’innovation dans le sport, la santé et le bien-être.",
            "One of the largest business campuses north of Paris, devoted to innovation in sport, health and well-being.",
            "Een van de grootste bedrijvencampussen ten noorden van Parijs, gewijd aan innovatie in sport, gezondheid en welzijn.",
        ),
        **tr(
            "figures",
            "110 hectares\nLivraison prévue au premier trimestre 2023",
            "110 hectares\nDelivery planned for the first quarter of 2023",
            "110 hectare\nOplevering gepland in het eerste kwartaal van 2023",
        ),
        **tr(
            "body",
            "Vivalley Center, projet porté par de nombreux acteurs de la région, est un espace immobilier dédié à l’activité économique et à l’innovation. Vivalley Campus doit proposer une offre étendue autour du sport, de la santé et du bien-être sur 110 hectares, avec l’Arena stade couvert, la faculté des sports de Liévin, le complexe aquatique Nauticaa et le Racing Club de Lens.",
            "Vivalley Center, backed by many partners in the region, is a property development for business and innovation. Vivalley Campus is to offer a wide range of facilities for sport, health and well-being across 110 hectares, with the Arena indoor stadium, the Liévin sports faculty, the Nauticaa aquatic centre and the Racing Club de Lens.",
            "Vivalley Center, gedragen door tal van partners uit de regio, is een vastgoedproject voor economische activiteit en innovatie. Vivalley Campus is bedoeld om op 110 hectare een ruim aanbod rond sport, gezondheid en welzijn te bieden, met het overdekte Arena-stadion, de sportfaculteit van Liévin, het zwemcomplex Nauticaa en de Racing Club de Lens.",
        ),
    },
    {
        "slug": "parc-solaire-leforest",
        "sector": "energies-renouvelables",
        "commune": "Leforest",
        "park": "",
        "year": 2022,  # the report's year: 2023 was only planned
        **tr(
            "title",
            "Le parc solaire de Leforest, l’un des plus vastes de France",
            "The Leforest solar park, one of the largest in France",
            "Het zonnepark van Leforest, een van de grootste van Frankrijk",
        ),
        **tr(
            "summary",
            "Un ancien site d’enfouissement de déchets devenu le plus vaste parc solaire au nord de Paris après celui de Cambrai-Niergnies.",
            "A former landfill turned into the largest solar park north of Paris after the one at Cambrai-Niergnies.",
            "Een voormalige stortplaats, nu het grootste zonnepark ten noorden van Parijs na dat van Cambrai-Niergnies.",
        ),
        **tr(
            "figures",
            "32 hectares\n34\xa0300 panneaux photovoltaïques\n19,1\xa0GWh/an, la consommation de 4\xa0000 foyers\nMise en service prévue fin 2023",
            "32 hectares\n34,300 solar panels\n19.1 GWh a year, the consumption of 4,000 households\nDue to enter service at the end of 2023",
            "32 hectare\n34.300 zonnepanelen\n19,1 GWh per jaar, het verbruik van 4.000 huishoudens\nIngebruikname gepland eind 2023",
        ),
        **tr(
            "body",
            "Le rapport 2022 fait état de 34\xa0300 panneaux photovoltaïques en cours d’installation sur cet ancien site d’enfouissement de déchets fermé en 2017\xa0: le parc solaire communautaire de Leforest, d’une superficie de 32 hectares, pourra à terme fournir l’équivalent de la consommation de 4\xa0000 foyers.",
            "The 2022 report counts 34,300 solar panels being installed on this former landfill, closed in 2017: the 32-hectare Leforest community solar park will eventually supply as much electricity as 4,000 households use.",
            "Volgens het jaarverslag 2022 werden op deze in 2017 gesloten stortplaats 34.300 zonnepanelen geplaatst: het intergemeentelijke zonnepark van Leforest, 32 hectare groot, zal op termijn evenveel stroom leveren als 4.000 huishoudens verbruiken.",
        ),
    },
]

INNOVATION_PARK = {
    "slug": "parc-d-innovation-de-l-artois",
    **tr(
        "name",
        "Parc d’innovation de l’Artois",
        "Parc d'innovation de l'Artois (Artois innovation park)",
        "Parc d'innovation de l'Artois (innovatiepark van Artois)",
    ),
    **tr(
        "summary",
        "Les pôles d’excellence et incubateurs du territoire sous une même bannière, dans trois lieux totems à Béthune, Lens et Oignies.",
        "The territory's centres of excellence and incubators under one banner, in three flagship sites at Béthune, Lens and Oignies.",
        "De excellentiecentra en incubatoren van de regio onder één vlag, op drie vlaggenschiplocaties in Béthune, Lens en Oignies.",
    ),
    **tr(
        "body",
        "Soutenu par la Région, le Parc d’innovation de l’Artois rend visible l’offre du territoire pour l’émergence des start-up et des jeunes pousses à potentiel, afin d’attirer talents et PME.\n\nUn double objectif\xa0: détecter de jeunes pousses, les aider à grandir et les inciter à s’implanter durablement sur le territoire\xa0; mettre en lumière le territoire sous l’angle de l’innovation, à l’échelle locale, nationale et internationale.",
        "Backed by the Hauts-de-France Region, the Parc d'innovation de l'Artois showcases what the territory offers start-ups and promising young companies, to attract talent and SMEs.\n\nTwo aims: spot young companies, help them grow and encourage them to settle in the territory for good; and make the territory known for innovation, locally, nationally and internationally.",
        "Met de steun van de regio Hauts-de-France maakt het Parc d'innovation de l'Artois zichtbaar wat Artois start-ups en veelbelovende jonge bedrijven te bieden heeft, om talent en kleine en middelgrote ondernemingen aan te trekken.\n\nEen dubbel doel: jonge bedrijven opsporen, helpen groeien en aanmoedigen zich blijvend in Artois te vestigen; en Artois als innovatieve regio op de kaart zetten, lokaal, nationaal en internationaal.",
    ),
    **tr(
        "operators",
        "EY et Entreprises & Cités, opérateur stratégique choisi en avril 2022\xa0: EY apporte sa palette d’expertises au service des grandes entreprises, Entreprises & Cités son savoir-faire auprès des PME et start-up et sa dimension de hub des réseaux business et RSE en Hauts-de-France.",
        "EY and Entreprises & Cités, the strategic operator chosen in April 2022: EY brings its range of expertise for large companies, Entreprises & Cités its know-how with SMEs and start-ups and its role as a hub of business and CSR networks in Hauts-de-France.",
        "EY en Entreprises & Cités, de strategische exploitant die in april 2022 is gekozen: EY brengt zijn expertise voor grote bedrijven in, Entreprises & Cités zijn ervaring met kleine en middelgrote ondernemingen en start-ups en zijn rol als knooppunt van zakelijke en MVO-netwerken in Hauts-de-France.",
    ),
    **tr(
        "programme",
        "Opérationnel depuis juin 2022 dans trois lieux totems, un par communauté d’agglomération, avec une équipe dédiée.\nPremière promotion d’incubés lancée en novembre 2022.\nUne première série de projets R&D d’entreprises du territoire bénéficie du programme d’accélération.\nRendez-vous donné en avril 2023 à l’écosystème d’innovation du territoire pour lancer la communauté «\xa0Innov in Artois\xa0».",
        'Operating since June 2022 in three flagship sites, one per agglomeration, with a dedicated team.\nFirst cohort of incubated start-ups launched in November 2022.\nA first series of R&D projects by local companies is benefiting from the acceleration programme.\nThe territory\'s innovation ecosystem was invited to launch the "Innov in Artois" community in April 2023.',
        "In gebruik sinds juni 2022 op drie vlaggenschiplocaties, één per agglomeratie, met een eigen team.\nEerste lichting start-ups in de incubator gestart in november 2022.\nEen eerste reeks R&D-projecten van lokale bedrijven neemt deel aan het versnellingsprogramma.\nHet innovatie-ecosysteem van de regio werd uitgenodigd om in april 2023 de gemeenschap “Innov in Artois” op te richten.",
    ),
}

INNOVATION_SITES = [
    ("Béthune", "Parc d'innovation de l'Artois, site de Béthune", tr("venue", "")),
    ("Lens", "Parc d'innovation de l'Artois, site de Lens", tr("venue", "")),
    (
        "Oignies",
        "Parc d'innovation de l'Artois, site d'Oignies",
        tr(
            "venue",
            "Le Métaphone, site du 9-9 bis",
            "The Métaphone, 9-9 bis site",
            "Le Métaphone, op het terrein van de 9-9 bis",
        ),
    ),
]


def _get_or_create(model, slug, values):
    item, created = model.objects.get_or_create(
        slug=slug, defaults=values | {"source": REPORT_2022, "is_published": True}
    )
    if not created:
        superseded_texts_replace(item, values, SUPERSEDED.get(slug, {}))
    return created


def _innovation_park_load(communes, parks):
    park, created = InnovationPark.objects.get_or_create(
        slug=INNOVATION_PARK["slug"],
        defaults=INNOVATION_PARK | {"source": REPORT_2022, "is_published": True},
    )
    if not created:
        return 0
    for position, (commune, name, venue) in enumerate(INNOVATION_SITES):
        InnovationSite.objects.create(
            park=park,
            name=name,
            commune=communes[commune],
            business_park=parks.get(name),
            position=position,
            **venue,
        )
    return 1 + len(INNOVATION_SITES)


@transaction.atomic
def stories_demo_load():
    """Create the report's sectors, stories and innovation park that are
    missing; returns how many objects were created."""
    communes = {c.name: c for c in Commune.objects.in_territory()}
    parks = {p.name: p for p in BusinessPark.objects.only("pk", "name")}
    created = 0
    with translation.override("fr"):
        for position, sector in enumerate(SECTORS):
            values = dict(sector, position=position)
            created += _get_or_create(Sector, values.pop("slug"), values)
        sectors = {s.slug: s for s in Sector.objects.all()}
        for position, story in enumerate(STORIES):
            values = dict(story, position=position)
            values["sector"] = sectors.get(values["sector"])
            values["commune"] = communes.get(values["commune"])
            values["park"] = parks.get(values["park"])
            created += _get_or_create(SuccessStory, values.pop("slug"), values)
        created += _innovation_park_load(communes, parks)
    return created


# Wordings an earlier load wrote, since corrected against the 2022 report: a
# reload replaces them where they are still as loaded (never where staff edited).
SUPERSEDED = {
    "energies-renouvelables": {
        "summary_fr": "Des friches reconverties en sites de production d’électricité renouvelable, comme le parc solaire de Leforest.",
        "summary_en": "Brownfields turned into renewable power plants, such as the Leforest solar park.",
        "summary_nl": "Verlaten bedrijfslocaties die nu hernieuwbare stroom produceren, zoals het zonnepark van Leforest.",
    },
    "industrie-du-futur": {
        "body_fr": "Pionnier de l’éco-transition et labellisé «\xa0Territoires d’industrie\xa0», le Pôle Métropolitain de l’Artois concentre près de la moitié des lauréats France 2030 des Hauts-de-France (80 sur 200). 317 hectares de foncier sont disponibles pour les projets industriels.",
        "body_en": "A pioneer of the eco-transition with the \"Territoires d'industrie\" label, the Pôle Métropolitain de l'Artois is home to nearly half of the France 2030 winners in Hauts-de-France (80 out of 200). 317 hectares of land are available for industrial projects.",
        "body_nl": "Als pionier van de ecologische transitie en met het label “Territoires d'industrie” telt de Pôle Métropolitain de l'Artois bijna de helft van de winnaars van France 2030 in Hauts-de-France (80 van de 200). Er is 317 hectare bedrijfsgrond beschikbaar voor industriële projecten.",
    },
    "logistique-verte": {
        "body_fr": "Le hub logistique du territoire, autour de Delta 3 à Dourges et du Campus Euralogistic, se prépare à la reconquête du potentiel fluvial avec le futur Canal Seine-Nord Europe.",
        "body_en": "The territory's logistics hub, around Delta 3 at Dourges and the Euralogistic campus, is getting ready to use its waterways again with the future Seine-Nord Europe canal.",
        "body_nl": "Het logistieke knooppunt van de regio, rond Delta 3 in Dourges en de Euralogistic-campus, bereidt zich voor om met het toekomstige kanaal Seine-Noord Europa de waterweg weer volop te benutten.",
    },
    "industries-culturelles-creatives": {
        "summary_fr": "Le Louvre-Lens (5 millions de visiteurs depuis son ouverture en 2012, cap franchi le 9 novembre 2022) et le 9-9 bis à Oignies, où le patrimoine minier accueille la création numérique.",
        "summary_en": "The Louvre-Lens (5 million visitors since it opened in 2012, a milestone reached on 9 November 2022) and the 9-9 bis at Oignies, where mining heritage hosts digital creation.",
        "summary_nl": "Het Louvre-Lens (5 miljoen bezoekers sinds de opening in 2012, bereikt op 9 november 2022) en de 9-9 bis in Oignies, waar digitale creatie een plek krijgt in het mijnerfgoed.",
    },
    "agriculture-durable": {
        "summary_fr": "Nourrir un bassin de 650\xa0000 habitants en circuits courts.",
        "summary_en": "Feeding a population of 650,000 through short supply chains.",
        "summary_nl": "650.000 inwoners voeden via korte ketens.",
    },
    "acc-gigafactory": {
        "figures_fr": "2\xa0000 emplois à l’horizon 2030\nProduction à partir de 2023\nDouvrin / Billy-Berclau",
        "figures_en": "2,000 jobs by 2030\nProduction from 2023\nDouvrin / Billy-Berclau",
        "figures_nl": "2.000 banen in 2030\nProductie vanaf 2023\nDouvrin / Billy-Berclau",
        "body_fr": "La première gigafactory de batteries pour voitures électriques de France est sortie de terre dans le Parc des Industries Artois-Flandres, géré par le SIZIAF, et verra sa production débuter en 2023. Avec le développement du CRITT M2A à Bruay-la-Buissière, le projet ACC constitue un atout essentiel de la stratégie du territoire autour de la filière de l’électromobilité.",
        "body_en": "France's first battery gigafactory for electric cars was built at the Parc des Industries Artois-Flandres, managed by SIZIAF, and starts production in 2023. Together with the expansion of the CRITT M2A at Bruay-la-Buissière, ACC is a cornerstone of the territory's electromobility strategy.",
        "body_nl": "De eerste batterijgigafabriek voor elektrische auto's in Frankrijk werd gebouwd in het Parc des Industries Artois-Flandres, beheerd door SIZIAF, en start de productie in 2023. Samen met de uitbreiding van het CRITT M2A in Bruay-la-Buissière is ACC een hoeksteen van de elektromobiliteitsstrategie van de regio.",
    },
    "vivalley-lievin": {
        "year": 2023,
        "figures_fr": "110 hectares\nLivraison de Vivalley Center\xa0: premier trimestre 2023",
        "figures_en": "110 hectares\nVivalley Center delivered in the first quarter of 2023",
        "figures_nl": "110 hectare\nOplevering van Vivalley Center: eerste kwartaal 2023",
        "body_fr": "Vivalley Center, projet porté par de nombreux acteurs de la région, est un espace immobilier dédié à l’activité économique et à l’innovation. Vivalley Campus propose une offre étendue autour du sport, de la santé et du bien-être sur 110 hectares, avec l’Arena stade couvert, la faculté des sports de Liévin, le complexe aquatique Nauticaa et le Racing Club de Lens.",
        "body_en": "Vivalley Center, backed by many partners in the region, is a property development for business and innovation. Vivalley Campus offers a wide range of facilities for sport, health and well-being across 110 hectares, with the Arena indoor stadium, the Liévin sports faculty, the Nauticaa aquatic centre and the Racing Club de Lens.",
        "body_nl": "Vivalley Center, gedragen door tal van partners uit de regio, is een vastgoedproject voor economische activiteit en innovatie. Vivalley Campus biedt op 110 hectare een ruim aanbod rond sport, gezondheid en welzijn, met het overdekte Arena-stadion, de sportfaculteit van Liévin, het zwemcomplex Nauticaa en de Racing Club de Lens.",
    },
    "parc-solaire-leforest": {
        "year": 2023,
        "figures_fr": "32 hectares\n34\xa0300 panneaux photovoltaïques\n19,1\xa0GWh/an, la consommation de 4\xa0000 foyers\nMise en service fin 2023",
        "figures_en": "32 hectares\n34,300 solar panels\n19.1 GWh a year, the consumption of 4,000 households\nIn service at the end of 2023",
        "figures_nl": "32 hectare\n34.300 zonnepanelen\n19,1 GWh per jaar, het verbruik van 4.000 huishoudens\nIn bedrijf eind 2023",
        "body_fr": "34\xa0300 panneaux photovoltaïques sont installés sur cet ancien site d’enfouissement de déchets fermé en 2017\xa0: le parc solaire communautaire de Leforest, d’une superficie de 32 hectares, pourra fournir l’équivalent de la consommation de 4\xa0000 foyers.",
        "body_en": "34,300 solar panels are being installed on this former landfill, closed in 2017: the 32-hectare Leforest community solar park will supply as much electricity as 4,000 households use.",
        "body_nl": "Op deze in 2017 gesloten stortplaats worden 34.300 zonnepanelen geïnstalleerd: het intergemeentelijke zonnepark van Leforest, 32 hectare groot, zal evenveel stroom leveren als 4.000 huishoudens verbruiken.",
    },
}
