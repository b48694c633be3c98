"""Bulk import of parks and plots: the CNIG standard's files (its columns and
codes, outlines as Lambert-93 GeoJSON), our extended files, GeoJSON, a zipped
Shapefile or CSV with WKT, in the standard's field names (`exchange.cnig`) or ours.

Each row is checked and reported: created, updated, unchanged or refused with
its reasons. The rows are written in one transaction, which is rolled back for
a dry run and whenever a single row is refused: an import is all or nothing,
so a file is fixed and sent again rather than half applied. A dry run and the
real import check the rows with the very same code, so the report tells what
the import does; the real import then writes them. Reading the (untrusted)
file is `exchange.import_files`' job.

Built for the 5,000-row cap (docs/performance.md): the parks and plots a file
names are fetched in a few queries before the rows are checked, the territory
is one prepared geometry, and each commune is tested on its bounding box
first; each row is validated without a query (the model's checks on what the
row sets, its check constraints in Python), and the rows are then written in
bulk statements, their history records copied by the database
(core.history), and one page-cache bump.
"""

import logging
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.bulk import bulk_insert
from core.caching import listings_changed, listings_changes_batched
from core.history import CHANGED, CREATED, history_bulk_record
from core.spatial import same_outline
from sites.models import (
    IDENTIFIER_TAKEN,
    SLUG_IS_AN_IDENTIFIER,
    BusinessPark,
    Organisation,
    Plot,
    plots_came_on_the_market,
)
from sites.outlines import Territory

from . import cnig
from .import_files import ImportFileError, read_rows

LOOKUP_CHUNK = 500  # identifiers per IN (...) query
COMPUTED = {
    cnig.SITE: ["centroid", "surface_gross_ha"],
    cnig.TERRAIN: ["computed_surface_ha", "surface_ha", "marketing_stage"],
}
REQUIRED = {cnig.SITE: ["name", "perimeter"], cnig.TERRAIN: ["name", "geom"]}
GEOMETRY_FIELDS = {cnig.SITE: "perimeter", cnig.TERRAIN: "geom"}
# Text columns stored as "" when empty; the others (translations) as NULL.
NOT_NULL_TEXT = {
    f.name
    for model in (BusinessPark, Plot)
    for f in model._meta.concrete_fields
    if not f.null and f.get_internal_type() in ("CharField", "TextField", "SlugField")
}
KIND_NAMES = {cnig.SITE: "park", cnig.TERRAIN: "plot"}
MODELS = {cnig.SITE: BusinessPark, cnig.TERRAIN: Plot}
KIND_OF = {model: kind for kind, model in MODELS.items()}
# Set from objects the importer found or created itself: no lookup query.
FOREIGN_KEYS = {
    kind: [f.name for f in model._meta.concrete_fields if f.is_relation]
    for kind, model in MODELS.items()
}
WRITE_BATCH = 500  # rows per INSERT/UPDATE statement

CREATE, UPDATE, UNCHANGED, REFUSE = "create", "update", "unchanged", "refuse"
# What the report's Kind and Action columns say to staff.
KIND_LABELS = {
    "park": pgettext_lazy("import report", "park"),
    "plot": pgettext_lazy("import report", "plot"),
}
ACTION_LABELS = {
    CREATE: pgettext_lazy("import report", "new"),
    UPDATE: pgettext_lazy("import report", "changed"),
    UNCHANGED: pgettext_lazy("import report", "unchanged"),
    REFUSE: pgettext_lazy("import report", "refused"),
}

logger = logging.getLogger(__name__)


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

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, "")

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")


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
    with listings_changes_batched(), transaction.atomic():
        importer = _Importer(organisation)
        report = ImportReport(rows=importer.rows(sources))
        if report.ok and not dry_run:
            try:
                importer.write()
            except DatabaseError:
                # Its words are the database's, in English: for the logs.
                logger.exception("listings import: the database refused the rows")
                report.error = _(
                    "The database refused the rows, so nothing was written. "
                    "Try again; if it happens again, tell the site's administrators."
                )
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            report.committed = True
    return report


@dataclass
class _Row:
    source: object
    kind: str | None
    report: RowReport
    values: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


