"""Photo uploads: what is accepted, how it is stored, how it is served.

An upload is judged by its content, never by its name: it must open as a JPEG,
PNG or WebP, weigh at most MAX_BYTES and count at most MAX_PIXELS (a WebP
MAX_WEBP_PIXELS), read from the header before any pixel is decoded, and be
cheap to read (_check_structure: a progressive JPEG's scans, a JPEG's segments,
a PNG's chunks, counted before Pillow reads them). What is stored is never the
uploaded bytes: the pixels are decoded and re-encoded (JPEG, or WebP where there
is transparency), which drops EXIF (GPS position included), XMP, ICC profiles
and anything appended to the file, under a name the server chooses. Narrower
copies (WIDTHS) are stored next to it for `srcset`.

A valid JPEG followed by other bytes (a PHP or HTML payload, or a phone's
"motion photo" video) is accepted: only its pixels are kept. A file whose own
format is not one of the three (a GIF with a ZIP appended, an SVG, a script
starting with an image signature) is refused.
"""

import re
import struct
import warnings
from io import BytesIO
from pathlib import PurePath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
# Pillow's own decompression-bomb limit is ~89 megapixels (an error at twice
# that); a 40 MP photo is already more than any page needs.
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
# Pillow decodes a WebP through libwebp's animation decoder, which holds two
# canvases besides Pillow's own pixels: 600 MB for 40 MP (a JPEG: 105 MB),
# even for a 1.5 KB file of one colour. Cameras write no WebP.
MAX_WEBP_PIXELS = 16_000_000
# A progressive JPEG is decoded once per scan, over every block of the scan's
# components: 1,000 empty scans of 38 MP, 150 KB, took a worker 46 s. Its
# scans may together cover (a scan counting once per component it holds) at
# most this many pixels: 25 passes over a 40 MP photo, about as long to decode
# as a real one (1.5 s). libjpeg writes 6 to 24 passes, a CMYK file the most.
MAX_SCAN_PIXELS = 25 * MAX_PIXELS
# Pillow reads a JPEG's segments before its first scan, and every PNG chunk,
# one at a time in Python: 2 million empty JPEG comments took 5.5 s, 9 MB of
# fill bytes 12 s, 700,000 PNG chunks 8 s. Real files have a few dozen
# segments, and PNG encoders write their pixels in chunks of 8 KB or more: a
# thousand for 10 MB.
MAX_SEGMENTS = 4_000
# The stored image is at most this wide or high; renditions are narrower.
LONGEST_SIDE = 3200
WIDTHS = (480, 960, 1600)
QUALITY = 85


class CleanPhoto(ContentFile):
    """Bytes this module encoded itself: stored as they are."""


def photo_check(file):
    """Refuse a file that is not an acceptable photo, reading only its header and
    structure (no pixel is decoded). Returns its (width, height)."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The file weighs more than %(max)s MB."),
            code="too_heavy",
            params={"max": MAX_BYTES // 1024 // 1024},
        )
    with _opened(file) as image:
        try:
            image.verify()
        except Exception as error:
            raise _not_a_photo() from error
        return image.size


def photo_encode(file):
    """The photo's pixels, upright, re-encoded without any metadata."""
    with _opened(file) as image:
        try:
            # MPO: a JPEG followed by others (phones' HDR gain maps, depth).
            if image.format in ("JPEG", "MPO"):
                # Decoded at half, a quarter or an eighth of its size (libjpeg
                # scales while decoding) where that is still at least the size
                # it is stored at: a 40 MP photo, a quarter of the memory.
                image.draft("RGB", _stored_size(image.size))
            image.load()
            # Made small before it is turned upright: each step but
            # thumbnail() copies the pixels (of a 40 MP photo: 160 MB each).
            image = _flattened(image)
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)
        except Exception as error:
            raise _not_a_photo() from error
    image.info = {}  # no EXIF, XMP or ICC profile is carried over
    suffix = ".webp" if image.mode == "RGBA" else ".jpg"
    return CleanPhoto(_encoded(image, suffix), name=f"photo{suffix}")


