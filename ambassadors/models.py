from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.photos import (
    photo_files_delete,
    photo_files_replaced,
    photo_store,
    srcset,
)
from core.validators import HTTP_URL, http_url
from sites.models import photo_path


class AmbassadorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def featured(self):
        return self.published().filter(is_featured=True)

    def in_sector(self, sector):
        return self.filter(sector=sector) if sector else self


class Ambassador(models.Model):
    """An entrepreneur portrait of the Invest in Artois campaign."""

    class Sector(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        STARTUP = "startup", _("Start-up and innovation")
        AGRICULTURE = "agriculture", _("Sustainable agriculture")
        DIGITAL = "digital", _("Digital and creative industries")
        LOGISTICS = "logistics", _("Logistics")
        RESEARCH = "research", _("Research and development")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    role = models.CharField(_("role"), max_length=200)
    company = models.CharField(_("company"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    commune = models.ForeignKey(
        "sites.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    quote = models.CharField(_("quote"), max_length=300)
    story = models.TextField(_("story"))
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    photo_width = models.PositiveIntegerField(null=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, editable=False)
    video_url = models.URLField(
        _("video link"),
        blank=True,
        validators=[HTTP_URL],
        help_text=_("Shown as a link, never embedded."),
    )
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo content"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        photo_files_replaced(self, "photo", "photo_width")
        if self.photo and not self.photo._committed:
            self.photo_width, self.photo_height = photo_store(self.photo)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("ambassadors:detail", args=[self.slug])

    @property
    def video_link(self):
        return http_url(self.video_url)

    @property
    def photo_srcset(self):
        return srcset(self.photo, self.photo_width)


def _ambassador_deleted(sender, instance, **kwargs):
    photo_files_delete(instance.photo, instance.photo_width)


models.signals.post_delete.connect(_ambassador_deleted, sender=Ambassador)