class _Importer:
    def __init__(self, organisation):
        self.organisation = organisation
        self.everything = organisation.is_metropolitan
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.territory = Territory.load()  # shared by the rows' outline checks
        self.territory.plots_load()  # overlaps: no query per row
        self.communes = {c.insee: c for c in self.territory.communes}
        self.parks = {"slug": {}, "reference": {}}
        self.plots = {"slug": {}, "reference": {}}
        self.slugs = {}  # model -> every slug taken, loaded when first needed
        self.writes = {cnig.SITE: _Writes(), cnig.TERRAIN: _Writes()}
        self.staged = set()  # id() of the listings queued for writing
        self.named_at = {}  # id() of each listing a row named -> that row's label

    def rows(self, sources):
        """Parks first, so that a plot may name a park created by the same file."""
        kinds = _kinds(sources)
        rows = [
            _Row(s, k, RowReport(s.label, kind=KIND_NAMES.get(k, "")))
            for s, k in zip(sources, kinds, strict=True)
        ]
        for row in rows:
            self._read(row)
        self._prefetch([row for row in rows if row.report.action != REFUSE])
        for row in sorted(rows, key=lambda r: r.kind != cnig.SITE):
            if row.report.action != REFUSE:
                self._write(row)
        return [row.report for row in rows]

    def _read(self, row):
        try:
            if row.kind is None:
                # A feature that is no Feature, or whose properties are no
                # object, has no fields: what is wrong is said, not its kind.
                source = row.source
                reasons = [source.geometry_error] if source.geometry_error else []
                if source.values or not reasons:
                    reasons.append(
                        _(
                            "cannot tell a park (site_eco: site_nom...) from a plot "
                            "(terrain_eco: terr_id, site_id...)"
                        )
                    )
                raise Refused(*reasons)
            row.values, row.names, row.notes = _values(row.source, row.kind)
            row.report.action = ""
        except Refused as refused:
            row.report.action = REFUSE
            row.report.details = refused.reasons

    def _write(self, row):
        report = row.report
        try:
            write = self._park if row.kind == cnig.SITE else self._plot
            obj = write(row.values, row.names, report)
            self._save(obj, row.kind, row.values, row.names, report)
            report.details = report.details + row.notes
        except Refused as refused:
            report.action = REFUSE
            report.details = refused.reasons

    # Finding what a file names, in bulk.

    def _prefetch(self, rows):
        park_keys, plot_keys = set(), set()
        for row in rows:
            values = row.values
            if row.kind == cnig.SITE:
                park_keys |= {values.get("slug"), values.get("reference")}
            else:
                park_keys.add(values.get("park"))
                plot_keys |= {values.get("slug"), values.get("reference")}
        for park in _in_bulk(BusinessPark.objects.all(), park_keys):
            self._remember(self.parks, park)
        plots = Plot.objects.select_related("park")
        for plot in _in_bulk(plots, plot_keys):
            self._remember(self.plots, plot)

    @staticmethod
    def _remember(index, obj):
        index["slug"][obj.slug] = obj
        if obj.reference:
            index["reference"].setdefault(obj.reference, []).append(obj)

    @staticmethod
    def _by_reference(index, reference):
        """One listing whose CNIG identifier, or else slug, is `reference`."""
        matches = index["reference"].get(reference, [])
        if len(matches) > 1:
            raise Refused(
                _("identifier %(reference)s matches several listings")
                % {"reference": reference}
            )
        return matches[0] if matches else index["slug"].get(reference)

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
        reference = values.get("reference") or None
        organisation = self._organisation(values.pop("organisation", None))
        if slug:
            park = self.parks["slug"].get(slug)
        else:
            park = self._by_reference(self.parks, reference) if reference else None
        report.key = slug or reference or values.get("name") or ""
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
        if reference and reference == park.slug:
            values["reference"] = ""  # the export's stand-in for a missing site_id
        self._place(park, values)
        return park

    def _plot(self, values, names, report):
        slug = values.pop("slug", None)
        reference = values.get("reference") or None
        if slug:
            plot = self.plots["slug"].get(slug)
        else:
            plot = self._by_reference(self.plots, reference) if reference else None
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
        self._place(plot, values)
        return plot

    def _plot_park(self, key, plot, names):
        if key is None:
            if plot is None:
                raise Refused(_("%(name)s: required") % {"name": names["park"]})
            return plot.park
        park = self._by_reference(self.parks, key)
        if park is None:
            raise Refused(_("unknown park %(slug)r") % {"slug": key})
        if not self._in_scope(park.organisation_id):
            raise Refused(
                _("park %(slug)s belongs to another organisation") % {"slug": key}
            )
        return park

    # The outline's place.

    def _place(self, obj, values):
        """The commune from its INSEE code; without one, the listing's own
        check (sites.outlines, run by full_clean) finds it from the outline,
        and says what is wrong with the outline's place."""
        obj.outline_territory = self.territory
        insee = values.pop("commune", None)
        if insee is not None:
            if insee not in self.communes:
                raise Refused(
                    _("commune %(insee)s is not in the territory") % {"insee": insee}
                )
            values["commune"] = self.communes[insee]

    def _identifier_free(self, obj, kind, names):
        """No other listing of its kind has its CNIG identifier (as the
        model's validate_unique says, without its query): the file's keys
        were fetched (`_prefetch`), the rows before it remembered."""
        index = self.parks if kind == cnig.SITE else self.plots
        key = obj.cnig_id
        others = [*index["reference"].get(key, []), index["slug"].get(key)]
        if any(
            other is not None
            and other is not obj
            and (other.pk is None or other.pk != obj.pk)
            and other.cnig_id == key
            for other in others
        ):
            if obj.reference:
                name, message = names.get("reference", "reference"), IDENTIFIER_TAKEN
            else:
                name, message = "slug", SLUG_IS_AN_IDENTIFIER
            raise Refused(f"{name}: {message}")

    def _new_slug(self, model, name):
        if model not in self.slugs:
            # Nor another listing's reference: a slug stands in for a
            # missing one in the CNIG files (Listing.cnig_id).
            self.slugs[model] = set(model.objects.values_list("slug", flat=True)) | {
                reference
                for reference in model.objects.values_list("reference", flat=True)
                if reference
            }
        taken = self.slugs[model]
        base = slugify(name or "")[:200] or model._meta.model_name
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        return slug

    def _save(self, obj, kind, values, names, report):
        """Check the row's listing as the admin would and queue its write."""
        # Two rows for one listing: the second silently overwrote the first
        # (or, for a new one, was refused as overlapping itself).
        first = self.named_at.setdefault(id(obj), report.label)
        if first != report.label:
            raise Refused(
                _("the file names this listing already, at %(row)s: one row each")
                % {"row": first}
            )
        # A listing an earlier row of this file creates is not new any more.
        creating = obj.pk is None and id(obj) not in self.staged
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
        _validate(obj, kind, names, changed, creating)
        if creating or "reference" in changed:
            self._identifier_free(obj, kind, names)
        obj.computed_fields_set()
        queued = self.writes[kind]
        if obj.pk is None:
            queued.creates[id(obj)] = obj
        else:
            queued.updates.setdefault(id(obj), (obj, set()))[1].update(changed)
        self.staged.add(id(obj))
        if kind == cnig.TERRAIN:
            self.territory.plot_add(obj)  # later rows must not overlap it
        self._remember(self.parks if kind == cnig.SITE else self.plots, obj)
        report.action = CREATE if creating else UPDATE
        report.details = [] if creating else [names.get(f, f) for f in changed]

    def write(self):
        """The queued rows in a few bulk statements, parks first (a plot may
        name a park of the same file), each with its history record. Bulk
        writes send no post_save: the page cache is told once."""
        for kind in (cnig.SITE, cnig.TERRAIN):
            self.writes[kind].write(MODELS[kind])
        if self.staged:
            listings_changed()


