from django import forms
from django.utils.translation import gettext_lazy as _

from .models import normalised_email


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)

    def clean_email(self):
        # The address is saved lower-cased (models.normalised_email), which can
        # make it longer (İ becomes two characters): what is saved must fit too.
        email = self.cleaned_data["email"]
        self.fields["email"].run_validators(normalised_email(email))
        return email
