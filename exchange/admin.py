"""Import and CNIG export in the admin, on the park and plot change lists: the
park and plot admins registered by sites get them here.

The import is two steps. The upload is kept under VAR_DIR/imports with a
server-chosen name and checked in a dry run; the report comes with a confirm
button carrying a signed token (file name, user, organisation, one hour). The
confirmation runs the import again for real, on the database as it is then,
and removes the file.
"""

import copy
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import sites.admin  # noqa: F401 (registers the park and plot admins extended below)
from sites.models import BusinessPark, Organisation, Plot
from sites.staff import EVERYTHING, staff_scope

from . import cnig, import_files
from .export import EXPORTS, listings_export
from .importing import listings_import

TOKEN_SALT = "sites.admin_import"  # its old module: tokens in flight stay valid
TOKEN_MAX_AGE = 3600
STALE_UPLOAD_SECONDS = 24 * 3600
IMPORT_PERMISSIONS = [
    "sites.add_businesspark",
    "sites.change_businesspark",
    "sites.add_plot",
    "sites.change_plot",
]
# Staff export their listings extended by default: the file imports back whole.
DEFAULT_EXPORT = "extended-geojson"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "GeoJSON, zipped Shapefile or CSV (the CNIG standard's files, or a "
            "WKT column), with the CNIG field names and codes or ours."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Import for"),
        queryset=Organisation.objects.all(),
        help_text=gettext_lazy(
            "The PMA imports for every organisation: each park then names its "
            "organisation in an 'organisation' column."
        ),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if scope != EVERYTHING:
            del self.fields["organisation"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_files.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": import_files.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _import_dir():
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _upload_keep(upload):
    directory = _import_dir()
    for old in directory.iterdir():
        if old.stat().st_mtime < time.time() - STALE_UPLOAD_SECONDS:
            old.unlink(missing_ok=True)
    name = uuid.uuid4().hex
    with open(directory / name, "xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return name


def _token_read(token, user):
    """The kept file's path and organisation, or PermissionDenied."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        message = _("This import has expired: upload the file again.")
        raise PermissionDenied(message) from exc
    if data["user"] != user.pk:
        raise PermissionDenied
    path = _import_dir() / uuid.UUID(hex=data["name"]).hex
    taken = path.with_suffix(".taken")
    try:
        path.rename(taken)  # atomic: a double click imports once
    except FileNotFoundError as exc:
        raise PermissionDenied(_("This import is done or expired.")) from exc
    return taken, Organisation.objects.get(pk=data["organisation"])


def _organisation_for(form, scope):
    return form.cleaned_data["organisation"] if scope == EVERYTHING else scope


class ExchangeAdminMixin:
    """Adds Import and Export CNIG to a park or plot ModelAdmin."""

    change_list_template = "admin/exchange/change_list.html"
    actions = ["export_geojson", "export_csv", "export_official_csv"]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{name}_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name=f"{name}_export",
            ),
        ]
        return urls + super().get_urls()

    @property
    def cnig_kind(self):
        return cnig.SITE if self.model is BusinessPark else cnig.TERRAIN

    def _export(self, queryset, fmt):
        content, content_type, suffix = listings_export(self.cnig_kind, fmt, queryset)
        response = HttpResponse(content, content_type)
        variant = "" if fmt in ("csv", "geojson") else f"-{fmt.split('-')[0]}"
        filename = f"{self.cnig_kind}{variant}.{suffix}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=gettext_lazy("Export CNIG, extended (GeoJSON)"))
    def export_geojson(self, request, queryset):
        return self._export(queryset, "extended-geojson")

    @admin.action(description=gettext_lazy("Export CNIG, extended (CSV)"))
    def export_csv(self, request, queryset):
        return self._export(queryset, "extended-csv")

    @admin.action(description=gettext_lazy("Export CNIG, standard (CSV)"))
    def export_official_csv(self, request, queryset):
        return self._export(queryset, "csv")

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        fmt = request.GET.get("format", DEFAULT_EXPORT)
        if fmt not in EXPORTS:
            fmt = DEFAULT_EXPORT
        # The buttons carry the change list's query: its filters and search.
        listed = copy.copy(request)
        listed.GET = request.GET.copy()
        listed.GET.pop("format", None)
        try:
            queryset = self.get_changelist_instance(listed).queryset
        except IncorrectLookupParameters:
            opts = self.opts
            changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
            return redirect(f"{reverse(changelist)}?{ERROR_FLAG}=1")
        return self._export(queryset, fmt)

    def import_view(self, request):
        scope = staff_scope(request.user)
        if scope is None or not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        if "token" in request.POST:
            return self._import_confirmed(request)
        form = ImportForm(request.POST or None, request.FILES or None, scope=scope)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            organisation = _organisation_for(form, scope)
            name = _upload_keep(form.cleaned_data["file"])
            with open(_import_dir() / name, "rb") as kept:
                report = listings_import(
                    file=kept, organisation=organisation, dry_run=True
                )
            context["report"] = report
            if report.ok:
                data = {
                    "name": name,
                    "user": request.user.pk,
                    "organisation": organisation.pk,
                }
                context["token"] = signing.dumps(data, salt=TOKEN_SALT)
            else:
                (_import_dir() / name).unlink(missing_ok=True)
        return self._import_render(request, context)

    def _import_confirmed(self, request):
        path, organisation = _token_read(request.POST["token"], request.user)
        with open(path, "rb") as kept:
            report = listings_import(
                file=kept, organisation=organisation, dry_run=False
            )
        path.unlink(missing_ok=True)
        if not report.committed:
            messages.error(
                request, _("Nothing was imported: the data changed since the dry run.")
            )
            return self._import_render(request, {"report": report})
        messages.success(
            request, _("Imported: %(summary)s") % {"summary": report.summary()}
        )
        return redirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def _import_render(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import parks and plots"),
            "max_mb": import_files.MAX_UPLOAD_BYTES // (1024 * 1024),
            **context,
        }
        return TemplateResponse(request, "admin/exchange/import_listings.html", context)


def _exchange_added(model):
    model_admin = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            model_admin.__name__,
            (ExchangeAdminMixin, model_admin),
            {"__module__": __name__},
        ),
    )


for _model in (BusinessPark, Plot):
    _exchange_added(_model)