@dataclass
class _Writes:
    creates: dict = field(default_factory=dict)  # id(obj) -> obj
    updates: dict = field(default_factory=dict)  # id(obj) -> (obj, field names)

    def write(self, model):
        if self.creates:
            objs = bulk_insert(
                model, list(self.creates.values()), batch_size=WRITE_BATCH
            )
            history_bulk_record(model, objs, history_type=CREATED)
        if self.updates:
            objs = [obj for obj, _names in self.updates.values()]
            names = set().union(*(names for _obj, names in self.updates.values()))
            # bulk_update does not apply auto_now: a listing the file changed
            # was updated now (terr_actu_date, the search alerts).
            now = timezone.now()
            for obj in objs:
                obj.updated_at = now
            model.objects.bulk_update(
                objs, [*_columns(model, names), "updated_at"], batch_size=WRITE_BATCH
            )
            history_bulk_record(model, objs, history_type=CHANGED)
            if model is BusinessPark:
                plots_came_on_the_market(
                    [
                        obj.pk
                        for obj, names in self.updates.values()
                        if "is_published" in names and obj.is_published
                    ]
                )


def _columns(model, names):
    """The concrete fields behind `names`, translated ones included, and what
    save() derives."""
    names = set(names) | set(COMPUTED[KIND_OF[model]])
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key
        and (
            f.name in names
            or getattr(getattr(f, "translated_field", None), "name", None) in names
        )
    ]


