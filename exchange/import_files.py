"""Reading an import file into rows: GeoJSON, CSV with WKT, or a zipped Shapefile.

Files are untrusted. The upload and the Shapefile zip have size caps; zip
entries are checked (path traversal, absolute paths, links, entry count,
uncompressed size, counted again while extracting) and only the Shapefile's own
parts are extracted, into a fresh temporary directory. GDAL only ever opens a
`.shp` that starts with the Shapefile magic number: with GDAL < 3.9 (gis.W001
in the settings) a VRT or another format pointing at server files or URLs must
never reach it. GeoJSON and CSV are parsed in Python. Every outline comes out
checked (a valid Polygon or MultiPolygon, GEOS's reason otherwise) and in
Lambert-93.
"""

import csv
import io
import json
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.utils.translation import gettext as _

from sites.models import SRID

from . import cnig

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5_000
MAX_ZIP_ENTRIES = 20
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
SHAPEFILE_MAGIC = b"\x00\x00\x27\x0a"
WGS84 = 4326
# Columns that may hold an outline as text (WKT, EWKT or GeoJSON).
GEOMETRY_NAMES = {"wkt", "geometry", "the_geom"} | {
    name
    for columns in cnig.COLUMNS.values()
    for column in columns
    if column.codec == cnig.GEOMETRY
    for name in (column.name, column.field)
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was written."""


@dataclass
class SourceRow:
    label: str
    values: dict
    geometry: GEOSGeometry | None = None
    geometry_error: str = ""
    truncated_names: bool = False  # dBASE cuts field names to 10 characters


def read_rows(file):
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        rows = _shapefile_rows(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("Expected GeoJSON, CSV (UTF-8 text) or a zipped Shapefile.")
            ) from exc
        reader = _geojson_rows if text.lstrip().startswith("{") else _csv_rows
        rows = reader(text)
    if not rows:
        raise ImportFileError(_("The file has no rows."))
    return rows


def _too_many_rows():
    return ImportFileError(
        _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
    )


def _geojson_rows(text):
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        features = [document]
    elif kind == "FeatureCollection" and isinstance(document.get("features"), list):
        features = document["features"]
    else:
        raise ImportFileError(_("Expected a GeoJSON FeatureCollection."))
    if len(features) > MAX_ROWS:
        raise _too_many_rows()
    srid = _crs_srid(document.get("crs"))
    return [
        _geojson_row(_("feature %(number)s") % {"number": number}, feature, srid)
        for number, feature in enumerate(features, start=1)
    ]


def _crs_srid(crs):
    """RFC 7946 has no `crs`; older files name Lambert-93 or WGS84 in one."""
    if crs is None:
        return WGS84
    name = (
        str((crs.get("properties") or {}).get("name", ""))
        if isinstance(crs, dict)
        else ""
    )
    if name.endswith(("2154", ":2154")):
        return SRID
    if name.endswith(("CRS84", "4326")):
        return WGS84
    raise ImportFileError(
        _("Unsupported crs %(name)r: use WGS84 (EPSG:4326) or Lambert-93 (EPSG:2154).")
        % {"name": name}
    )


def _geojson_row(label, feature, srid):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return SourceRow(label, {}, geometry_error=_("not a GeoJSON Feature"))
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return SourceRow(label, {}, geometry_error=_("properties is not an object"))
    row = SourceRow(label, dict(properties))
    geometry = feature.get("geometry")
    if geometry is not None:
        _geometry_set(row, lambda: GEOSGeometry(json.dumps(geometry)), srid)
    else:
        _geometry_from_text(row, srid)
    return row


def _csv_rows(text):
    csv.field_size_limit(MAX_UPLOAD_BYTES)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for record in reader:
            if len(rows) == MAX_ROWS:
                raise _too_many_rows()
            label = _("line %(number)s") % {"number": reader.line_num}
            extra = record.pop(None, None)
            row = SourceRow(label, record)
            if extra:
                row.geometry_error = _("more values than columns")
            else:
                _geometry_from_text(row, WGS84)
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(_("Unreadable CSV: %(error)s") % {"error": exc}) from exc
    return rows


def _geometry_from_text(row, srid):
    """Take the outline out of a text column: WKT, EWKT (SRID=2154;...) or GeoJSON."""
    texts = [
        row.values.pop(key)
        for key in list(row.values)
        if key.strip().lower() in GEOMETRY_NAMES
    ]
    text = next((t for t in texts if isinstance(t, str) and t.strip()), None)
    if text is not None:
        _geometry_set(row, lambda: GEOSGeometry(text.strip()), srid)


def _geometry_set(row, parse, srid):
    try:
        geometry = parse()
    except (GDALException, GEOSException, ValueError, TypeError) as exc:
        row.geometry_error = _("unreadable geometry (%(error)s)") % {"error": exc}
        return
    if not geometry.srid:
        geometry.srid = srid
    try:
        row.geometry = _outline(geometry, lambda g: g.transform(SRID, clone=True))
    except ValueError as exc:
        row.geometry_error = str(exc)


def _outline(geometry, to_storage):
    """A valid MultiPolygon in Lambert-93, or ValueError with GEOS's reason."""
    if geometry.empty:
        raise ValueError(_("empty geometry"))
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(
            _("expected a Polygon or MultiPolygon, not a %(type)s")
            % {"type": geometry.geom_type}
        )
    if not geometry.valid:
        raise ValueError(
            _("invalid geometry: %(reason)s") % {"reason": geometry.valid_reason}
        )
    if geometry.srid == WGS84:
        xmin, ymin, xmax, ymax = geometry.extent
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise ValueError(
                _(
                    "coordinates are not longitude/latitude (EPSG:4326); "
                    "Lambert-93 data must say so"
                )
            )
    try:
        outline = to_storage(geometry)
    except (GDALException, GEOSException) as exc:
        raise ValueError(_("cannot reproject (%(error)s)") % {"error": exc}) from exc
    if outline.geom_type == "Polygon":
        outline = MultiPolygon(outline, srid=SRID)
    if not outline.valid:
        raise ValueError(
            _("invalid geometry once in Lambert-93: %(reason)s")
            % {"reason": outline.valid_reason}
        )
    return outline


def _unsafe_member(info):
    name = info.filename
    path = PurePosixPath(name)
    if name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return _("absolute or Windows path %(name)r") % {"name": name}
    if ".." in path.parts:
        return _("path traversal %(name)r") % {"name": name}
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("symbolic link %(name)r") % {"name": name}
    if info.flag_bits & 0x1:
        return _("encrypted entry %(name)r") % {"name": name}
    return ""


def _shapefile_members(archive):
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError(
            _("The zip has more than %(max)s entries.") % {"max": MAX_ZIP_ENTRIES}
        )
    members, seen, total = [], set(), 0
    for info in infos:
        reason = _unsafe_member(info)
        if reason:
            raise ImportFileError(_("Refused zip: %(reason)s.") % {"reason": reason})
        total += info.file_size
        path = PurePosixPath(info.filename)
        wanted = not info.is_dir() and "__MACOSX" not in path.parts
        if wanted and path.suffix.lower() in SHAPEFILE_PARTS:
            name = path.stem + path.suffix.lower()
            if name.lower() in seen:
                raise ImportFileError(_("The zip holds two files named %r.") % name)
            seen.add(name.lower())
            members.append((info, name))
    if total > MAX_UNZIPPED_BYTES:
        raise _unzipped_too_large()
    return members


def _unzipped_too_large():
    return ImportFileError(
        _("The zip is larger than %(size)s MB once uncompressed.")
        % {"size": MAX_UNZIPPED_BYTES // (1024 * 1024)}
    )


def _extract(archive, members, directory):
    """Copy in chunks, counting: a zip's declared sizes may lie."""
    written = 0
    for info, name in members:
        with archive.open(info) as source, open(directory / name, "xb") as target:
            while chunk := source.read(1024 * 1024):
                written += len(chunk)
                if written > MAX_UNZIPPED_BYTES:
                    raise _unzipped_too_large()
                target.write(chunk)


def _shapefile_rows(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _shapefile_members(archive)
            with tempfile.TemporaryDirectory(prefix="listings-import-") as tmp:
                directory = Path(tmp)
                _extract(archive, members, directory)
                return _read_shapefiles(directory)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ImportFileError(_("Unreadable zip: %(error)s") % {"error": exc}) from exc
    except (OSError, RuntimeError) as exc:  # CRC errors, NotImplemented methods
        raise ImportFileError(_("Unreadable zip: %(error)s") % {"error": exc}) from exc


def _read_shapefiles(directory):
    shapefiles = sorted(directory.glob("*.shp"))
    if not shapefiles:
        raise ImportFileError(_("The zip holds no .shp file."))
    rows = []
    for path in shapefiles:
        with open(path, "rb") as handle:
            if handle.read(4) != SHAPEFILE_MAGIC:
                raise ImportFileError(
                    _("%(name)s is not a Shapefile.") % {"name": path.name}
                )
        if not path.with_suffix(".prj").exists():
            raise ImportFileError(
                _("%(name)s has no .prj: its coordinate system is unknown.")
                % {"name": path.name}
            )
        try:
            source = DataSource(str(path))
            for layer in source:
                rows += _layer_rows(layer, path.stem, len(rows))
        except GDALException as exc:
            raise ImportFileError(
                _("Unreadable Shapefile %(name)s: %(error)s")
                % {"name": path.name, "error": exc}
            ) from exc
    return rows


def _layer_rows(layer, name, already):
    if layer.srs is None:
        raise ImportFileError(
            _("%(name)s: unknown coordinate system.") % {"name": name}
        )
    if already + len(layer) > MAX_ROWS:
        raise _too_many_rows()
    rows = []
    for number, feature in enumerate(layer, start=1):
        label = _("%(layer)s, feature %(number)s") % {"layer": name, "number": number}
        row = SourceRow(label, {}, truncated_names=True)
        try:
            row.values = {key: feature.get(key) for key in feature.fields}
        except (GDALException, UnicodeDecodeError) as exc:
            row.geometry_error = _("unreadable attributes (%(error)s)") % {"error": exc}
            rows.append(row)
            continue
        ogr = feature.geom
        try:
            row.geometry = _outline(
                ogr.geos, lambda g, ogr=ogr: ogr.transform(SRID, clone=True).geos
            )
        except (ValueError, GDALException, GEOSException) as exc:
            row.geometry_error = str(exc)
        rows.append(row)
    return rows
