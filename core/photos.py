"""Photo uploads: what is accepted, how it is stored, how it is served.

An upload is judged by its content, never by its name: it must open as a JPEG,
PNG or WebP, weigh at most MAX_BYTES and count at most MAX_PIXELS, read from the
header before any pixel is decoded. What is stored is never the uploaded bytes:
the pixels are decoded and re-encoded (JPEG, or WebP where there is
transparency), which drops EXIF (GPS position included), XMP, ICC profiles and
anything appended to the file, under a name the server chooses. Narrower copies
(WIDTHS) are stored next to it for `srcset`.

A valid JPEG followed by other bytes (a PHP or HTML payload, or a phone's
"motion photo" video) is accepted: only its pixels are kept. A file whose own
format is not one of the three (a GIF with a ZIP appended, an SVG, a script
starting with an image signature) is refused.
"""

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
            if image.format == "JPEG":
                # Decode at a reduced scale straight away when the JPEG is huge.
                image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
        except Exception as error:
            raise _not_a_photo() from error
    image = _flattened(image)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
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
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
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
        data = BytesIO(self.file.read())
        self.file.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(data, formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except Exception as error:
            raise _not_a_photo() from error
        width, height = self.image.size
        if width * height > MAX_PIXELS:
            self.image.close()
            raise _too_many_pixels()
        return self.image

    def __exit__(self, *exc_info):
        self.image.close()


def _too_many_pixels():
    return ValidationError(
        _("The photo has more than %(max)s million pixels."),
        code="too_many_pixels",
        params={"max": MAX_PIXELS // 1_000_000},
    )


def _flattened(image):
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if transparent else "RGB")
    image.info = {}  # no EXIF, XMP or ICC profile is carried over
    return image


def _encoded(image, suffix):
    buffer = BytesIO()
    if suffix == ".webp":
        image.save(buffer, "WEBP", quality=QUALITY, method=4)
    else:
        image.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
