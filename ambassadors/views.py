from django.shortcuts import get_object_or_404, render

from core.caching import cache_listings_page

from .filters import AmbassadorFilterForm
from .models import Ambassador


@cache_listings_page(params=AmbassadorFilterForm.base_fields)
def listing(request):
    form = AmbassadorFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "ambassadors": []}
        return render(request, "ambassadors/list.html", context, status=400)
    ambassadors = (
        Ambassador.objects.published()
        .in_sector(form.cleaned_data["sector"])
        .select_related("commune")
        .defer("commune__boundary", "commune__point")
    )
    context = {"form": form, "ambassadors": ambassadors}
    return render(request, "ambassadors/list.html", context)


@cache_listings_page
def detail(request, slug):
    ambassador = get_object_or_404(
        Ambassador.objects.published()
        .select_related("commune")
        .defer("commune__boundary", "commune__point"),
        slug=slug,
    )
    return render(request, "ambassadors/detail.html", {"ambassador": ambassador})
