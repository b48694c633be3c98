"""Bulk import of parks and plots from GeoJSON, a zipped Shapefile or CSV with WKT,
in the CNIG standard's field names (`exchange.cnig`) or ours.

Each row is checked and reported: created, updated, unchanged or refused with
its reasons. The rows are written in one transaction, which is rolled back for
a dry run and whenever a single row is refused: an import is all or nothing,
so a file is fixed and sent again rather than half applied. A dry run and the
real import run the very same code, so the report tells what the import does.
Reading the (untrusted) file is `exchange.import_files`' job.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sites.models import BusinessPark, Commune, Organisation, Plot

from . import cnig
from .import_files import ImportFileError, read_rows

OUTSIDE_TOLERANCE_M2 = 1  # reprojection noise along the territory's edge
GEOMETRY_TOLERANCE_M = 0.05  # closer than this, an outline is unchanged
COMPUTED = {
    cnig.SITE: ["centroid", "surface_gross_ha"],
    cnig.TERRAIN: ["computed_surface_ha", "surface_ha"],
}
REQUIRED = {cnig.SITE: ["name", "perimeter"], cnig.TERRAIN: ["name", "geom"]}
# Text columns stored as "" when empty; the others (translations) as NULL.
NOT_NULL_TEXT = {
    f.name
    for model in (BusinessPark, Plot)
    for f in model._meta.concrete_fields
    if not f.null and f.get_internal_type() in ("CharField", "TextField", "SlugField")
}
KIND_NAMES = {cnig.SITE: "park", cnig.TERRAIN: "plot"}

CREATE, UPDATE, UNCHANGED, REFUSE = "create", "update", "unchanged", "refuse"


class Refused(Exception):
    def __init__(self, *reasons):
        self.reasons = list(reasons)


@dataclass
class RowReport:
    label: str
    kind: str = ""
    key: str = ""
    action: str = REFUSE
    details: list = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    error: str = ""
    committed: bool = False

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def refused(self):
        return self.count(REFUSE)

    @property
    def ok(self):
        return not self.error and not self.refused

    def summary(self):
        if self.error:
            return self.error
        counts = {action: self.count(action) for action in ACTIONS}
        if self.committed:
            return (
                _("%(create)s created, %(update)s updated, %(unchanged)s unchanged.")
                % counts
            )
        return (
            _(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                "%(refuse)s refused."
            )
            % counts
        )


ACTIONS = (CREATE, UPDATE, UNCHANGED, REFUSE)


def listings_import(*, file, organisation, dry_run=True):
    """Check every row of `file` (a binary file object), then write them all in
    one transaction unless `dry_run` or a row is refused.

    `organisation` bounds what may change: its own parks and their plots. The
    metropolitan pole (PMA) may import for every organisation; its rows then
    say which one in an `organisation` column.
    """
    try:
        sources = read_rows(file)
    except ImportFileError as exc:
        return ImportReport(error=str(exc))
    importer = _Importer(organisation)
    with transaction.atomic():
        report = ImportReport(rows=importer.rows(sources))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            report.committed = True
    return report


# Writing the rows.


class _Importer:
    def __init__(self, organisation):
        self.organisation = organisation
        self.everything = organisation.kind == Organisation.Kind.METROPOLITAN
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.communes = {
            commune.insee: commune
            for commune in Commune.objects.in_territory().exclude(boundary=None)
        }
        self.boundaries = [
            (commune, commune.boundary.prepared) for commune in self.communes.values()
        ]
        self.new_slugs = set()

    def rows(self, sources):
        """Parks first, so that a plot may name a park created by the same file."""
        kinds = _kinds(sources)
        order = sorted(range(len(sources)), key=lambda i: kinds[i] != cnig.SITE)
        reports = {}
        for index in order:
            reports[index] = self.row(sources[index], kinds[index])
        return [reports[index] for index in range(len(sources))]

    def row(self, source, kind):
        report = RowReport(source.label, kind=KIND_NAMES.get(kind, ""))
        try:
            if kind is None:
                raise Refused(
                    _(
                        "cannot tell a park (site_eco: site_nom...) from a plot "
                        "(terrain_eco: terr_id, site_id...)"
                    )
                )
            values, names = _values(source, kind)
            write = self._park if kind == cnig.SITE else self._plot
            obj = write(values, names, report)
            self._save(obj, kind, values, names, report)
        except Refused as refused:
            report.action = REFUSE
            report.details = refused.reasons
        return report

    def _in_scope(self, organisation_id):
        return self.everything or organisation_id == self.organisation.pk

    def _organisation(self, slug):
        if slug is None:
            return None
        organisation = self.organisations.get(slug)
        if organisation is None:
            raise Refused(_("unknown organisation %(slug)r") % {"slug": slug})
        if not self._in_scope(organisation.pk):
            raise Refused(
                _("organisation %(slug)s: you import for %(own)s only")
                % {"slug": slug, "own": self.organisation.slug}
            )
        return organisation

    def _park(self, values, names, report):
        slug = values.pop("slug", None)
        organisation = self._organisation(values.pop("organisation", None))
        park = BusinessPark.objects.filter(slug=slug).first() if slug else None
        report.key = slug or values.get("name") or ""
        if park is not None:
            if not self._in_scope(park.organisation_id):
                raise Refused(_("this park belongs to another organisation"))
            if organisation is not None and organisation.pk != park.organisation_id:
                raise Refused(_("a park cannot move to another organisation"))
        else:
            organisation = organisation or (
                None if self.everything else self.organisation
            )
            if organisation is None:
                raise Refused(_("organisation: required to create a park"))
            park = BusinessPark(
                organisation=organisation,
                slug=slug or self._new_slug(BusinessPark, values.get("name")),
            )
        self._place(park, values, "perimeter")
        return park

    def _plot(self, values, names, report):
        slug = values.pop("slug", None)
        reference = values.get("reference") or None
        plot = self._plot_match(slug, reference)
        report.key = slug or reference or values.get("name") or ""
        if plot is not None and not self._in_scope(plot.park.organisation_id):
            raise Refused(_("this plot belongs to another organisation"))
        values["park"] = self._plot_park(values.pop("park", None), plot, names)
        if reference and reference == (slug or getattr(plot, "slug", None)):
            values["reference"] = ""  # the export's stand-in for a missing terr_id
        if plot is None:
            name = values.get("name") or reference
            plot = Plot(slug=slug or self._new_slug(Plot, name))
            if not values.get("name") and reference:
                values["name"] = f"Terrain {reference}"  # content is French
        self._place(plot, values, "geom")
        return plot

    def _plot_match(self, slug, reference):
        if slug:
            return Plot.objects.select_related("park").filter(slug=slug).first()
        if not reference:
            return None
        matches = list(
            Plot.objects.select_related("park").filter(reference=reference)[:2]
        ) or list(Plot.objects.select_related("park").filter(slug=reference))
        if len(matches) > 1:
            raise Refused(
                _("terr_id %(reference)s matches several plots")
                % {"reference": reference}
            )
        return matches[0] if matches else None

    def _plot_park(self, slug, plot, names):
        if slug is None:
            if plot is None:
                raise Refused(_("%(name)s: required") % {"name": names["park"]})
            return plot.park
        park = BusinessPark.objects.filter(slug=slug).first()
        if park is None:
            raise Refused(_("unknown park %(slug)r") % {"slug": slug})
        if not self._in_scope(park.organisation_id):
            raise Refused(
                _("park %(slug)s belongs to another organisation") % {"slug": slug}
            )
        return park

    def _place(self, obj, values, geometry_field):
        """The commune from its INSEE code or, for a new listing, from the
        outline, which is checked against the territory."""
        outline = values.get(geometry_field)
        found = None
        if outline:
            found = self._territory_commune(outline, within=isinstance(obj, Plot))
        insee = values.pop("commune", None)
        if insee is not None:
            if insee not in self.communes:
                raise Refused(
                    _("commune %(insee)s is not in the territory") % {"insee": insee}
                )
            values["commune"] = self.communes[insee]
        elif obj.pk is None and found is not None:
            values["commune"] = found

    def _territory_commune(self, outline, *, within):
        """A plot lies within the territory's communes; a park, which may
        straddle its edge, at least overlaps them."""
        touching = [
            c for c, prepared in self.boundaries if prepared.intersects(outline)
        ]
        if not touching:
            raise Refused(_("the outline lies outside the territory"))
        if within:
            territory = touching[0].boundary
            for commune in touching[1:]:
                territory = territory.union(commune.boundary)
            outside = outline.difference(territory).area
            if outside > OUTSIDE_TOLERANCE_M2:
                raise Refused(
                    _("%(area)s m² of the outline lie outside the territory")
                    % {"area": f"{outside:,.0f}"}
                )
        point = outline.point_on_surface
        return next((c for c in touching if c.boundary.contains(point)), touching[0])

    def _new_slug(self, model, name):
        base = slugify(name or "")[:200] or model._meta.model_name
        slug, number = base, 1
        while slug in self.new_slugs or model.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        self.new_slugs.add(slug)
        return slug

    def _save(self, obj, kind, values, names, report):
        creating = obj.pk is None
        changed = [f for f, value in values.items() if _differs(obj, f, value)]
        for name in changed:
            setattr(obj, name, values[name])
        missing = [f for f in REQUIRED[kind] if not getattr(obj, f, None)]
        if missing:
            raise Refused(
                *(_("%(name)s: required") % {"name": names.get(f, f)} for f in missing)
            )
        report.key = report.key or obj.slug
        if not creating and not changed:
            report.action = UNCHANGED
            return
        try:
            obj.full_clean(exclude=COMPUTED[kind])
        except ValidationError as exc:
            raise Refused(*_messages(exc, names)) from exc
        try:
            with transaction.atomic():
                obj.save()
        except DatabaseError as exc:
            raise Refused(str(exc)) from exc
        report.action = CREATE if creating else UPDATE
        report.details = [names.get(f, f) for f in changed] if not creating else []


def _kinds(sources):
    """Each row's kind from its field names; failing that, the file's (when its
    other rows agree), or what its slug names."""
    hinted = [_kind(source) for source in sources]
    agreed = set(hinted) - {None}
    default = agreed.pop() if len(agreed) == 1 else None
    return [
        kind or default or _kind_by_slug(s)
        for kind, s in zip(hinted, sources, strict=True)
    ]


def _kind_by_slug(source):
    slug = source.values.get("slug")
    if not isinstance(slug, str) or not slug:
        return None
    if Plot.objects.filter(slug=slug).exists():
        return cnig.TERRAIN
    if BusinessPark.objects.filter(slug=slug).exists():
        return cnig.SITE
    return None


def _kind(source):
    hints = set()
    for key in source.values:
        kinds = cnig.kinds_of(key, truncated=source.truncated_names)
        if len(kinds) == 1:
            hints |= kinds
    return hints.pop() if len(hints) == 1 else None


def _values(source, kind):
    """Our field names and Python values; the names the file used, for messages
    (the CNIG's for the fields it did not give)."""
    reasons = [source.geometry_error] if source.geometry_error else []
    values = {}
    names = {column.field: column.name for column in cnig.COLUMNS[kind]}
    for key, raw in source.values.items():
        column = cnig.column_for(kind, key, truncated=source.truncated_names)
        if column is None:
            reasons.append(_("unknown field %(name)r") % {"name": key})
            continue
        if not column.importable or column.codec == cnig.GEOMETRY:
            continue
        try:
            value = cnig.decode(column, raw)
        except ValueError as exc:
            reasons.append(f"{key}: {exc}")
            continue
        names[column.field] = key
        if value is None:
            if column.codec in (cnig.TEXT, cnig.DECIMAL) and column.field != "slug":
                values[column.field] = "" if column.field in NOT_NULL_TEXT else None
            continue
        values[column.field] = value
    if reasons:
        raise Refused(*reasons)
    if source.geometry is not None:
        geometry_field = REQUIRED[kind][1]
        values[geometry_field] = source.geometry
    return values, names


def _differs(obj, name, value):
    if name in ("commune", "park"):
        return getattr(obj, f"{name}_id") != value.pk
    current = getattr(obj, name, None)
    if name in ("geom", "perimeter"):
        return current is None or not current.equals_exact(value, GEOMETRY_TOLERANCE_M)
    return current != value


def _messages(error, names):
    if not hasattr(error, "error_dict"):
        return error.messages
    messages = []
    for name, texts in error.message_dict.items():
        prefix = "" if name == "__all__" else f"{names.get(name, name)}: "
        messages += [prefix + text for text in texts]
    return messages
