# ruff: noqa: E501 (the packages' own words, whole)
"""Words the admin's packages show staff that they have in French but not in
Dutch: Django would show Dutch staff the French (its fallback is the portal's
default language). Listed here so that makemessages keeps them in the portal's
catalogue, where locale/nl gives their Dutch (tests/test_third_party_words.py
finds any a package upgrade adds). Never imported."""

from django.utils.translation import gettext_noop, ngettext_lazy

WORDS = {
    "axes": (
        gettext_noop("Access lock out"),
        gettext_noop(
            "Account locked: too many login attempts. Contact an admin to unlock your account."
        ),
        gettext_noop(
            "Account locked: too many login attempts. Please try again later."
        ),
        gettext_noop("Attempt Time"),
        gettext_noop("Failed Logins"),
        gettext_noop("Form Data"),
        gettext_noop("GET Data"),
        gettext_noop("IP Address"),
        gettext_noop("Logout Time"),
        gettext_noop("Meta Data"),
        gettext_noop("POST Data"),
        gettext_noop("Path"),
        gettext_noop("Username"),
        gettext_noop("access attempt"),
        gettext_noop("access attempts"),
        gettext_noop("access failure"),
        gettext_noop("access failures"),
        gettext_noop("access log"),
        gettext_noop("access logs"),
    ),
    "django": (
        gettext_noop("Add link"),
        gettext_noop(
            "After you’ve created a user, you’ll be able to edit more user options."
        ),
        gettext_noop("Change or view list link"),
        gettext_noop("Error:"),
        gettext_noop("Forgotten your login credentials?"),
        gettext_noop("In case you’ve forgotten, you are:"),
        gettext_noop("Model name"),
        gettext_noop(
            "%(model)s instance with %(field)s %(value)r is not a valid choice."
        ),
        ngettext_lazy(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            "length",
        ),
    ),
    "leaflet": (
        gettext_noop("<strong>Error:</strong> shape edges cannot cross!"),
        gettext_noop("Background"),
        gettext_noop("Cancel editing, discards all changes."),
        gettext_noop("Click and drag to draw circle."),
        gettext_noop("Click and drag to draw rectangle."),
        gettext_noop("Click cancel to undo changes."),
        gettext_noop("Click first point to close this shape."),
        gettext_noop("Click last point to finish line."),
        gettext_noop("Click map to place marker."),
        gettext_noop("Click on a feature to remove"),
        gettext_noop("Click to continue drawing line."),
        gettext_noop("Click to continue drawing shape."),
        gettext_noop("Click to start drawing line."),
        gettext_noop("Click to start drawing shape."),
        gettext_noop("Delete last point"),
        gettext_noop("Delete last point drawn"),
        gettext_noop("Delete layers"),
        gettext_noop("Drag handles, or marker to edit feature."),
        gettext_noop("Draw a marker"),
        gettext_noop("Draw a polygon"),
        gettext_noop("Draw a polyline"),
        gettext_noop("Edit layers"),
        gettext_noop("No layers to delete."),
        gettext_noop("No layers to edit."),
        gettext_noop("Release mouse to finish drawing."),
        gettext_noop("Reset view"),
        gettext_noop("Save changes."),
        gettext_noop("Spatial extent should be a tuple (minx, miny, maxx, maxy)"),
    ),
    "simple_history": (
        gettext_noop("Change History"),
        gettext_noop("Change reason"),
        gettext_noop("Changed by"),
        gettext_noop(
            "Choose a date from the list below to revert to a previous version of this object."
        ),
        gettext_noop("Comment"),
        gettext_noop("Object"),
        gettext_noop("Press the 'Change History' button below to edit the history."),
        gettext_noop(
            "Press the 'Revert' button below to revert to this version of the object."
        ),
        gettext_noop("Revert"),
        gettext_noop("Revert %(verbose_name)s"),
        gettext_noop("Revert %s"),
        gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
        gettext_noop("This object doesn't have a change history."),
        gettext_noop("View %(verbose_name)s"),
        gettext_noop("View history: %s"),
        gettext_noop("You may edit it again below"),
    ),
}
