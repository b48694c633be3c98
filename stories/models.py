"""The portal's editorial content: the territory's sectors, the investments that
succeeded there, and the Parc d'innovation de l'Artois with its sites."""

from urllib.parse import urlencode

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.validators import HTTP_URL
from sites.models import VOCATIONS

REPORT_2022 = "Rapport d'activité 2022 du Pôle Métropolitain de l'Artois"


def http_url_field(verbose_name):
    return models.URLField(verbose_name, blank=True, validators=[HTTP_URL])


def search_url(**params):
    """The search page, pre-filled: the plots that match."""
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("sites:search") + (f"?{query}" if query else "")


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Content(models.Model):
    """What the editorial pages share: publication, order, source."""

    slug = models.SlugField(unique=True, max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        default=REPORT_2022,
        help_text=_("Where the facts and figures come from."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Sector(Content):
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    vocation = models.CharField(
        _("plot vocation"),
        max_length=20,
        choices=VOCATIONS,
        blank=True,
        help_text=_("The sector page links to the plots of this vocation."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stories:sector", args=[self.slug])

    @property
    def plots_url(self):
        return search_url(vocation=self.vocation)


class SuccessStory(Content):
    title = models.CharField(_("title"), max_length=200)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    commune = models.ForeignKey(
        "sites.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    park = models.ForeignKey(
        "sites.BusinessPark",
        verbose_name=_("business park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("If set, the story links to this park's plots."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    figures = models.TextField(
        _("key figures"), blank=True, help_text=_("One figure per line.")
    )
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["position", "-year", "title"]
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:story", args=[self.slug])

    @property
    def figure_lines(self):
        return [line.strip() for line in self.figures.splitlines() if line.strip()]

    @property
    def plots_url(self):
        """The plots nearest to the story: its park's, else its sector's."""
        if self.park_id and self.park.is_published:
            return search_url(park=self.park.slug)
        return search_url(vocation=self.sector.vocation if self.sector else "")


class InnovationPark(Content):
    """The Parc d'innovation de l'Artois: one page, its sites on a map."""

    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    operators = models.TextField(_("operators"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    website = http_url_field(_("website"))

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("innovation park")
        verbose_name_plural = _("innovation park")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stories:innovation")


class InnovationSite(models.Model):
    """One of the park's "lieux totems", one per agglomeration."""

    park = models.ForeignKey(
        InnovationPark, on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    commune = models.ForeignKey(
        "sites.Commune", verbose_name=_("commune"), on_delete=models.PROTECT
    )
    business_park = models.ForeignKey(
        "sites.BusinessPark",
        verbose_name=_("business park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Placed on its park if set, else on its commune."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("innovation site")
        verbose_name_plural = _("innovation sites")

    def __str__(self):
        return self.name
