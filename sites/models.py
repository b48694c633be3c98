"""The territory and its business land, aligned with the CNIG business-zone standard.

CNIG names are given next to each field (`site_eco` for parks, `terrain_eco` for
plots) so that imports and open-data exports map one to one.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.photos import (
    photo_files_delete,
    photo_files_replaced,
    photo_store,
    srcset,
)
from core.text import has_control_characters
from core.validators import HTTP_URL

from . import codes
from .surfaces import hectares  # on the ground (ellipsoid), not Lambert-93's plane

SRID = settings.STORAGE_SRID
CODE_LENGTH = 80  # the longest official code has 70 characters
# Surfaces, power, distances and prices: none is below zero (the search
# refuses a negative bound, and a page would show "-12 € / m²").
NOT_NEGATIVE = MinValueValidator(0)


def figure(verbose_name, max_digits, decimal_places, **kwargs):
    """A surface, power, distance or price: never below zero, empty when not
    known."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=decimal_places,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        **kwargs,
    )


def distance_km(verbose_name):
    """A distance by road, in km, to the tenth."""
    return figure(verbose_name, max_digits=5, decimal_places=1)


def code_field(verbose_name, choices, default, **kwargs):
    """A field holding one of the CNIG standard's codes (sites.codes)."""
    return models.CharField(
        verbose_name,
        max_length=CODE_LENGTH,
        choices=choices,
        default=default,
        **kwargs,
    )


def identified_on_field():
    return models.DateField(  # site_identif_date, terr_identif_date
        _("identified on"),
        default=timezone.localdate,
        help_text=_("When the listing was first identified (CNIG inventory)."),
    )


def valid_geometry(field, model):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isvalid": True}),
        name=f"{model}_{field}_valid",
        violation_error_message=_("The geometry is not valid."),
    )


def _outline_checked(listing, check, **values):
    """Run an outline check (sites.outlines) for `listing`; keep where the
    problem is for the admin's map when it fails."""
    from .outlines import OutlineError

    listing.outline_problem = None
    try:
        return check(
            **values, exclude_pk=listing.pk, territory=listing.outline_territory
        )
    except OutlineError as error:
        listing.outline_problem = error.where
        raise


def _park_set(plot):
    return plot._state.fields_cache.get("park") is not None


# About 1,000 words, in each language: more than any description here needs.
DESCRIPTION_MAX_LENGTH = 6000


class OrganisationQuerySet(models.QuerySet):
    def members(self):
        """The agglomerations and SIZIAF: those that manage land. SIZIAF is the
        PMA's partner, not its member (see agglomerations)."""
        return self.exclude(kind=Organisation.Kind.METROPOLITAN)

    def agglomerations(self):
        """The PMA's members in our data; the fourth, the Département du
        Pas-de-Calais, is not an organisation here (2022 report)."""
        return self.filter(kind=Organisation.Kind.AGGLOMERATION)

    def metropolitan(self):
        return self.filter(kind=Organisation.Kind.METROPOLITAN)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Metropolitan pole")
        AGGLOMERATION = "agglomeration", _("Agglomeration")
        SYNDICATE = "syndicate", _("Industrial-zone syndicate")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    siren = models.CharField(  # exported as the parks' site_epci_siren
        _("SIREN"),
        max_length=9,
        blank=True,
        help_text=_("9 digits, if it has one."),
        validators=[RegexValidator(r"^\d{9}\Z", _("9 digits, if it has one."))],
    )
    website = models.URLField(_("official website"), blank=True, validators=[HTTP_URL])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # Its staff see every organisation's listings and leads, and it
            # receives the general enquiries: a second one, added in the
            # admin, would be one membership away from seeing everything.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="metropolitan"),
                name="one_metropolitan_pole",
                violation_error_message=_(
                    "There is already a metropolitan pole: the territory has one."
                ),
            )
        ]

    def __str__(self):
        return self.short_name

    def clean(self):
        # An agglomeration is an EPCI, which always has one; its communes'
        # parks give it as site_epci_siren, a column the CNIG standard
        # requires (without it the open-data CSVs did not validate).
        if self.kind == self.Kind.AGGLOMERATION and not self.siren:
            raise ValidationError(
                {"siren": _("An agglomeration has a SIREN: give its 9 digits.")}
            )

    @property
    def is_metropolitan(self):
        """The PMA: its staff see every organisation's listings and leads."""
        return self.kind == self.Kind.METROPOLITAN


