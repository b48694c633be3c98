from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404


def found_or_404(selector, slug):
    """What a detail selector returns for `slug`, or a 404 (selectors raise
    DoesNotExist, as `.get()` does)."""
    try:
        return selector(slug)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
