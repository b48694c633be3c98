"""Reading an import file into rows: GeoJSON, CSV (the CNIG standard's files,
with their GeoJSON geometry columns, or a WKT column), or a zipped Shapefile.

Files are untrusted. The upload and the Shapefile zip have size caps; zip
entries are checked (path traversal, absolute paths, links, entry count,
uncompressed size, counted again while extracting) and only the Shapefile's own
parts are extracted, into a fresh temporary directory. GDAL only ever opens a
`.shp` that starts with the Shapefile magic number: with GDAL < 3.9 (gis.W001
in the settings) a VRT or another format pointing at server files or URLs must
never reach it. GeoJSON and CSV are parsed in Python. Every outline comes out
checked (a valid 2D Polygon or MultiPolygon of at most MAX_VERTICES points,
neither tiny nor huge, whose numbers fit the projection it is declared in,
GEOS's reason otherwise) and in Lambert-93.

Size caps (bytes, then rows) are checked before any outline is parsed, and a
Shapefile's points and parts per outline from its records' headers before GDAL
reads one. Each source projection gets one coordinate transformation, reused
for every row (building one costs about a hundred times more than using it).

Projections: GeoJSON files are WGS84 (RFC 7946) unless their `crs` names
Lambert-93; the standard's geometry columns (`site_geomsurf`, `terr_geomsurf`)
hold Lambert-93, as its example files do; a `wkt` column holds WGS84. EWKT
(`SRID=2154;...`) or a GeoJSON `crs` inside a cell overrides either.
"""

import codecs
import csv
import io
import json
import math
import re
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    SpatialReference,
)
from django.contrib.gis.geos import (
    GEOSException,
    GEOSGeometry,
    LinearRing,
    MultiPolygon,
    Polygon,
)
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.geo import WGS84, transformation
from sites.models import SRID
from sites.outlines import OutlineError, outline_prepare, outline_text_error

from . import cnig

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5_000
# Columns of a CSV header, properties of a GeoJSON feature, fields of a
# Shapefile's layer: the CNIG's and
# ours are about 70. A CSV row is read into a dict of every header column,
# so without this cap a 20 MB file of a million short column names over a few
# thousand one-character lines would be billions of entries (gigabytes before
# the first row is checked).
MAX_COLUMNS = 200
MAX_ZIP_ENTRIES = 20
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
SHAPEFILE_MAGIC = b"\x00\x00\x27\x0a"
WORKBOOK_PARTS = {"xl/workbook.xml", "content.xml"}  # .xlsx, .ods
# Shape types whose records' content holds NumParts and NumPoints at bytes 36
# and 40 (PolyLine, Polygon, their Z and M kinds, MultiPatch), and those
# holding NumPoints at byte 36 (MultiPoint and its Z and M kinds).
SHAPES_OF_PARTS = {3, 5, 13, 15, 23, 25, 31}
SHAPES_OF_POINTS = {8, 18, 28}
MAX_VERTICES = 10_000  # per outline: a drawn plot has tens, a park hundreds
RING_CLOSING_M = 0.1  # ring ends closer than this are one point (rounding)
RING_CLOSING_DEGREES = 1e-6  # about 10 cm
# Columns that may hold an outline as text (WKT, EWKT or GeoJSON), and the
# projection their coordinates are in unless the text says otherwise.
GEOMETRY_NAMES = {"wkt": WGS84, "geometry": WGS84, "the_geom": WGS84} | {
    name: SRID
    for columns in cnig.COLUMNS.values()
    for column in columns
    if column.codec == cnig.GEOMETRY
    for name in (column.name, column.field)
}
CURVED = re.compile(
    r"^\s*(SRID=\d+;)?\s*(CIRCULARSTRING|COMPOUNDCURVE|CURVEPOLYGON|MULTICURVE|"
    r"MULTISURFACE)",
    re.IGNORECASE,
)
EWKT_SRID = re.compile(r"^\s*SRID=(\d+);", re.IGNORECASE)
FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@\t\r])")  # see exchange.spreadsheet_safe


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
        text = _decoded(data)
        reader = _geojson_rows if text.lstrip().startswith("{") else _csv_rows
        rows = reader(text)
    if not rows:
        raise ImportFileError(_("The file has no rows."))
    return rows


