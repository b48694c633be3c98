"""Staff pages of the admin that are not a model's change list."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from leads.selectors import leads_to_look_at
from sites.staff import staff_scope

from . import freshness


def dashboard(request):
    scope = staff_scope(request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "organisations": freshness.organisations_figures(scope),
        "stages": freshness.Stage.choices,
        "leads_by_status": freshness.leads_by_status(scope),
        "leads_by_month": freshness.leads_by_month(scope),
        "stale": freshness.stale_listings(scope),
        "to_look_at": leads_to_look_at(scope),
        "working_days": settings.LEADS_UNTOUCHED_WORKING_DAYS,
    }
    return TemplateResponse(request, "admin/workspace/dashboard.html", context)