def photo_store(field_file):
    """Save an uncommitted upload of an ImageField: re-encoded (unless this module
    encoded it), under a server-generated name, with its renditions. Returns the
    stored image's (width, height)."""
    content = field_file.file
    if not isinstance(content, CleanPhoto):
        photo_check(content)
        content = photo_encode(content)
    field_file.save(content.name, content, save=False)
    content.seek(0)
    with Image.open(content) as image:
        image.load()
        for width in rendition_widths(image.width):
            copy = image.resize(
                (width, max(1, round(image.height * width / image.width))),
                Image.Resampling.LANCZOS,
            )
            suffix = PurePath(field_file.name).suffix
            # The original's name is a fresh UUID: the storage keeps this one.
            field_file.storage.save(
                rendition_name(field_file.name, width),
                ContentFile(_encoded(copy, suffix)),
            )
        return image.size


def rendition_widths(width):
    return [w for w in WIDTHS if w < width]


def rendition_name(name, width):
    path = PurePath(name)
    return str(path.with_name(f"{path.stem}-{width}w{path.suffix}"))


def photo_files_delete(field_file, width):
    """Remove a photo's file and its renditions once the deletion is committed:
    a deleted photo must not stay online at its old address."""
    if field_file:
        _files_delete(field_file.storage, field_file.name, width)


def photo_files_replaced(instance, field, width_field):
    """Before `instance` is saved: once a replacement or removal of its photo
    is committed, remove the old photo's files (photos have no history that
    could bring them back)."""
    if instance.pk is None:
        return
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    old = rows.values_list(field, width_field).first()
    field_file = getattr(instance, field)
    if old and old[0] and old[0] != field_file.name:
        _files_delete(field_file.storage, *old)


def _files_delete(storage, name, width):
    names = [name] + [rendition_name(name, w) for w in rendition_widths(width or 0)]
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


def srcset(field_file, width):
    """The `srcset` of a stored photo: its renditions and itself, or "" when its
    width is unknown (stored before renditions existed)."""
    if not field_file or not width:
        return ""
    storage = field_file.storage
    candidates = [
        f"{storage.url(rendition_name(field_file.name, w))} {w}w"
        for w in rendition_widths(width)
    ]
    return ", ".join([*candidates, f"{field_file.url} {width}w"])


class PhotoField(forms.ImageField):
    """The admin's upload field: photo_check, then photo_encode, so a file that
    fails to decode is a form error too; the model stores the result as is."""

    default_error_messages = {
        "invalid_image": _("Upload a JPEG, PNG or WebP photo."),
    }

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        photo_check(file)
        return photo_encode(file)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp"
        return attrs


class PhotoInput(AdminFileWidget):
    """The admin's upload, the stored photo shown small (its smallest
    rendition) rather than named: stored under random names, the photos of a
    listing could not be told apart."""

    template_name = "admin/widgets/photo_input.html"
    # Its template is the project's (templates/), which the default form
    # renderer, limited to the apps' form templates, does not see.
    renderer = TemplatesSetting()

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer=self.renderer)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["thumbnail"] = _thumbnail_url(value)
        return context


def _thumbnail_url(field_file):
    width = getattr(field_file.instance, "width", None)
    smaller = rendition_widths(width or 0)
    if not smaller:
        return field_file.url
    return field_file.storage.url(rendition_name(field_file.name, smaller[0]))


# For an admin's formfield_overrides: every image upload goes through PhotoField.
PHOTO_UPLOADS = {models.ImageField: {"form_class": PhotoField, "widget": PhotoInput}}


def _not_a_photo():
    return ValidationError(
        PhotoField.default_error_messages["invalid_image"], code="invalid_image"
    )


