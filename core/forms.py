"""Form fields the portal's forms share."""

from django import forms
from django.db import models


class DecimalInput(forms.TextInput):
    """A figure typed as people write it. Chromium's number input drops the
    comma a French, Belgian or Dutch visitor types ("2,5" became 25, without
    a word): a text input with the decimal keypad instead, and
    DecimalCommaField reads either separator."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


class DecimalCommaField(forms.DecimalField):
    """A decimal read with a comma or a point ("2,5" and "2.5"); a figure with
    both, or grouped ("1.250,5"), stays the error it was."""

    widget = DecimalInput

    def to_python(self, value):
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".", 1)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # Not the min, max and step of a number input, which a text input has not.
        attrs = super().widget_attrs(widget)
        return {k: v for k, v in attrs.items() if k not in ("min", "max", "step")}


# For a ModelAdmin's formfield_overrides: the admin's figures (hectares,
# prices, MVA, km) as the public search reads them.
DECIMALS = {models.DecimalField: {"form_class": DecimalCommaField}}
