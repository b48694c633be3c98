from django.shortcuts import get_object_or_404, render

from .models import Ambassador


def detail(request, slug):
    ambassador = get_object_or_404(
        Ambassador.objects.published().select_related("commune"), slug=slug
    )
    return render(request, "ambassadors/detail.html", {"ambassador": ambassador})
