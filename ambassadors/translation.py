from modeltranslation.translator import TranslationOptions, register

from .models import Ambassador


@register(Ambassador)
class AmbassadorTranslation(TranslationOptions):
    fields = ["role", "company", "quote", "story"]
