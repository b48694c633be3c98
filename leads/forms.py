import re

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.text import has_control_characters
from sites.search import plot_search, search_query

from . import antispam
from .models import (
    EMAIL_CONTROL_ERROR,
    INVESTOR_FIELDS,
    MESSAGE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
    Lead,
)
from .text import single_line

PHONE = re.compile(r"^\+?[0-9 ().\-/]{6,30}$")


class SingleLineField(forms.CharField):
    def to_python(self, value):
        return single_line(super().to_python(value))


class SingleLineEmailField(forms.EmailField):
    """An address is refused, not cleaned, when it holds a control or line
    character: changed, it would no longer be the investor's."""

    def validate(self, value):
        if has_control_characters(value):
            # Instead of Django's "Enter a valid email address", which some of
            # them pass and the others do not explain.
            raise forms.ValidationError(EMAIL_CONTROL_ERROR, code="control")
        super().validate(value)


class LeadForm(forms.ModelForm):
    """What an investor may send; where it goes is never up to them."""

    consent = forms.BooleanField(required=True)
    # The honeypot: people never see it, so only robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lead
        fields = INVESTOR_FIELDS
        field_classes = {
            **{n: SingleLineField for n in ("name", "company", "country", "phone")},
            "email": SingleLineEmailField,
        }
        widgets = {
            "message": forms.Textarea(
                attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = format_html(
            _(
                "I agree that Invest in Artois and the economic developers of the "
                "territory use these details to answer my request, as explained in "
                'the <a href="{}">privacy notice</a>.'
            ),
            reverse("leads:privacy"),
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        # A phone's keypad on a mobile, the browser's own country names.
        self.fields["phone"].widget.input_type = "tel"
        self.fields["country"].widget.attrs["autocomplete"] = "country-name"
        # Most fields are needed: the few that are not say so beside their name.
        for name in self.Meta.fields:
            field = self.fields[name]
            if not field.required:
                field.label = format_lazy(_("{label} (optional)"), label=field.label)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        # A list not chosen yet asks for a choice (Django's blank is '---------').
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and field.choices[0][0] == "":
                field.choices = [("", _("Choose…")), *field.choices[1:]]
        if not self.is_bound:
            self.initial.setdefault("issued", antispam.form_token())

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a phone number, e.g. +33 3 21 00 00 00.")
            )
        return phone

    def confirmation(self):
        """The same answers, bound again, with a fresh time token: the form to
        send back when the first one was too old or its token unreadable."""
        data = self.data.copy()
        data["issued"] = antispam.form_token(confirming=True)
        return type(self)(data)

    def lead_data(self):
        """The investor's fields, ready for the lead_submit service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProjectForm(LeadForm):
    """ "Describe your project", under a search that found too few plots: the
    project comes first, then whom to answer; a general lead (for the PMA) that
    remembers the search."""

    search = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(LeadForm.Meta):
        fields = (
            *("surface_needed_m2", "timeline", "jobs_planned", "project_type"),
            *("message", "name", "company", "country", "email", "phone", "language"),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = _("Your needs")
        self.fields["message"].help_text = _(
            "Buildings, power, water, rail or canal, access, staff: what the "
            "project needs, and what you did not find."
        )
        self.fields["message"].widget.attrs["rows"] = 4

    def clean_search(self):
        # Only the search's own parameters, rebuilt: the developers' email links
        # to it, and nothing else the sender put in the field goes there.
        # A search too long to keep is left out, not refused: the lead matters.
        search = plot_search(params=QueryDict(self.cleaned_data["search"]))
        query = search_query(search) if search.is_valid() else ""
        return query if len(query) <= SEARCH_MAX_LENGTH else ""

    def lead_data(self):
        return {**super().lead_data(), "search": self.cleaned_data["search"]}
