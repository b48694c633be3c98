from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from core.admin_input import CheckedInputAdmin
from core.photos import PHOTO_UPLOADS
from core.validators import HTTPS_URLS
from sites.staff import PmaOnlyAdmin

from .models import Ambassador


@admin.register(Ambassador)
class AmbassadorAdmin(CheckedInputAdmin, PmaOnlyAdmin, TranslationAdmin):
    list_display = [
        "name",
        "company",
        "sector",
        "commune",
        "is_featured",
        "is_published",
    ]
    list_select_related = ["commune"]
    list_filter = ["sector", "is_featured", "is_published", "is_demo"]
    search_fields = ["name", "company", "role"]
    autocomplete_fields = ["commune"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {**HTTPS_URLS, **PHOTO_UPLOADS}
