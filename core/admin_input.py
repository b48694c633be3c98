"""What Django's admin takes from a request as it comes: a few values it
passes to a query unchecked, where a crafted one (an id "abc", a NUL byte)
was a server error instead of the admin's usual refusal.

`CheckedInputAdmin` goes first in every ModelAdmin's bases, and in the
inlines with autocomplete fields.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def keys_valid(field, values):
    """Whether every one of `values` can be a value of the model `field`."""
    try:
        for value in values:
            field.to_python(value)
    except ValidationError:
        return False
    return True


class KeyCheckedAutocomplete(AutocompleteSelect):
    """Django's widget looks up the value it shows again: a refused form's
    value that is no key ("abc" for a park) crashed that lookup, and the
    page saying "Select a valid choice" was never drawn."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(
            name, [v for v in value if keys_valid(target, [v])], attr
        )


class CheckedInputAdmin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = KeyCheckedAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The change list's search box refuses a NUL byte; the autocomplete's
        # term reached PostgreSQL with it, which refuses it with an error.
        search_term = search_term.replace("\x00", "")
        return super().get_search_results(request, queryset, search_term)

    def response_action(self, request, queryset):
        # Ticked rows that are no key ("abc") are no rows: said as Django
        # says nothing was ticked, where its filter on them was an error.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        across = forms.BooleanField().to_python(request.POST.get("select_across"))
        if not across and not keys_valid(self.opts.pk, selected):
            message = _(
                "Items must be selected in order to perform "
                "actions on them. No items have been changed."
            )
            self.message_user(request, message, messages.WARNING)
            return None
        return super().response_action(request, queryset)
