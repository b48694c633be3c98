"""A staff member's preview of an unpublished park or plot: its public page,
shown to whoever may change it in the admin (sites.staff), to nobody else.

Everyone else gets the 404 of a slug nobody knows: the page does not say that
the listing exists. A preview is kept by no cache (core.caching.nothing_kept,
kept_by_nobody), is not indexed, and offers no contact form: a lead sent from
it would reach the developers as an investor's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from .models import Plot
from .staff import may_change_in_admin


@dataclass(frozen=True)
class Preview:
    admin_url: str  # the listing's change page
    hidden_by_park: object = None  # a published plot's unpublished park


def previewed(request, selector, slug):
    """What `selector(slug, preview=True)` finds, if the staff member of
    `request` may change it in the admin; else None."""
    # Without a session there is no staff member; asking for the user would
    # read the session all the same, and the 404 would then vary on the
    # cookie, unlike the one every visitor gets today.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    if not request.user.is_authenticated:
        return None
    try:
        listing = selector(slug, preview=True)
    except ObjectDoesNotExist:
        return None
    return listing if may_change_in_admin(request, listing) else None


def preview_of(listing):
    """What the page's preview banner says of `listing`."""
    opts = listing._meta
    admin_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[listing.pk]
    )
    park = None
    if isinstance(listing, Plot) and listing.is_published:
        park = listing.park  # published itself, it waits for its park
    return Preview(admin_url=admin_url, hidden_by_park=park)