class _opened:
    """Image.open limited to the accepted formats, with Pillow's
    decompression-bomb warning and error and our pixel cap all refusals."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        # A copy (at most MAX_BYTES): Pillow may close the file it was given,
        # and a closed temporary upload is gone.
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        _check_structure(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except Exception as error:
            raise _not_a_photo() from error
        width, height = self.image.size
        limit = MAX_WEBP_PIXELS if self.image.format == "WEBP" else MAX_PIXELS
        if width * height > limit:
            self.image.close()
            raise _too_many_pixels(limit)
        return self.image

    def __exit__(self, error_type, *exc_info):
        # Once read, the image is the caller's (photo_encode may return it):
        # its pixels go when it does. A refused one is closed at once.
        if error_type:
            self.image.close()


def _check_structure(data):
    """Refuse a JPEG or PNG whose segments alone would cost seconds to read or
    decode, before Pillow reads any of them. Other files are Pillow's to judge."""
    try:
        if data.startswith(b"\xff\xd8\xff"):
            segments, scan_pixels = _jpeg_structure(data)
        elif data.startswith(b"\x89PNG\r\n\x1a\n"):
            segments, scan_pixels = _png_chunks(data), 0
        else:
            return
    except (IndexError, struct.error):
        raise _not_a_photo() from None
    if segments > MAX_SEGMENTS or scan_pixels > MAX_SCAN_PIXELS:
        raise ValidationError(
            _(
                "This file would take too long to read: save the photo again "
                "as an ordinary JPEG, PNG or WebP."
            ),
            code="too_complex",
        )


# The next marker after a scan's data: 0xFF followed by neither a stuffed
# 0x00 nor a restart marker, which belong to the data.
_AFTER_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_FILL = re.compile(rb"\xff+")
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_structure(data):
    """A JPEG's (segments, scan pixels) up to its end marker; anything after it
    (a phone's appended video) is not read. Stops counting at MAX_SEGMENTS."""
    position, segments, pixels, scan_pixels = 2, 0, 0, 0
    while segments <= MAX_SEGMENTS:
        if data[position] != 0xFF:
            # Bytes between segments, each counted: libjpeg skips them with a
            # warning, but Pillow reads them one at a time.
            segments += 1
            position += 1
            continue
        # Fill bytes (0xFF) may come before a marker: counted as the rest.
        filled = _FILL.match(data, position).end() - 1
        segments += filled - position
        position = filled
        marker = data[position + 1]
        segments += 1
        if marker == 0xD9:  # end of image
            break
        if marker in _STANDALONE:
            position += 2
            continue
        (length,) = struct.unpack_from(">H", data, position + 2)
        if marker in _SOF:
            height, width = struct.unpack_from(">HH", data, position + 5)
            pixels = max(height, 1) * width
        elif marker == 0xDA:  # start of scan: its components, then its data
            scan_pixels += data[position + 4] * pixels
            found = _AFTER_SCAN.search(data, position + 2 + length)
            if not found:
                break
            position = found.start()
            continue
        position += 2 + length
    return segments, scan_pixels


def _png_chunks(data):
    """A PNG's number of chunks up to IEND, or MAX_SEGMENTS + 1."""
    position, chunks = 8, 0
    while chunks <= MAX_SEGMENTS and position < len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        chunks += 1
        if kind == b"IEND":
            break
        position += 12 + length
    return chunks


def _too_many_pixels(limit=MAX_PIXELS):
    return ValidationError(
        _("The photo has more than %(max)s million pixels."),
        code="too_many_pixels",
        params={"max": limit // 1_000_000},
    )


def _stored_size(size):
    """The size thumbnail() gives an image of this size within LONGEST_SIDE."""
    width, height = size
    scale = min(1, LONGEST_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _flattened(image):
    if image.mode.startswith("I"):
        # 16-bit grey (scanners, editors): convert() clips 0-65535 to 0-255,
        # which turned every pixel above the darkest 0.4 % white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
        image.info.pop("transparency", None)  # a 16-bit value
    # A transparent colour (tRNS) in a palette, grey or RGB PNG: convert()
    # turns it into alpha; flattened, its pixels were black.
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if transparent else "RGB"
    return image if image.mode == mode else image.convert(mode)


def _encoded(image, suffix):
    buffer = BytesIO()
    if suffix == ".webp":
        image.save(buffer, "WEBP", quality=QUALITY, method=4)
    else:
        image.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
