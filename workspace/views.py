"""Staff pages of the admin that are not a model's change list."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from leads.selectors import leads_to_look_at, leads_undelivered
from sites.staff import staff_scope

from . import charts, freshness


def _number(value):
    return number_format(value, force_grouping=True)


def _charts(leads_by_status, leads_by_month, by_freshness, ages):
    months = freshness.last_months()
    stages, by_stage = freshness.leads_by_status_series(leads_by_status)
    return {
        "leads_by_month": charts.stacked_columns(
            # "N" (janv., juin, juil.), not "M": French "M" names June "Jui".
            [date_format(first, "N y") for first in months],
            freshness.leads_by_month_series(leads_by_month, months),
            number=_number,
        ),
        "leads_by_status": charts.stacked_columns(stages, by_stage, number=_number),
        "freshness": charts.stacked_columns(
            ages,
            by_freshness,
            number=_number,
        ),
    }


def dashboard(request):
    scope = staff_scope(request.user)
    leads_by_status = freshness.leads_by_status(scope)
    leads_by_month = list(freshness.leads_by_month(scope))
    by_freshness = freshness.listings_by_freshness(scope)
    ages = [str(label) for _newest, _oldest, label in freshness.FRESHNESS_BUCKETS]
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "organisations": freshness.organisations_figures(scope),
        "stages": freshness.Stage.choices,
        "leads_by_status": leads_by_status,
        "leads_by_month": leads_by_month,
        "by_freshness": by_freshness,
        "freshness_rows": list(
            zip(ages, zip(*by_freshness.values(), strict=True), strict=True)
        ),
        "charts": _charts(leads_by_status, leads_by_month, by_freshness, ages),
        "stale": freshness.stale_listings_listed(scope),
        "to_look_at": leads_to_look_at(scope),
        "undelivered": leads_undelivered(scope),
        "working_days": settings.LEADS_UNTOUCHED_WORKING_DAYS,
    }
    return TemplateResponse(request, "admin/workspace/dashboard.html", context)
