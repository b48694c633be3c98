"""Photo uploads through the admin: what is refused, and what is stored."""

import io
import os
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from core.photos import (
    MAX_BYTES,
    PhotoField,
    photo_check,
    rendition_name,
    rendition_widths,
)
from sites.models import Plot
from tests.factories import PlotFactory, staff_user

pytestmark = pytest.mark.django_db
PAYLOAD = b"<?php system($_GET['c']); ?><script>alert(1)</script>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(size=(200, 100), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def webp(size, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "WEBP", lossless=True)
    return buffer.getvalue()


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width=20_000, height=20_000):
    """A valid PNG header declaring 20,000 x 20,000 pixels (1-bit grey), with the
    compressed data of a single row: 400 megapixels in a few dozen bytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" * (1 + (width + 7) // 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(row, 9))
        + png_chunk(b"IEND", b"")
    )


def gifar():
    """A GIF that is also a ZIP (a Java archive): its own format is not accepted."""
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("META-INF/MANIFEST.MF", "Main-Class: Exploit\n")
    return buffer.getvalue() + archive.getvalue()


def jpeg_segment(marker, body):
    return struct.pack(">HH", marker, len(body) + 2) + body


def progressive_jpeg(refinements, width=6_000, height=6_400):
    """A grey progressive JPEG of 38 megapixels in a few dozen KB: its scans hold
    nothing (a run of empty blocks every two bytes), yet libjpeg passes over
    each of the 600,000 blocks for each refinement scan."""
    blocks = width // 8 * (height // 8)

    def scan(first, last, approximation, data):
        header = bytes([1, 1, 0, first, last, approximation])
        return jpeg_segment(0xFFDA, header) + data

    # With the one AC code '0' (end of band runs of 2^14 + 14 bits): runs of
    # 32,767 blocks.
    bits = ("0" + "1" * 14) * -(-blocks // 32_767)
    bits += "1" * (-len(bits) % 8)
    runs = int(bits, 2).to_bytes(len(bits) // 8, "big").replace(b"\xff", b"\xff\0")
    one_code = b"\1" + b"\0" * 15
    return (
        b"\xff\xd8"
        + jpeg_segment(0xFFDB, b"\0" + b"\1" * 64)
        + jpeg_segment(0xFFC2, struct.pack(">BHHBBBB", 8, height, width, 1, 1, 17, 0))
        + jpeg_segment(0xFFC4, b"\x00" + one_code + b"\x00")  # DC: no change
        + jpeg_segment(0xFFC4, b"\x10" + one_code + b"\xe0")
        + scan(0, 0, 0x00, b"\0" * (blocks // 8))
        + scan(1, 63, 0x01, runs)
        + scan(1, 63, 0x10, runs) * refinements
        + b"\xff\xd9"
    )


def before_first_marker(data, inserted):
    return data[:2] + inserted + data[2:]


def after_png_header(data, inserted):
    return data[:33] + inserted + data[33:]


# Files whose structure alone costs seconds (measured before the check, on the
# development machine): refused as "too_complex" before Pillow reads them.
COSTLY = {
    # libjpeg: 4.4 s and 257 MB for 80 KB.
    "progressive JPEG, 100 empty scans": progressive_jpeg(100),
    # Pillow, in Python: 2.3 s.
    "JPEG, a million comments": before_first_marker(
        jpeg(), jpeg_segment(0xFFFE, b"") * 1_000_000
    ),
    # Pillow, in Python: 1.6 s.
    "JPEG, 2 MB of fill bytes": before_first_marker(jpeg(), b"\xff" * 2_000_000),
    # Pillow, in Python: 1.9 s.
    "PNG, 300,000 chunks": after_png_header(
        png_bomb(100, 100), png_chunk(b"abCd", b"") * 300_000
    ),
}


REFUSED = {
    "400-megapixel PNG": ("bomb.png", png_bomb(), "too_many_pixels"),
    "SVG": (
        "photo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "invalid_image",
    ),
    "PHP renamed .jpg": ("photo.jpg", PAYLOAD, "invalid_image"),
    "GIF+ZIP polyglot": ("photo.jpg", gifar(), "invalid_image"),
    "JPEG signature then PHP": (
        "photo.jpg",
        b"\xff\xd8\xff\xe0" + PAYLOAD,
        "invalid_image",
    ),
    "11 MB": ("photo.jpg", jpeg() + b"\0" * (11 * 1024 * 1024), "too_heavy"),
    # Under Pillow's own limit (89 MP), over ours.
    "60-megapixel PNG": ("big.png", png_bomb(10_000, 6_000), "too_many_pixels"),
    # 1.5 KB: 3 s and 600 MB to decode.
    "40-megapixel WebP": ("big.webp", webp(size=(6_000, 6_600)), "too_many_pixels"),
    **{case: ("photo.jpg", data, "too_complex") for case, data in COSTLY.items()},
}


def upload_to_plot(client, plot, name, content):
    url = reverse("admin:sites_plot_change", args=[plot.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    geom = plot.geom.transform(4326, clone=True)
    data |= {
        "geom": geom.json,
        "park": plot.park_id,
        "commune": plot.commune_id,
        "photos-TOTAL_FORMS": 1,
        "photos-INITIAL_FORMS": 0,
        "photos-0-image": SimpleUploadedFile(name, content, "image/jpeg"),
        "photos-0-caption_fr": "Vue du terrain",
        "photos-0-position": 0,
    }
    return client.post(url, data)


def photo_errors(response):
    assert response.status_code == 200, "the upload was accepted"
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "photos"
    ]
    return [error.code for error in formset.forms[0].errors.as_data()["image"]]


@pytest.mark.parametrize("case", REFUSED)
def test_bad_uploads_are_refused_with_a_form_error(client, media, case):
    name, content, code = REFUSED[case]
    plot = PlotFactory()
    client.force_login(staff_user("call"))

    assert photo_errors(upload_to_plot(client, plot, name, content)) == [code]
    assert not plot.photos.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_the_400_megapixel_png_is_refused_before_any_pixel_is_decoded():
    bomb = png_bomb()
    assert len(bomb) < 100

    tracemalloc.start()
    with pytest.raises(ValidationError) as refused:
        PhotoField().clean(SimpleUploadedFile("bomb.png", bomb))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.code == "too_many_pixels"
    assert peak < 1024 * 1024


@pytest.mark.parametrize("case", COSTLY)
def test_costly_files_are_refused_before_they_are_decoded(case):
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        PhotoField().clean(SimpleUploadedFile("photo.jpg", COSTLY[case]))
    assert refused.value.code == "too_complex"
    assert time.perf_counter() - started < 0.5


def saved(image, kind, **options):
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def turned_exif():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    return exif


def frames(size=(300, 200)):
    return [Image.new("RGBA", size, (200, 30, 30, 128)), Image.new("RGBA", size)]


def png16(colour_type, pixel, size=(300, 200)):
    """A PNG of 16 bits per sample (scanners, editors, HDR phones), filled with
    one pixel: Pillow writes none but 16-bit grey."""
    width, height = size
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    row = b"\0" + struct.pack(f">{len(pixel)}H", *pixel) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(row * height))
        + png_chunk(b"IEND", b"")
    )


def palette_with_transparency():
    image = Image.new("P", (300, 200), 1)
    image.putpalette([0, 0, 0, 200, 30, 30])
    image.paste(0, (0, 0, 100, 200))
    return saved(image, "PNG", transparency=0)


# Real photos as phones, cameras and editors write them: (file, stored size,
# stored as WebP because transparent).
ACCEPTED = {
    "24-megapixel JPEG": (jpeg(size=(6_000, 4_000)), (3_200, 2_133), False),
    "progressive JPEG, turned by its EXIF": (
        jpeg(size=(300, 200), progressive=True, exif=turned_exif()),
        (200, 300),
        False,
    ),
    "progressive JPEG, no chroma subsampling": (
        jpeg(size=(300, 200), progressive=True, subsampling=0),
        (300, 200),
        False,
    ),
    "CMYK JPEG (Adobe), progressive": (
        saved(Image.new("CMYK", (300, 200), (0, 80, 80, 0)), "JPEG", progressive=True),
        (300, 200),
        False,
    ),
    "JPEG with fill bytes before a marker": (
        before_first_marker(jpeg(size=(300, 200)), b"\xff" * 8),
        (300, 200),
        False,
    ),
    "phone's multi-picture JPEG (MPO)": (
        saved(
            Image.new("RGB", (300, 200)),
            "MPO",
            save_all=True,
            append_images=[Image.new("RGB", (150, 100))],
        ),
        (300, 200),
        False,
    ),
    "16-bit RGB PNG": (png16(2, (0x8000, 0x4000, 0x2000)), (300, 200), False),
    "16-bit RGBA PNG": (
        png16(6, (0x8000, 0x4000, 0x2000, 0x8000)),
        (300, 200),
        True,
    ),
    "palette PNG with a transparent colour": (
        palette_with_transparency(),
        (300, 200),
        True,
    ),
    "animated PNG": (
        saved(frames()[0], "PNG", save_all=True, append_images=frames()[1:]),
        (300, 200),
        True,
    ),
    "animated WebP": (
        saved(frames()[0], "WEBP", save_all=True, append_images=frames()[1:]),
        (300, 200),
        True,
    ),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_real_photos_are_accepted(case):
    data, size, transparent = ACCEPTED[case]
    stored = PhotoField().clean(SimpleUploadedFile("photo", data))
    with Image.open(stored) as image:
        assert image.size == size
        assert (image.format, image.mode) == (
            ("WEBP", "RGBA") if transparent else ("JPEG", "RGB")
        )


def test_a_16_bit_grey_png_keeps_its_greys():
    stored = PhotoField().clean(SimpleUploadedFile("scan.png", png16(0, (0x8000,))))
    with Image.open(stored) as image:
        assert image.size == (300, 200)
        assert image.convert("L").getpixel((10, 10)) in range(126, 131)


@pytest.mark.parametrize("mode, colour", [("L", 0), ("RGB", (0, 0, 0))])
def test_a_transparent_colour_in_a_grey_or_rgb_png_stays_transparent(mode, colour):
    image = Image.new(mode, (300, 200), colour)  # transparent, as tRNS says
    image.paste(200 if mode == "L" else (200, 30, 30), (0, 0, 100, 200))
    data = saved(image, "PNG", transparency=colour)
    stored = PhotoField().clean(SimpleUploadedFile("logo.png", data))
    with Image.open(stored) as image:
        assert (image.format, image.mode) == ("WEBP", "RGBA")
        assert image.getpixel((200, 100))[3] == 0
        assert image.getpixel((50, 100))[3] == 255


def test_a_small_progressive_jpeg_may_have_many_scans():
    """The scans are limited by the work they cost: 300 scans of a small
    image are cheaper than 10 of a 40 MP one."""
    data = progressive_jpeg(300, width=600, height=640)
    assert PhotoField().clean(SimpleUploadedFile("photo.jpg", data)).size


def worker_peak_kib(upload):
    """What cleaning this upload adds to a fresh worker's peak resident size,
    then what 64 MB of pixels add (the yardstick), in KiB. Pillow allocates
    pixels outside Python's allocator, where tracemalloc does not look."""
    script = textwrap.dedent(
        """
        import re, sys, django
        django.setup()
        from django.core.exceptions import ValidationError
        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image
        from core.photos import PhotoField

        def peak():
            # VmHWM, not ru_maxrss: the latter keeps the peak of pytest's own
            # process, which this one was forked from before exec.
            status = open("/proc/self/status").read()
            return int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))

        upload = bytes.fromhex(sys.stdin.read())
        before = peak()
        try:
            PhotoField().clean(SimpleUploadedFile("upload", upload))
        except ValidationError:
            pass
        cost = peak() - before
        Image.new("L", (8_000, 8_000), 1)
        print(cost, peak() - before - cost)
        """
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "investinartois.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=upload.hex(),
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cost, yardstick = map(int, result.stdout.split())
    return cost, yardstick


def test_the_workers_memory_does_not_balloon_on_the_400_megapixel_png():
    refused_kib, yardstick_kib = worker_peak_kib(png_bomb())
    assert yardstick_kib > 50 * 1024
    assert refused_kib < 10 * 1024


def test_a_40_megapixel_webp_is_refused_before_its_canvas_is_filled():
    refused_kib, _ = worker_peak_kib(webp(size=(6_000, 6_600)))
    assert refused_kib < 10 * 1024


def test_a_16_megapixel_webp_is_accepted():
    stored = PhotoField().clean(SimpleUploadedFile("x.webp", webp((4_000, 4_000))))
    with Image.open(stored) as image:
        assert image.size == (3_200, 3_200)


@pytest.mark.parametrize("kind", ["JPEG", "MPO"])
def test_a_40_megapixel_jpeg_is_decoded_at_the_size_it_is_stored_at(kind):
    """Its pixels alone weigh 160 MB (4 bytes each); decoded at half its size
    by libjpeg, then shrunk to 3,200 px, it cost 305 MB before (an MPO, a
    phone's JPEG with an HDR gain map or a depth map after it, 255 MB)."""
    image = Image.new("RGB", (7_000, 5_700))
    others = {"save_all": True, "append_images": [image]} if kind == "MPO" else {}
    cost_kib, _ = worker_peak_kib(saved(image, kind, **others))
    assert cost_kib < 140 * 1024


def test_a_photo_is_stored_re_encoded_without_exif_under_a_new_name(client, media):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone turned
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 25.0, 42.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 49.0, 12.0)
    original = jpeg(size=(2_000, 1_000), exif=exif, comment=PAYLOAD)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    plot = PlotFactory()
    client.force_login(staff_user("call"))

    response = upload_to_plot(client, plot, "IMG_2041 chez moi.jpg", original)

    assert response.status_code == 302
    photo = plot.photos.get()
    assert Path(photo.image.name).parent == Path("photos/plotphoto")
    assert "IMG" not in photo.image.name and "moi" not in photo.image.name
    stored = Path(photo.image.path).read_bytes()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    assert PAYLOAD not in stored
    with Image.open(photo.image.path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (1_000, 2_000)  # turned upright, then the EXIF dropped
    assert (photo.width, photo.height) == (1_000, 2_000)


def test_a_jpeg_with_a_payload_appended_keeps_only_its_pixels(client, media):
    """A valid JPEG followed by other bytes is a real photo (phones append
    videos this way): accepted, and the payload is not stored or served."""
    plot = PlotFactory()
    client.force_login(staff_user("call"))

    response = upload_to_plot(client, plot, "photo.jpg", jpeg() + PAYLOAD)

    assert response.status_code == 302
    for path in media.rglob("*"):
        if path.is_file():
            assert PAYLOAD not in path.read_bytes()
            assert b"<?php" not in path.read_bytes()


def test_renditions_are_stored_next_to_the_photo_and_listed_in_srcset(client, media):
    plot = PlotFactory()
    client.force_login(staff_user("call"))
    upload_to_plot(client, plot, "wide.jpg", jpeg(size=(2_000, 1_000)))
    photo = plot.photos.get()

    for width in (480, 960, 1600):
        with Image.open(media / rendition_name(photo.image.name, width)) as image:
            assert image.width == width
            assert not image.getexif()
    assert photo.srcset == ", ".join(
        [
            *(
                f"/media/{rendition_name(photo.image.name, w)} {w}w"
                for w in (480, 960, 1600)
            ),
            f"/media/{photo.image.name} 2000w",
        ]
    )

    plot.is_published = True
    plot.save()
    page = client.get(plot.get_absolute_url()).content.decode()
    assert f'srcset="{photo.srcset}"' in page
    assert 'width="2000" height="1000"' in page


def test_a_small_transparent_png_stays_transparent_as_webp(media):
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, "PNG")
    plot = PlotFactory()
    photo = plot.photos.create(image=SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert photo.image.name.endswith(".webp")
    assert photo.srcset == f"/media/{photo.image.name} 300w"  # no upscaled copies
    with Image.open(photo.image.path) as image:
        assert image.mode == "RGBA"


def test_saving_outside_the_admin_still_checks_and_re_encodes(media):
    plot = PlotFactory()
    with pytest.raises(ValidationError):
        plot.photos.create(image=SimpleUploadedFile("x.jpg", PAYLOAD))
    photo = plot.photos.create(image=SimpleUploadedFile("x.jpg", jpeg() + PAYLOAD))
    assert PAYLOAD not in Path(photo.image.path).read_bytes()


def test_the_size_is_checked_before_the_file_is_read():
    class Huge(io.BytesIO):
        size = MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(ValidationError) as refused:
        photo_check(Huge())
    assert refused.value.code == "too_heavy"


def test_ambassador_photos_go_through_the_same_checks(client, media, admin_user, demo):
    from ambassadors.models import Ambassador

    ambassador = Ambassador.objects.first()
    url = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    client.force_login(admin_user)
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.pop("photo", None)
    data["commune"] = ambassador.commune_id or ""

    response = client.post(
        url, data | {"photo": SimpleUploadedFile("a.jpg", PAYLOAD, "image/jpeg")}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]

    response = client.post(
        url, data | {"photo": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ambassador.refresh_from_db()
    assert ambassador.photo.name.startswith("photos/ambassador/")
    assert ambassador.photo_srcset == f"/media/{ambassador.photo.name} 200w"


def test_plots_keep_their_photos_without_renditions(media):
    """Photos stored before renditions existed have no width: no srcset."""
    plot = PlotFactory()
    photo = plot.photos.create(image="photos/old.jpg")
    assert photo.srcset == ""
    assert Plot.objects.get(pk=plot.pk).photos.get().srcset == ""


def test_deleting_a_photo_or_its_plot_removes_its_files(
    media, django_capture_on_commit_callbacks
):
    plot = PlotFactory()
    photo = plot.photos.create(
        image=SimpleUploadedFile("x.jpg", jpeg(size=(2000, 1000)))
    )
    other = plot.photos.create(image=SimpleUploadedFile("y.jpg", jpeg()))
    files = [p for p in Path(media).rglob("*") if p.is_file()]
    assert len(files) == 1 + len(rendition_widths(2000)) + 1
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert {p for p in Path(media).rglob("*") if p.is_file()} == {
        Path(other.image.path)
    }
    with django_capture_on_commit_callbacks(execute=True):
        plot.delete()
    assert not [p for p in Path(media).rglob("*") if p.is_file()]


def test_the_admin_shows_each_stored_photo_small_not_its_file_name(client, media):
    """Stored under random names, the photos read 'Currently:
    photos/plotphoto/1012837089a24d42...jpg': staff could not tell them apart.
    Shown small, from the smallest rendition when there is one."""
    plot = PlotFactory()
    client.force_login(staff_user("call"))
    upload_to_plot(client, plot, "wide.jpg", jpeg(size=(2_000, 1_000)))
    upload_to_plot(client, plot, "small.jpg", jpeg(size=(300, 200)))
    wide, small = plot.photos.order_by("pk")

    url = reverse("admin:sites_plot_change", args=[plot.pk])
    page = client.get(url).content.decode()
    assert f'<img src="/media/{rendition_name(wide.image.name, 480)}"' in page
    assert f'<img src="/media/{small.image.name}"' in page
    assert f">{wide.image.name}</a>" not in page


def stored_files(media):
    return {path for path in Path(media).rglob("*") if path.is_file()}


def test_replacing_a_plot_photo_s_image_removes_the_old_files(
    media, django_capture_on_commit_callbacks
):
    """Photos have no history to revert to: an old file left behind stayed
    online at its address, renditions included."""
    photo = PlotFactory().photos.create(
        image=SimpleUploadedFile("x.jpg", jpeg(size=(2_000, 1_000)))
    )
    photo.caption = "Vue du terrain"
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    assert len(stored_files(media)) == 4

    photo.image = SimpleUploadedFile("y.jpg", jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    assert stored_files(media) == {Path(photo.image.path)}


def test_replacing_clearing_or_deleting_a_portrait_removes_its_files(
    media, django_capture_on_commit_callbacks
):
    from ambassadors.models import Ambassador

    ambassador = Ambassador.objects.create(
        name="Camille",
        slug="camille",
        quote="Q",
        story="S",
        photo=SimpleUploadedFile("a.jpg", jpeg(size=(2_000, 1_000))),
    )
    ambassador.photo = SimpleUploadedFile("b.jpg", jpeg(size=(1_000, 500)))
    with django_capture_on_commit_callbacks(execute=True):
        ambassador.save()
    assert stored_files(media) == {
        Path(ambassador.photo.path),
        media / rendition_name(ambassador.photo.name, 480),
        media / rendition_name(ambassador.photo.name, 960),
    }

    ambassador.photo = ""  # the admin's "Clear"
    with django_capture_on_commit_callbacks(execute=True):
        ambassador.save()
    assert not stored_files(media)

    ambassador.photo = SimpleUploadedFile("c.jpg", jpeg())
    ambassador.save()
    with django_capture_on_commit_callbacks(execute=True):
        ambassador.delete()
    assert not stored_files(media)