def _decoded(data):
    """The file's text: UTF-8 (with or without a byte order mark), or UTF-16
    with one (Excel's "Unicode text"). Text in another encoding is told apart
    from a binary file, and where it goes wrong is said."""
    utf16 = _utf16(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data or not _decodes(data, "cp1252"):
            raise ImportFileError(
                _("Expected GeoJSON, CSV (UTF-8 text) or a zipped Shapefile.")
            ) from exc
        raise ImportFileError(
            _(
                "The file is not UTF-8 text: line %(line)s has a character "
                "written another way (Windows, Latin-1). Save it as CSV UTF-8 "
                "(Excel: CSV UTF-8; LibreOffice: character set Unicode (UTF-8)) "
                "and send it again."
            )
            % {"line": _integer(data.count(b"\n", 0, exc.start) + 1)}
        ) from exc


def _utf16(data):
    """UTF-16 text with a byte order mark, or None. Its first line is column
    names or JSON, in ASCII: random bytes after FF FE are no text."""
    if data[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return None
    first_line = text.lstrip().split("\n", 1)[0].replace("\t", " ").strip()
    return text if first_line.isascii() and first_line.isprintable() else None


def _decodes(data, encoding):
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _integer(value):
    return number_format(value, 0, force_grouping=True)


def _too_many_columns():
    return ImportFileError(
        _("The file has more than %(max)s columns: keep only the listings' own.")
        % {"max": _integer(MAX_COLUMNS)}
    )


def _too_many_rows():
    return ImportFileError(
        _("The file has more than %(max)s rows: split it.")
        % {"max": _integer(MAX_ROWS)}
    )


class _KeyTwice(ValueError):
    def __init__(self, key):
        self.key = key


def _object(pairs):
    """A JSON object, refused when a key is in it twice: json keeps the last
    value in silence, as DictReader does of a CSV column named twice."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise _KeyTwice(key)
            seen.add(key)
    return found


def _geojson_rows(text):
    try:
        document = json.loads(text, object_pairs_hook=_object)
    except _KeyTwice as exc:
        raise ImportFileError(
            _("The key %(key)s is twice in one object of the file: keep one.")
            % {"key": json.dumps(exc.key)}
        ) from exc
    except json.JSONDecodeError as exc:  # its own words are English: its place only
        raise ImportFileError(
            _(
                "Not valid JSON: the text breaks off or goes wrong at line %(line)s, "
                "column %(column)s."
            )
            % {"line": _integer(exc.lineno), "column": _integer(exc.colno)}
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(
            _("Not valid JSON: it is nested too deeply or holds a number too large.")
        ) from exc
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
    properties = crs.get("properties") if isinstance(crs, dict) else None
    # Anything but {"properties": {"name": ...}} names nothing we know.
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    # The code after the name's last ":" or "/" ("EPSG:2154",
    # "urn:ogc:def:crs:EPSG::2154", "http://www.opengis.net/def/crs/EPSG/0/2154"),
    # not any name ending in its digits: EPSG:32154 is another projection.
    code = re.split(r"[:/]", name.strip())[-1]
    if code == "2154":
        return SRID
    if code in ("CRS84", "4326"):
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
    if len(properties) > MAX_COLUMNS:
        raise _too_many_columns()
    row = SourceRow(label, dict(properties))
    geometry = feature.get("geometry")
    if geometry is not None:
        _geometry_set(row, lambda: _from_geojson(geometry, srid), srid)
    else:
        _geometry_from_text(row)
    return row


def _csv_rows(text):
    csv.field_size_limit(MAX_UPLOAD_BYTES)
    if "\n" not in text:
        # Lines ending in \r alone (older Mac software). Only then: a text
        # cell's \r\n, as the admin's forms save it, must stay as it is.
        text = text.replace("\r", "\n")
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    records = []
    try:
        # The header first: each row is read into a dict of all its columns.
        if len(reader.fieldnames or ()) > MAX_COLUMNS:
            raise _too_many_columns()
        _header_check(reader.fieldnames or [], first_line)
        for record in reader:  # the text only: outlines wait for the row count
            if len(records) == MAX_ROWS:
                raise _too_many_rows()
            records.append((reader.line_num, record))
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "Unreadable CSV at line %(line)s: check its quotes (a field "
                'opened with " must close with ") and its separator.'
            )
            % {"line": _integer(max(reader.line_num, 1))}
        ) from exc
    rows = []
    for line, record in records:
        extra = record.pop(None, None)
        values = {
            key: FORMULA_ESCAPE.sub("", value) if isinstance(value, str) else value
            for key, value in record.items()
        }
        row = SourceRow(_("line %(number)s") % {"number": line}, values)
        if extra:
            row.geometry_error = _("more values than columns")
        else:
            _geometry_from_text(row)
        rows.append(row)
    return rows


def _header_check(names, first_line):
    """Column names we know, each once: without a header, or with another
    separator, the rows were refused one by one as neither parks nor plots;
    of a column named twice, DictReader keeps the last one's values alone."""
    if names and not any(_known(name) for name in names):
        raise ImportFileError(
            _(
                "The first line names no column we know (%(line)s): it names "
                "the columns (the CNIG's, such as terr_id and site_id, or ours, "
                "such as slug), separated by commas, semicolons or tabs."
            )
            % {"line": Truncator(first_line.strip()).chars(60)}
        )
    seen = set()
    for name in names:
        key = name.strip().lower()
        if key and key in seen:
            raise ImportFileError(
                _("The column %(name)s is in the first line twice: keep one.")
                % {"name": name.strip()}
            )
        seen.add(key)


def _known(name):
    key = name.strip().lower()
    return key in GEOMETRY_NAMES or bool(cnig.kinds_of(key))


def _geometry_from_text(row):
    """Take the outline out of a text column: WKT, EWKT (SRID=2154;...) or GeoJSON."""
    found = [
        (row.values.pop(key), GEOMETRY_NAMES[key.strip().lower()])
        for key in list(row.values)
        if key.strip().lower() in GEOMETRY_NAMES
    ]
    text, srid = next(
        ((t, s) for t, s in found if isinstance(t, str) and t.strip()), (None, None)
    )
    if text is None:
        return
    text = text.strip()
    if CURVED.match(text):
        row.geometry_error = _(
            "curved geometry (%(type)s): the portal keeps straight segments; "
            "convert the arcs first (QGIS: Segmentize)"
        ) % {"type": CURVED.match(text).group(2).upper()}
        return
    if text.startswith("{"):
        _geometry_set(row, lambda: _from_geojson(_json_cell(text), srid), srid)
    else:
        declared = EWKT_SRID.match(text)
        srid = int(declared.group(1)) if declared else srid
        _geometry_set(row, lambda: _geos_from_text(text), srid)


def _json_cell(text):
    """A cell's GeoJSON, or ValueError in words: the JSON library's own are
    English, and a cell nested thousands deep raised RecursionError."""
    try:
        return json.loads(text, object_pairs_hook=_object)
    except (ValueError, RecursionError) as exc:
        raise ValueError(outline_text_error(text)) from exc


def _geos_from_text(text):
    try:
        return GEOSGeometry(text)
    except (GDALException, GEOSException, ValueError, TypeError) as exc:
        raise ValueError(outline_text_error(text)) from exc


def _geometry_set(row, parse, srid):
    try:
        geometry = parse()
    except ValueError as exc:  # ours, in words
        row.geometry_error = str(exc)
        return
    except (GDALException, GEOSException, TypeError):
        # GEOS's and GDAL's own words quote the text back, in English.
        row.geometry_error = outline_text_error("")
        return
    if not geometry.srid:
        geometry.srid = srid
    try:
        row.geometry = _outline(
            geometry, lambda g: g.transform(transformation(g.srid, SRID), clone=True)
        )
    except ValueError as exc:
        row.geometry_error = str(exc)


def _from_geojson(geometry, srid):
    """A GEOS Polygon or MultiPolygon built from a parsed GeoJSON geometry,
    rings closed when their ends only differ by rounding. Its `crs`, if any,
    says its projection."""
    if not isinstance(geometry, dict):
        raise ValueError(_("a geometry is a JSON object"))
    if geometry.get("crs") is not None:
        try:
            srid = _crs_srid(geometry["crs"])
        except ImportFileError as exc:
            raise ValueError(str(exc)) from exc
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(
            _("expected a Polygon or MultiPolygon, not a %(type)s") % {"type": kind}
        )
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValueError(_("empty geometry"))
    # An empty polygon (`[]`, three bytes) has no point to count, yet each
    # costs a GEOS object and a kilobyte: counted too, a 20 MB file of them is
    # refused here rather than built (minutes and gigabytes). An outline
    # within the points' cap has fewer parts than that, each having 4 points.
    if len(polygons) > MAX_VERTICES:
        raise ValueError(
            _("%(count)s parts in the outline, more than %(max)s")
            % {"count": _integer(len(polygons)), "max": _integer(MAX_VERTICES)}
        )
    _vertex_count_check(sum(len(r) for p in polygons for r in p))
    rings = [[_ring(r, srid) for r in polygon] for polygon in polygons]
    wkb = _wkb(kind, rings)
    if wkb is not None:
        return GEOSGeometry(memoryview(wkb), srid=srid)
    if not all(_numbers(point) for polygon in rings for r in polygon for point in r):
        # GEOS takes only numbers: a coordinate written as text ("50.4"),
        # true or null stopped the whole file with ctypes' error, and
        # true was read as 1. (Checked off the fast road only.)
        raise ValueError(_("The outline has coordinates that are not numbers."))
    built = [Polygon(*[LinearRing(r) for r in polygon], srid=srid) for polygon in rings]
    return built[0] if kind == "Polygon" else MultiPolygon(*built, srid=srid)


def _ring(points, srid):
    """The ring's points, closed when its ends only differ by rounding."""
    if not isinstance(points, list) or len(points) < 3:
        raise ValueError(_("a ring needs at least 3 points"))
    if any(len(point) > 2 for point in points):
        raise ValueError(_three_d())
    first, last = points[0], points[-1]
    if first != last:
        tolerance = RING_CLOSING_DEGREES if srid == WGS84 else RING_CLOSING_M
        if not (_numbers(first) and _numbers(last) and len(first) == len(last)):
            # zip() and abs() would say why in English, or not at all.
            raise ValueError(_("The outline has coordinates that are not numbers."))
        gaps = [abs(a - b) for a, b in zip(first, last, strict=True)]
        if max(gaps) > tolerance:
            raise ValueError(_("a ring is not closed: its last point is not its first"))
        points = points[:-1] + [first]  # the same point, rounded differently
    return points


def _wkb(kind, polygons):
    """The outline as WKB, which GEOS reads in one call, when every point is
    two finite numbers and every ring has four or more; otherwise None, and
    Django's LinearRing, point by point (ten times slower), says what is
    wrong as it always did."""
    parts = []
    for polygon in polygons:
        if not polygon:
            return None
        chunk = [struct.pack("<BII", 1, 3, len(polygon))]  # little-endian Polygon
        for ring in polygon:
            flat = [value for point in ring if len(point) == 2 for value in point]
            if len(ring) < 4 or len(flat) != 2 * len(ring):
                return None
            if not all(type(v) in (int, float) and _finite(v) for v in flat):
                return None  # bools, text, NaN, infinity, integers past a double
            try:
                chunk.append(struct.pack(f"<I{len(flat)}d", len(ring), *flat))
            except (OverflowError, struct.error):
                return None
        parts.append(b"".join(chunk))
    if kind == "Polygon":
        return parts[0]
    return struct.pack("<BII", 1, 6, len(parts)) + b"".join(parts)


def _finite(value):
    """Whether a JSON number is a finite double (an integer of 400 digits
    raised OverflowError, a server error, where GEOS was to take it)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _numbers(point):
    return isinstance(point, list) and all(
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and (isinstance(value, float) or _finite(value))
        for value in point
    )


def _three_d():
    return _("3D coordinates (x, y, z): send a 2D outline")


def _vertex_count_check(count):
    if count > MAX_VERTICES:
        raise ValueError(
            _(
                "%(count)s points in the outline, more than %(max)s: simplify "
                "it (QGIS: Simplify, 0.5 m)"
            )
            % {"count": _integer(count), "max": _integer(MAX_VERTICES)}
        )


def _outline(geometry, to_lambert):
    """A valid MultiPolygon in Lambert-93, or ValueError saying what is wrong
    in words: sites.outlines judges the shape (numbers against their declared
    projection, validity...) as it does for every listing; `to_lambert`
    reprojects with the transformation this reader reuses."""
    try:
        return outline_prepare(geometry, kind=None, reproject=to_lambert)
    except OutlineError as error:
        raise ValueError(" ".join(error.messages)) from error


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
    if {info.filename for info in infos} & WORKBOOK_PARTS:
        # An .xlsx or .ods is a zip too: "no .shp file" sent staff looking.
        raise ImportFileError(
            _(
                "This is a spreadsheet workbook (Excel, LibreOffice), not a "
                "zipped Shapefile: save its sheet as CSV UTF-8 and send that."
            )
        )
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
                raise ImportFileError(
                    _("The zip holds two files named %(name)s.") % {"name": name}
                )
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
        raise _unreadable_zip() from exc
    except (OSError, RuntimeError) as exc:  # CRC errors, NotImplemented methods
        raise _unreadable_zip() from exc


def _unreadable_zip():
    return ImportFileError(
        _(
            "Unreadable zip: it is damaged, incomplete or compressed in a way "
            "we cannot read (use the usual Deflate compression)."
        )
    )


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
        _shapefile_records_check(path)
        try:
            source = DataSource(str(path))
            for layer in source:
                rows += _layer_rows(layer, path.stem, len(rows))
        except GDALException as exc:  # GDAL's words are English
            raise ImportFileError(
                _(
                    "Unreadable Shapefile %(name)s: one of its parts (.shp, "
                    ".shx, .dbf) is damaged or missing."
                )
                % {"name": path.name}
            ) from exc
    return rows


def _shapefile_records_check(path):
    """Refuse an outline over the caps from its record's header, before GDAL
    reads it: GDAL builds each outline whole, as many points as the record
    declares, before _outline can count them. Each record is read where GDAL
    reads it, at the offset the .shx gives (a .shp's records need not follow
    each other), and GDAL refuses a record too short for the points it
    declares, so the counts read here are those it would build."""
    index = path.with_suffix(".shx")
    if not index.exists():
        return  # GDAL refuses the file
    with open(index, "rb") as handle:
        header = handle.read(100)
        if len(header) < 100:
            return
        (words,) = struct.unpack_from(">i", header, 24)  # length, 16-bit words
        count = max(0, (2 * words - 100) // 8)
        if count > MAX_ROWS:
            raise _too_many_rows()
        entries = handle.read(8 * count)
    with open(path, "rb") as shp:
        for number in range(1, len(entries) // 8 + 1):
            offset, length = struct.unpack_from(">ii", entries, 8 * (number - 1))
            shp.seek(2 * max(offset, 0))
            content = shp.read(min(8 + 2 * max(length, 0), 8 + 44))[8:]
            parts, points = _record_parts_and_points(content)
            try:
                _vertex_count_check(points)
                if parts > MAX_VERTICES:
                    raise ValueError(
                        _("%(count)s parts in the outline, more than %(max)s")
                        % {"count": _integer(parts), "max": _integer(MAX_VERTICES)}
                    )
            except ValueError as exc:
                feature = _("%(layer)s, feature %(number)s") % {
                    "layer": path.stem,
                    "number": number,
                }
                raise ImportFileError(
                    _("%(feature)s: %(reason)s") % {"feature": feature, "reason": exc}
                ) from exc


def _record_parts_and_points(content):
    """NumParts and NumPoints of a record's content (0 where its type has
    none, or where it is too short to hold them: GDAL refuses it then)."""
    if len(content) < 4:
        return 0, 0
    (shape,) = struct.unpack_from("<i", content, 0)
    if shape in SHAPES_OF_PARTS and len(content) >= 44:
        return struct.unpack_from("<II", content, 36)
    if shape in SHAPES_OF_POINTS and len(content) >= 40:
        return 0, struct.unpack_from("<I", content, 36)[0]
    return 0, 0


def _layer_rows(layer, name, already):
    if layer.srs is None:
        raise ImportFileError(
            _("%(name)s: unknown coordinate system.") % {"name": name}
        )
    if already + len(layer) > MAX_ROWS:
        raise _too_many_rows()
    # Each feature's every field is read through GDAL: a .dbf of 2,000 narrow
    # fields over the rows' cap was minutes of a web worker.
    if len(layer.fields) > MAX_COLUMNS:
        raise _too_many_columns()
    transform = CoordTransform(layer.srs, SpatialReference(SRID))  # once a layer
    rows = []
    for number, feature in enumerate(layer, start=1):
        label = _("%(layer)s, feature %(number)s") % {"layer": name, "number": number}
        row = SourceRow(label, {}, truncated_names=True)
        try:
            row.values = {key: feature.get(key) for key in feature.fields}
        except (GDALException, UnicodeDecodeError):
            row.geometry_error = _(
                "unreadable attributes: the .dbf is damaged or its text is not "
                "in the encoding the .cpg names (UTF-8 without one)"
            )
            rows.append(row)
            continue
        try:
            # Reprojected first: the .prj may name no EPSG code to check against.
            lambert = feature.geom.transform(transform, clone=True).geos
        except (GDALException, GEOSException):
            row.geometry_error = outline_text_error("")
            rows.append(row)
            continue
        try:
            row.geometry = _outline(lambert, None)
        except ValueError as exc:
            row.geometry_error = str(exc)
        rows.append(row)
    return rows
