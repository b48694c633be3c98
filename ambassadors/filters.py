from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Ambassador


class AmbassadorFilterForm(forms.Form):
    """The listing's GET filter: an unknown or repeated value is a form error."""

    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("All"))] + Ambassador.Sector.choices,
        required=False,
    )

    def clean(self):
        for name in self.fields:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(name, _("This filter was given more than once."))
        return super().clean()
