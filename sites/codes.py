"""The CNIG business-zone standard's code lists (Table Schema v1.0.1, the `enum`
of each field in the official descriptors, docs/standards/cnig-zae/).

Each value is the official code, exactly as the standard spells it: it is what
the database stores and what the exchange files carry. Labels are for people
(English msgids, French and Dutch in the catalogues);
`tests/exchange/test_cnig_files.py` checks the lists against the official
descriptors.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

UNKNOWN, OTHER, NOT_APPLICABLE = "inconnu", "autre", "sans objet"
# The descriptors' `missingValues`: a cell spelt so is empty in the CNIG files.
MISSING_VALUES = frozenset({"", "NA", "NaN", "N/A"})


class ParkType(models.TextChoices):  # site_type
    BUSINESS_ZONE = "zone d'activité économique", _("Business zone (ZAE)")
    HISTORIC_SITE = (
        "site économique historique hors ZAE",
        _("Historic business site outside a ZAE"),
    )
    ISOLATED = "établissement économique isolé", _("Isolated business establishment")
    FUTURE_ZONE = "zone AU à vocation économique", _("Zone to be urbanised (AU)")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class DominantVocation(models.TextChoices):  # site_vocadomi
    INDUSTRY = "industrielle", _("Industry")
    COMMERCIAL = "commerciale", _("Commercial")
    TERTIARY = "tertiaire", _("Tertiary")
    CRAFTS = "artisanale", _("Crafts")
    TOURISM = "touristique", _("Tourism")
    PORT = "portuaire", _("Port")
    AIRPORT = "aéroportuaire, aéronautique", _("Airport, aeronautics")
    LOGISTICS = "entrepôts, logistique", _("Warehousing, logistics")
    AGRI_LOGISTICS = "logistique agricole", _("Agricultural logistics")
    MIXED = "mixte", _("Mixed")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class ParkState(models.TextChoices):  # site_etat
    PLANNED = "en projet", _("Planned")
    BEING_CREATED = "création", _("Being created")
    ACTIVE = "existant et actif", _("Existing and active")
    TO_BE_DECLASSIFIED = "projet de déclassement", _("To be declassified")
    DECLASSIFIED = "déclassé", _("Declassified")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class UrbanGrowth(models.TextChoices):  # site_evol_urba
    EXTENSION = "extension urbaine", _("Urban extension")
    RENEWAL = "renouvellement urbain", _("Urban renewal")
    MIXED = "mixte", _("Mixed")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class OwnerType(models.TextChoices):  # site_moa_type
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunal body (EPCI)")
    SEM = "société d'économie mixte", _("Semi-public company (SEM)")
    CCI = "chambre de commerce et industrie", _("Chamber of commerce (CCI)")
    STATE = "Etat", _("State")
    PRIVATE = "privé", _("Private")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class LandOwner(models.TextChoices):  # terr_maitrise_fonc
    PERSON = "personne physique", _("Private individual")
    STATE = "Etat", _("State")
    REGION = "région", _("Region")
    DEPARTMENT = "département", _("Département")
    INTERCOMMUNAL = "structure intercommunale", _("Intercommunal body")
    COMMUNE = "commune", _("Commune")
    OTHER_AUTHORITY = (
        "autre collectivité territoriale",
        _("Other local authority"),
    )
    SOCIAL_HOUSING = "organisme de logement social", _("Social housing body")
    LAND_AGENCY = "établissement public foncier", _("Public land agency (EPF)")
    SEM_SPLA = "SEM ou SPLA", _("Semi-public developer (SEM or SPLA)")
    DEVELOPER = "aménageur", _("Developer")
    INVESTOR = "investisseur professionnel", _("Professional investor")
    HEALTH = (
        "établissement de santé et structure sociale",
        _("Health or social establishment"),
    )
    LEISURE = (
        "établissement de tourisme et structure de loisir sportive ou cultuelle",
        _("Tourism, sports, leisure or religious establishment"),
    )
    COMPANY = (
        "établissement industriel et commercial",
        _("Industrial or commercial company"),
    )
    PROPERTY_MANAGER = (
        "organisation de gestion foncière et immobilière",
        _("Land or property manager"),
    )
    EDUCATION = (
        "établissement d'enseignement d'étude et de recherche",
        _("Education or research establishment"),
    )
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class DevelopmentStage(models.TextChoices):  # terr_stade_amngt
    NOT_DEVELOPABLE = "non aménageable", _("Cannot be developed")
    RAW = "non aménagé, non viabilisé", _("Not serviced")
    IN_PROGRESS = "viabilisation en cours", _("Being serviced")
    SERVICED_ONLY = "viabilisé non aménagé", _("Serviced, not developed")
    SERVICED = "viabilisé et aménagé", _("Serviced")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class CommercialStage(models.TextChoices):  # terr_stade_comm
    NOT_MARKETED = "non commercialisé", _("Not marketed")
    NOT_MARKETABLE = "non commercialisable", _("Cannot be marketed")
    FOR_SALE = "en vente", _("For sale")
    FOR_SALE_RESTRICTED = "en vente avec contraintes", _("For sale with constraints")
    SOLD = "vendu, commercialisation achevée", _("Sold, marketing completed")
    OPTION = "réservé par option de réservation", _("Reserved under an option")
    RESERVED_BY_EPCI = (
        "réservé par une délibération de l'EPCI",
        _("Reserved by a decision of the EPCI"),
    )
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class Occupation(models.TextChoices):  # terr_etat_occup
    VACANT_LAND = "inoccupé", _("Unoccupied")
    TEMPORARY = "occupation transitoire", _("Temporary use")
    OCCUPIED = "occupé", _("Occupied")
    VACANT = "vacant", _("Vacant")
    BROWNFIELD = "friche", _("Brownfield")
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


class LandUse(models.TextChoices):  # terr_usage
    ROADS = "voirie ou infrastructure", _("Roads or infrastructure")
    PARKING = "parkings, stationnement", _("Parking")
    TRUCK_TURNING = "zone de retournement poids-lourds", _("Lorry turning area")
    PUBLIC_FACILITIES = "autres équipements publics", _("Other public facilities")
    PRODUCTIVE = "bâti productif", _("Productive buildings")
    RESIDENTIAL = "bâti résidentiel", _("Residential buildings")
    STORM_BASIN = "bassin d'orage ou de rétention", _("Storm or retention basin")
    GREEN_SPACE = "espace vert", _("Green space")
    NATURAL = "espace naturel ou forestier", _("Natural or forest land")
    FARMLAND = "espace agricole", _("Farmland")
    SHARED_SERVICES = (
        "zone de service partagée entre entreprises",
        _("Services shared between companies"),
    )
    QUARRY = "carrières, zones d'extraction", _("Quarry, extraction")
    STORAGE = "dépôt, stockage", _("Storage")
    RENEWABLE_ENERGY = (
        "production d’énergie renouvelable",
        _("Renewable energy production"),
    )
    UNKNOWN = UNKNOWN, _("Unknown")
    OTHER = OTHER, _("Other")
    NOT_APPLICABLE = NOT_APPLICABLE, _("Not applicable")


# Our investor-facing marketing stage (Plot.MarketingStage) and the official one.
# Reading an official code sets ours; ours alone gives its usual official code.
AVAILABLE, UNDER_OPTION, SOLD, OFF_MARKET = (
    "available",
    "under_option",
    "sold",
    "off_market",
)
STAGE_OF_COMMERCIAL = {
    CommercialStage.FOR_SALE: AVAILABLE,
    CommercialStage.FOR_SALE_RESTRICTED: AVAILABLE,
    CommercialStage.OPTION: UNDER_OPTION,
    CommercialStage.RESERVED_BY_EPCI: UNDER_OPTION,
    CommercialStage.SOLD: SOLD,
    CommercialStage.NOT_MARKETED: OFF_MARKET,
    CommercialStage.NOT_MARKETABLE: OFF_MARKET,
    CommercialStage.UNKNOWN: OFF_MARKET,
    CommercialStage.OTHER: OFF_MARKET,
    CommercialStage.NOT_APPLICABLE: OFF_MARKET,
}
COMMERCIAL_OF_STAGE = {
    AVAILABLE: CommercialStage.FOR_SALE,
    UNDER_OPTION: CommercialStage.OPTION,
    SOLD: CommercialStage.SOLD,
    OFF_MARKET: CommercialStage.NOT_MARKETED,
}
