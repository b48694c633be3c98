"""Personal data held by apps that do not know each other.

The right of access and erasure is one command (leads_export_person): each
app that keeps an email address registers, in its AppConfig.ready(), how to
find and erase what it holds about one, and the command asks them all.
"""

_holders = {}


def holder_register(label, *, objects, erase):
    """`objects(email)`: the model instances held (to export); `erase(email)`:
    delete them, returning how many went. `label` names them in reports."""
    _holders[label] = (objects, erase)


def held_objects(email):
    return [obj for objects, _erase in _holders.values() for obj in objects(email)]


def held_erase(email):
    """{label: how many were deleted} for each registered holder."""
    return {label: erase(email) for label, (_objects, erase) in _holders.items()}