def _validate(obj, kind, names, changed, creating):
    """The model's own checks on the fields the row sets (the others hold
    what the database gave, or for a new listing the model's defaults, checked
    for those a default does not satisfy), without a query per row: foreign
    keys were found by the importer, slugs made unique, outlines checked when
    read (valid, one projection), and the few check constraints are tested
    here (tests/exchange pins their list)."""
    checked = set(changed) | (_without_valid_default(kind) if creating else set())
    checked -= set(FOREIGN_KEYS[kind]) | set(COMPUTED[kind])
    try:
        obj.full_clean(
            exclude=[f.name for f in obj._meta.fields if f.name not in checked],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise Refused(*_messages(exc, names)) from exc
    if kind == cnig.TERRAIN and obj.minimum_lot_ha is not None and not obj.is_divisible:
        raise Refused(str(_constraint(Plot, "plot_minimum_lot_needs_divisible")))


@cache
def _without_valid_default(kind):
    """The fields a new listing's default value does not satisfy."""
    try:
        MODELS[kind]().clean_fields()
    except ValidationError as exc:
        return frozenset(exc.error_dict)
    return frozenset()


def _constraint(model, name):
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def _in_bulk(queryset, keys):
    keys = sorted(k for k in keys if k)
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        yield from queryset.filter(Q(slug__in=chunk) | Q(reference__in=chunk))


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
    (the CNIG's for the fields it did not give); notes worth telling."""
    reasons = [source.geometry_error] if source.geometry_error else []
    values, notes, unkept = {}, [], []
    names = {c.field: c.name for c in cnig.COLUMNS[kind] if c.field}
    given = {}  # field -> (the file's name for it, its value)
    for key, raw in source.values.items():
        column = cnig.column_for(kind, key, truncated=source.truncated_names)
        if column is None:
            reasons.append(_("unknown field %(name)r") % {"name": key})
            continue
        if column.field is None and raw not in (None, ""):
            unkept.append(column.name)
        if not column.importable or column.codec == cnig.GEOMETRY:
            continue
        try:
            value = cnig.decode(column, raw, notes)
        except ValueError as exc:
            reasons.append(f"{key}: {exc}")
            continue
        # terr_id and reference, site_description and description_fr...: one
        # field. Our extended files repeat a value; two values are a mistake.
        other, earlier = given.setdefault(column.field, (key, value))
        if earlier != value:
            reasons.append(
                _("%(one)s and %(other)s give two values for one field")
                % {"one": other, "other": key}
            )
            continue
        names[column.field] = key
        if column.codec == cnig.URL and value is not None and not _linkable(value):
            notes.append(
                _("%(name)s: %(value)r is not a web address we can link to, not kept")
                % {"name": key, "value": value}
            )
            continue
        if column.name == "pole_id" and value == cnig.NO_POLE:
            value = ""  # what our exports write for "no pole"
        if value is None:
            if column.official and column.name in cnig.REQUIRED[kind]:
                reasons.append(_("%(name)s: required by the standard") % {"name": key})
            elif column.codec in (cnig.TEXT, cnig.DECIMAL, cnig.CODE):
                if column.field not in ("slug", "reference"):
                    empty = "" if column.field in NOT_NULL_TEXT else None
                    values[column.field] = empty
            continue
        values[column.field] = value
    if reasons:
        raise Refused(*reasons)
    if unkept:
        notes.append(_("not kept: %(names)s") % {"names": ", ".join(unkept)})
    if source.geometry is not None:
        values[GEOMETRY_FIELDS[kind]] = source.geometry
    return values, names, notes


def _linkable(url):
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _differs(obj, name, value):
    if name in ("commune", "park"):
        return getattr(obj, f"{name}_id") != value.pk
    current = getattr(obj, name, None)
    if name in ("geom", "perimeter"):
        return current is None or not same_outline(current, value)
    # An empty text is "" saved by the admin, NULL read from an empty cell.
    if current in (None, "") and value in (None, ""):
        return False
    return current != value


def _messages(error, names):
    if not hasattr(error, "error_dict"):
        return error.messages
    messages = []
    for name, texts in error.message_dict.items():
        prefix = "" if name == "__all__" else f"{names.get(name, name)}: "
        messages += [prefix + text for text in texts]
    return messages
