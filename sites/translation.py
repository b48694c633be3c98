"""Content fields staff write in French, English and Dutch (django-modeltranslation).

Names stay as they are (they are proper nouns); descriptions and captions are
translated, and fall back to French where a translation is missing.

Change history is registered here, after the translations: a historical model
copies the fields its model has when it is created, and the translated columns
(description_fr, _en, _nl) only exist from this point on.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import BusinessPark, Contact, Organisation, ParkPhoto, Plot, PlotPhoto


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ["description"]


@register(Contact)
class ContactTranslation(TranslationOptions):
    # Often a team ("Economic development") rather than a person.
    fields = ["name", "role"]


@register(BusinessPark)
class BusinessParkTranslation(TranslationOptions):
    fields = ["description"]


@register(Plot)
class PlotTranslation(TranslationOptions):
    fields = ["description"]


@register(ParkPhoto)
class ParkPhotoTranslation(TranslationOptions):
    fields = ["caption"]


@register(PlotPhoto)
class PlotPhotoTranslation(TranslationOptions):
    fields = ["caption"]


simple_history.register(BusinessPark)
simple_history.register(Plot)