class Contact(models.Model):
    """An economic developer of an organisation, who receives investors' leads."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    receives_leads = models.BooleanField(_("receives leads"), default=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Of the emails the contact gets about leads; French if empty."),
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("economic-development contact")
        verbose_name_plural = _("economic-development contacts")

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class StaffMembership(models.Model):
    """The organisation a staff user works for: it bounds what they see in the admin.

    Staff of the PMA see every organisation's listings; the others only their own.
    A staff user without a membership sees nothing (fail closed).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def sees_everything(self):
        return self.organisation.is_metropolitan


class CommuneQuerySet(models.QuerySet):
    def in_territory(self):
        return self.filter(organisation__isnull=False)

    def population(self):
        """How many communes, their inhabitants and the census year, in one query.

        The data file has a single vintage; the latest one is named should an
        older database still hold another."""
        totals = self.aggregate(
            communes=Count("pk"),
            inhabitants=Sum("population"),
            population_year=Max("population_year"),
        )
        return totals | {"inhabitants": totals["inhabitants"] or 0}


class Commune(models.Model):
    """A French commune. Those of the three agglomerations carry a boundary; the
    others (Nord, Pas-de-Calais, Somme) only a point, for labour-pool figures."""

    insee = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    departement = models.CharField(_("département"), max_length=3)
    population = models.PositiveIntegerField(_("population"))
    # The INSEE census vintage of `population` (a legal population "2023" is
    # that of 1 January 2023, in force from 1 January 2026).
    population_year = models.PositiveSmallIntegerField(
        _("population year"), null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("agglomeration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
    )
    point = models.PointField(_("point inside the commune"), srid=SRID)
    boundary = models.MultiPolygonField(_("boundary"), srid=SRID, null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [valid_geometry("boundary", "commune")]

    def __str__(self):
        return self.name


class Listing(models.Model):
    """What parks and plots share: publication, demo marking, freshness."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True, max_length=220)
    # Bounded as every other text a page shows: the plot and park pages show
    # it whole, and a pasted document of 100,000 characters was accepted.
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(
        _("demo content"), default=False, help_text=_("Shown with a 'demo' badge.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)  # *_actu_date

    # Written to a required column of the CNIG files (site_id, terr_id...).
    CNIG_REQUIRED_TEXT = ("reference",)
    # One line each, shown on the pages, in the leads' emails and the files.
    SINGLE_LINE_TEXT = ("name", "reference")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        """Also: no "NA" or "N/A" where the CNIG files require a value: the
        standard reads it as an empty cell, and the open-data files were no
        longer valid (a pole_id of "NA" typed for "no pole")."""
        try:
            super().clean_fields(exclude=exclude)
            errors = {}
        except ValidationError as error:
            errors = error.error_dict
        for name in set(self.CNIG_REQUIRED_TEXT) - set(exclude or ()) - set(errors):
            value = getattr(self, name)
            if value and value.strip() in codes.MISSING_VALUES:
                errors[name] = [
                    ValidationError(READ_AS_EMPTY % {"value": value.strip()})
                ]
        # A line break, or a bidirectional override that shows a name in
        # another order than it reads, as the contact form refuses them.
        for name in set(self.SINGLE_LINE_TEXT) - set(exclude or ()) - set(errors):
            if has_control_characters(getattr(self, name)):
                errors[name] = [ValidationError(CONTROL_CHARACTERS_FOUND)]
        if errors:
            raise ValidationError(errors)

    @property
    def cnig_id(self):
        """Its key in the CNIG files (site_id, terr_id): the reference, or the
        slug standing in for a missing one (exchange.export)."""
        return self.reference or self.slug

    def validate_unique(self, exclude=None):
        """Also: no other listing of its kind has its CNIG identifier. It is
        the official tables' primary key, which a plot's site_id points to:
        two parks under one site_id made the open-data files invalid, and
        the import could no longer tell them apart. (The importer, which
        checks its rows without a query each, does it in memory.)"""
        super().validate_unique(exclude=exclude)
        exclude = set(exclude or ())
        if {"reference", "slug"} <= exclude or not self.cnig_id:
            return
        others = type(self).objects.exclude(pk=self.pk)
        key = self.cnig_id
        if others.filter(Q(reference=key) | Q(reference="", slug=key)).exists():
            if self.reference:
                raise ValidationError({"reference": IDENTIFIER_TAKEN})
            raise ValidationError({"slug": SLUG_IS_AN_IDENTIFIER})


CONTROL_CHARACTERS_FOUND = _(
    "This text holds invisible control characters (a line break, or one that "
    "changes the order it shows in): type it again on one line."
)
READ_AS_EMPTY = _(
    "The CNIG files read “%(value)s” as an empty cell, where they require a "
    "value: write it, or leave the field empty if there is none."
)
IDENTIFIER_TAKEN = _(
    "Another listing of this kind already has this reference: a CNIG "
    "identifier (site_id, terr_id) names one listing only."
)
SLUG_IS_AN_IDENTIFIER = _(
    "This slug is the reference of another listing of this kind, and it "
    "stands in for this one's missing reference in the CNIG files: give it "
    "a reference of its own or another slug."
)


class BusinessParkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class BusinessPark(Listing):
    """CNIG `site_eco`: a business park (ZAE)."""

    CNIG_REQUIRED_TEXT = ("reference", "pole_reference", "name")  # site_id...
    SINGLE_LINE_TEXT = ("name", "reference", "pole_reference")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("managing organisation"),  # site_moa_nom
        on_delete=models.PROTECT,
        related_name="parks",
    )
    commune = models.ForeignKey(  # site_comm_insee
        Commune, verbose_name=_("main commune"), on_delete=models.PROTECT
    )
    perimeter = models.MultiPolygonField(_("perimeter"), srid=SRID)  # site_geomsurf
    centroid = models.PointField(_("centroid"), srid=SRID, editable=False)
    surface_gross_ha = models.DecimalField(  # site_surf_brute
        _("gross surface (ha)"), max_digits=9, decimal_places=2, editable=False
    )
    surface_usable_ha = figure(  # site_surf_utile
        _("usable surface (ha)"), max_digits=9, decimal_places=2
    )
    # site_url; http(s) only, as the import takes it (no ftp: or javascript:)
    website = models.URLField(_("web page"), blank=True, validators=[HTTP_URL])
    reference = models.CharField(  # site_id
        _("reference"),
        max_length=50,
        blank=True,
        help_text=_("CNIG site_id, when the park has one elsewhere."),
    )
    pole_reference = models.CharField(  # pole_id
        _("economic pole"),
        max_length=50,
        blank=True,
        help_text=_("CNIG pole_id of the group of parks it belongs to, if any."),
    )
    park_type = code_field(  # site_type
        _("type of park"), codes.ParkType, codes.ParkType.BUSINESS_ZONE
    )
    dominant_vocation = code_field(  # site_vocadomi
        _("dominant vocation"), codes.DominantVocation, codes.DominantVocation.MIXED
    )
    state = code_field(_("state"), codes.ParkState, codes.ParkState.ACTIVE)  # site_etat
    urban_growth = code_field(  # site_evol_urba
        _("kind of urbanisation"), codes.UrbanGrowth, "", blank=True
    )
    owner_type = code_field(  # site_moa_type
        _("type of project owner"), codes.OwnerType, codes.OwnerType.EPCI
    )
    identified_on = identified_on_field()

    # Vocations (site_voca_*); logistics is not a CNIG vocation but investors ask.
    vocation_industry = models.BooleanField(_("industry"), default=False)
    vocation_logistics = models.BooleanField(_("logistics"), default=False)
    vocation_tertiary = models.BooleanField(_("tertiary"), default=False)
    vocation_crafts = models.BooleanField(_("crafts"), default=False)
    vocation_commercial = models.BooleanField(_("commercial"), default=False)

    # Networks (reseau_*).
    has_drinking_water = models.BooleanField(_("drinking water"), default=False)
    has_sewage = models.BooleanField(_("sewage"), default=False)
    has_gas = models.BooleanField(_("natural gas"), default=False)
    has_power = models.BooleanField(_("electricity"), default=False)
    power_capacity_mva = figure(
        _("available electrical power (MVA)"), max_digits=7, decimal_places=1
    )
    has_fibre = models.BooleanField(_("fibre optic"), default=False)
    has_rail_siding = models.BooleanField(  # reseau_fret_ferroviaire
        _("rail siding (ITE)"), default=False
    )
    has_canal_quay = models.BooleanField(_("canal quay"), default=False)  # fluvial

    # Access (desserte_*); distances by road, in km.
    has_public_transport = models.BooleanField(_("public transport"), default=False)
    motorway_name = models.CharField(_("nearest motorway"), max_length=20, blank=True)
    motorway_km = distance_km(_("distance to its interchange (km)"))
    station_name = models.CharField(_("nearest station"), max_length=100, blank=True)
    station_km = distance_km(_("distance to the station (km)"))
    freight_station_name = models.CharField(
        _("nearest freight station"), max_length=100, blank=True
    )
    freight_station_km = distance_km(_("distance to the freight station (km)"))
    airport_name = models.CharField(_("nearest airport"), max_length=100, blank=True)
    airport_km = distance_km(_("distance to the airport (km)"))
    port_name = models.CharField(_("nearest port"), max_length=100, blank=True)
    port_km = distance_km(_("distance to the port (km)"))

    # A prepared sites.outlines.Territory, set by callers that check many
    # parks in a row (the importer); None: clean() reads the communes it needs.
    outline_territory = None
    # After a refused clean(): the offending part, for the admin's map.
    outline_problem = None

    objects = BusinessParkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("business park")
        verbose_name_plural = _("business parks")
        constraints = [valid_geometry("perimeter", "businesspark")]

    def clean(self):
        if self.perimeter is None or self.organisation_id is None:
            return
        from .outlines import park_outline_check  # it reads these models

        placement = _outline_checked(
            self,
            park_outline_check,
            geom=self.perimeter,
            organisation=self.organisation,
            commune=self.commune if self.commune_id else None,
        )
        self.perimeter = placement.outline
        if self.commune_id is None and placement.commune is not None:
            self.commune = placement.commune

    @classmethod
    def from_db(cls, db, field_names, values):
        park = super().from_db(db, field_names, values)
        park._published_when_read = park.__dict__.get("is_published")
        return park

    def save(self, *args, **kwargs):
        self.computed_fields_set()
        published_now = self.is_published and (
            getattr(self, "_published_when_read", None) is False
        )
        super().save(*args, **kwargs)
        self._published_when_read = self.is_published
        if published_now:
            plots_came_on_the_market([self.pk])

    def computed_fields_set(self):
        """What save() derives from the outline (bulk writes call it too)."""
        self.centroid = self.perimeter.point_on_surface
        self.surface_gross_ha = round(hectares(self.perimeter), 2)

    def get_absolute_url(self):
        return reverse("sites:park", args=[self.slug])


def plots_came_on_the_market(park_ids):
    """The plots of parks just published are new to investors, though their
    own rows did not change: their last update (the CNIG files' terr_actu_date,
    what the search alerts announce) is now."""
    Plot.objects.filter(park__in=park_ids).update(updated_at=timezone.now())


# The vocations investors search on (the `vocation_*` flags of a park).
VOCATIONS = [
    ("industry", _("Industry")),
    ("logistics", _("Logistics")),
    ("tertiary", _("Tertiary")),
    ("crafts", _("Crafts")),
]


class PlotQuerySet(models.QuerySet):
    def published(self):
        # A plot is public only in a public park: unpublishing a park hides all.
        return self.filter(is_published=True, park__is_published=True)

    def available(self):
        return self.filter(marketing_stage=Plot.MarketingStage.AVAILABLE)

    def on_offer(self):
        """What investors may still take: published, available or under option."""
        return self.on_offer_in_any_park().filter(park__is_published=True)

    def on_offer_in_any_park(self):
        """on_offer() but for the park's publication, for a query that checks
        it its own way (sites.tiles joins the parks kept with the map's grid,
        all published)."""
        return self.filter(is_published=True, marketing_stage__in=Plot.ON_OFFER)

    def total_surface_ha(self):
        return self.aggregate(total=Sum("surface_ha"))["total"] or Decimal(0)


class Plot(Listing):
    """CNIG `terrain_eco`: a piece of business land in a park."""

    class MarketingStage(models.TextChoices):
        """What investors see; it follows from the official `commercial_stage`."""

        AVAILABLE = codes.AVAILABLE, _("Available")
        UNDER_OPTION = codes.UNDER_OPTION, _("Under option")
        SOLD = codes.SOLD, _("Sold")
        OFF_MARKET = codes.OFF_MARKET, _("Not on the market")

    # The stages of the plots investors may still take (`on_offer()`).
    ON_OFFER = (MarketingStage.AVAILABLE, MarketingStage.UNDER_OPTION)

    DevelopmentStage = codes.DevelopmentStage  # terr_stade_amngt
    CommercialStage = codes.CommercialStage  # terr_stade_comm

    reference = models.CharField(  # terr_id
        _("reference"), max_length=50, blank=True, help_text=_("CNIG terr_id.")
    )
    cadastral_refs = models.CharField(  # terr_refcad
        _("cadastral parcels"),
        max_length=500,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{8}[0-9A-Z]{2}\d{4}(\|\d{8}[0-9A-Z]{2}\d{4})*$",
                _(
                    "Parcel identifiers of 14 characters (e.g. 62498000AB0123), "
                    "separated by |."
                ),
            )
        ],
    )
    identified_on = identified_on_field()
    park = models.ForeignKey(
        BusinessPark,
        verbose_name=_("business park"),
        on_delete=models.PROTECT,
        related_name="plots",
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT
    )
    geom = models.MultiPolygonField(_("outline"), srid=SRID)  # terr_geomsurf
    computed_surface_ha = models.DecimalField(
        _("surface from the outline (ha)"),
        max_digits=9,
        decimal_places=4,
        editable=False,
    )
    cadastral_surface_ha = figure(
        _("declared cadastral surface (ha)"),
        max_digits=9,
        decimal_places=4,
        help_text=_("Overrides the surface computed from the outline."),
    )
    # Stored rather than computed per query: search filters and sorts on it.
    surface_ha = models.DecimalField(  # terr_surf_brute
        _("surface (ha)"), max_digits=9, decimal_places=4, editable=False
    )
    commercial_stage = code_field(  # terr_stade_comm
        _("marketing stage (CNIG)"),
        codes.CommercialStage,
        codes.CommercialStage.FOR_SALE,
    )
    # Stored, not computed per query: searches and key figures filter on it.
    marketing_stage = models.CharField(
        _("marketing stage"),
        max_length=20,
        choices=MarketingStage,
        default=MarketingStage.AVAILABLE,
        editable=False,
    )
    development_stage = code_field(  # terr_stade_amngt
        _("development stage"), codes.DevelopmentStage, codes.DevelopmentStage.SERVICED
    )
    land_owner = code_field(  # terr_maitrise_fonc
        _("land owner"), codes.LandOwner, codes.LandOwner.INTERCOMMUNAL
    )
    occupation = code_field(  # terr_etat_occup
        _("occupation"), codes.Occupation, codes.Occupation.VACANT_LAND
    )
    land_use = code_field(_("use"), codes.LandUse, codes.LandUse.UNKNOWN)  # terr_usage
    ready_to_build = models.BooleanField(  # terr_cle_en_main
        _("ready to build (clé en main)"), default=False
    )
    is_divisible = models.BooleanField(_("divisible"), default=False)
    minimum_lot_ha = figure(_("minimum lot (ha)"), max_digits=7, decimal_places=2)
    zoning = models.CharField(
        _("zoning (PLU)"), max_length=30, blank=True, help_text=_("For example UE.")
    )
    icpe_allowed = models.BooleanField(_("ICPE accepted"), default=False)
    seveso_allowed = models.BooleanField(_("SEVESO accepted"), default=False)
    price_per_m2 = figure(
        _("price per m² excl. tax (€)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Leave empty for 'price on request'."),
    )

    objects = PlotQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        # The search's sorts (sites.filters.IndexedOrdering reads each forwards
        # or backwards): the newest first, its default (also the map API's
        # order), and by surface.
        indexes = [
            models.Index(fields=["-updated_at", "id"], name="plot_updated_order"),
            # The plots on offer only (all the search shows), with the columns
            # of the filters on the plots: the map's cluster tiles count a
            # filtered search per park from this index alone on PostgreSQL
            # (sites.tiles), not from the table, some fifteen times its size
            # (a France-wide count at a million plots read the table for
            # 0.7 s), and a surface bound reads only the plots within it.
            # SQLite keeps the condition and leaves out what is included.
            models.Index(
                fields=["-surface_ha", "id"],
                include=["park", "price_per_m2", "ready_to_build", "icpe_allowed"],
                condition=Q(
                    is_published=True,
                    marketing_stage__in=[codes.AVAILABLE, codes.UNDER_OPTION],
                ),
                name="plot_surface_order",
            ),
        ]
        constraints = [
            valid_geometry("geom", "plot"),
            models.CheckConstraint(
                condition=Q(minimum_lot_ha__isnull=True) | Q(is_divisible=True),
                name="plot_minimum_lot_needs_divisible",
                violation_error_message=_("Only a divisible plot has a minimum lot."),
            ),
        ]

    outline_territory = None  # as for BusinessPark
    outline_problem = None

    def clean(self):
        # Explained here, before the database's validity constraint refuses it.
        # A park the same import creates has no pk yet, but is set.
        if self.geom is None or (self.park_id is None and not _park_set(self)):
            return
        if not _park_set(self):
            # A version of a deleted plot, restored from its history, may
            # name a park deleted since: refused as a choice no longer offered.
            try:
                self._meta.get_field("park").validate(self.park_id, self)
            except ValidationError as error:
                raise ValidationError({"park": error.messages}) from error
        from .outlines import plot_outline_check  # it reads these models

        placement = _outline_checked(
            self,
            plot_outline_check,
            geom=self.geom,
            park=self.park,
            commune=self.commune if self.commune_id else None,
        )
        self.geom = placement.outline
        if self.commune_id is None and placement.commune is not None:
            self.commune = placement.commune

    def save(self, *args, **kwargs):
        self.computed_fields_set()
        super().save(*args, **kwargs)

    def computed_fields_set(self):
        """What save() derives (bulk writes call it too)."""
        self.computed_surface_ha = round(hectares(self.geom), 4)
        self.surface_ha = self.cadastral_surface_ha or self.computed_surface_ha
        self.marketing_stage = codes.STAGE_OF_COMMERCIAL[self.commercial_stage]

    def get_absolute_url(self):
        return reverse("sites:plot", args=[self.slug])

    @property
    def organisation(self):
        return self.park.organisation

    @property
    def price_on_request(self):
        return self.price_per_m2 is None


def photo_path(instance, filename):
    # Server-chosen names: the uploader's file name is never trusted.
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".webp"}:
        suffix = ".jpg"
    return f"photos/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class Photo(models.Model):
    image = models.ImageField(_("image"), upload_to=photo_path)
    # Of the stored (re-encoded) image; unknown for photos stored before.
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name

    def save(self, *args, **kwargs):
        photo_files_replaced(self, "image", "width")
        if self.image and not self.image._committed:
            self.width, self.height = photo_store(self.image)
        super().save(*args, **kwargs)

    @property
    def srcset(self):
        return srcset(self.image, self.width)


class ParkPhoto(Photo):
    park = models.ForeignKey(
        BusinessPark, on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(Photo.Meta):
        verbose_name = _("park photo")
        verbose_name_plural = _("park photos")


class PlotPhoto(Photo):
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("plot photo")
        verbose_name_plural = _("plot photos")


def _photo_deleted(sender, instance, **kwargs):
    photo_files_delete(instance.image, instance.width)


# post_delete also fires for photos deleted along with their park or plot.
for _model in (ParkPhoto, PlotPhoto):
    models.signals.post_delete.connect(_photo_deleted, sender=_model)


class ClusterGrid(models.Model):
    """The one row saying which listings version the cluster cells were built
    from (sites.grid): a tile reads them only while it is the current one."""

    version = models.BigIntegerField(_("listings version"))
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("cluster grid")


class ClusterCell(models.Model):
    """The plots on offer counted per cell of the search map's clusters, at
    every clustered zoom (sites.grid): what an unfiltered low-zoom tile
    shows, without counting the plots again."""

    zoom = models.PositiveSmallIntegerField()
    cx = models.IntegerField()  # floor((x + HALF_WORLD) / cell) in Web Mercator
    cy = models.IntegerField()
    plots = models.IntegerField()
    ha = models.DecimalField(max_digits=14, decimal_places=4)
    parks = models.IntegerField()
    # Sums of the parks' centres in Web Mercator: the cluster's point is
    # their exact mean.
    sum_x = models.FloatField()
    sum_y = models.FloatField()
    park_name = models.CharField(max_length=200, blank=True)  # when alone
    park_slug = models.CharField(max_length=220, blank=True)

    class Meta:
        verbose_name = _("cluster cell")
        constraints = [
            models.UniqueConstraint(
                fields=["zoom", "cx", "cy"], name="clustercell_zoom_cx_cy"
            )
        ]


class ParkCount(models.Model):
    """Each park with plots on offer: their number and hectares, its centre
    in Web Mercator, its name and slug, kept with the cluster grid
    (sites.grid) and read only while it is current. A low-zoom tile filtered
    on the parks' own attributes alone (territory, park, sector, rail, canal,
    motorway, power) counts the matching parks' rows, not their plots; one
    filtered on the plots counts them per park and takes each park's centre
    from here (sites.tiles)."""

    park = models.OneToOneField(
        BusinessPark, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    plots = models.IntegerField()
    hectares = models.DecimalField(max_digits=14, decimal_places=4)
    # The park's centroid in Web Mercator, as the grid's cells sum it: a
    # filtered tile's count reads it here rather than joining the parks'
    # table (scanned whole) and transforming each centre.
    x = models.FloatField()
    y = models.FloatField()
    park_name = models.CharField(max_length=200)
    park_slug = models.CharField(max_length=220)

    class Meta:
        verbose_name = _("plots counted per park")


class ClusterTile(models.Model):
    """The `clusters` tile of every plot on offer, encoded from ClusterCell
    when the grid is built, for each tile of a clustered zoom that shows a
    cluster (PostgreSQL only, sites.grid): an unfiltered low-zoom tile is read,
    not encoded again."""

    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    tile = models.BinaryField()

    class Meta:
        verbose_name = _("cluster tile")
        constraints = [
            models.UniqueConstraint(
                fields=["zoom", "x", "y"], name="clustertile_zoom_x_y"
            )
        ]
