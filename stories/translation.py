"""Editorial content in French, English and Dutch (French is the fallback)."""

from modeltranslation.translator import TranslationOptions, register

from .models import InnovationPark, InnovationSite, Sector, SuccessStory


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ["name", "summary", "body"]


@register(SuccessStory)
class SuccessStoryTranslation(TranslationOptions):
    fields = ["title", "figures", "summary", "body"]


@register(InnovationPark)
class InnovationParkTranslation(TranslationOptions):
    fields = ["name", "summary", "body", "operators", "programme"]


@register(InnovationSite)
class InnovationSiteTranslation(TranslationOptions):
    fields = ["venue", "description"]
