from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin_input import CheckedInputAdmin
from core.validators import HTTPS_URLS
from sites.staff import PmaOnlyAdmin

from .models import InnovationPark, InnovationSite, Sector, SuccessStory


@admin.register(Sector)
class SectorAdmin(CheckedInputAdmin, PmaOnlyAdmin, TranslationAdmin):
    list_display = ["name", "vocation", "position", "is_published"]
    list_editable = ["position"]
    list_filter = ["is_published", "vocation"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SuccessStory)
class SuccessStoryAdmin(CheckedInputAdmin, PmaOnlyAdmin, TranslationAdmin):
    list_display = ["title", "sector", "commune", "year", "is_published"]
    list_select_related = ["sector", "commune"]
    list_filter = ["is_published", "sector", "year"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["commune", "park"]
    prepopulated_fields = {"slug": ["title"]}


class InnovationSiteInline(CheckedInputAdmin, PmaOnlyAdmin, TranslationTabularInline):
    model = InnovationSite
    extra = 0
    autocomplete_fields = ["commune", "business_park"]


@admin.register(InnovationPark)
class InnovationParkAdmin(CheckedInputAdmin, PmaOnlyAdmin, TranslationAdmin):
    list_display = ["name", "is_published"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = HTTPS_URLS
    inlines = [InnovationSiteInline]
