"""What deleting parks or plots takes away elsewhere, said before it is done.

Apps above this one keep records about listings (leads, shortlists) and this
app may not import them: each registers, in its AppConfig.ready(), a function
`(model, listings, scope)` returning sentences about the listings about to be
deleted, counted within the staff member's scope (sites.staff). The admin's
delete confirmations show them.
"""

_warnings = []


def deletion_warning_register(warn):
    _warnings.append(warn)


def deletion_warnings(model, listings, scope):
    """The registered sentences for deleting `listings` (a queryset of
    `model`), for a staff member who sees `scope`."""
    return [text for warn in _warnings for text in warn(model, listings, scope)]
