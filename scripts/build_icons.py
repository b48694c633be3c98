"""Build the portal's icons (favicon, touch icons) into static/img/.

One drawing, in the portal's colours (static/css/site.css: --accent, --paper):
a white "A" for Artois on a rounded accent square. It is described once, as
polygons on a unit square, and written both as SVG and, through Pillow, as the
PNG and ICO files browsers and phones ask for. Usage, from the repository root
with the project's virtualenv::

    python scripts/build_icons.py

The output is reproducible; the files are committed.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "static" / "img"
ACCENT = "#0b5a8a"
PAPER = "#ffffff"
RADIUS = 0.18  # of the side: rounded corners
# The letter: its outline, then its counter (the hole above the crossbar).
LETTER = [(0.42, 0.16), (0.58, 0.16), (0.84, 0.84), (0.68, 0.84), (0.62, 0.68),
          (0.38, 0.68), (0.32, 0.84), (0.16, 0.84)]  # fmt: skip
COUNTER = [(0.5, 0.37), (0.565, 0.545), (0.435, 0.545)]
SUPERSAMPLE = 4  # drawn larger, then reduced: smooth edges
PNGS = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]


def _path(points, side):
    moves = " ".join(f"{x * side:g} {y * side:g}" for x, y in points)
    return f"M{moves}Z"


def svg():
    side = 100
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="{RADIUS * side:g}" fill="{ACCENT}"/>'
        f'<path fill="{PAPER}" fill-rule="evenodd" '
        f'd="{_path(LETTER, side)} {_path(COUNTER, side)}"/></svg>\n'
    )


def png(size, *, rounded=True):
    """A square icon. Touch icons are square: phones round them themselves."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), RADIUS * big, fill=ACCENT)
    else:
        draw.rectangle((0, 0, big - 1, big - 1), fill=ACCENT)
    draw.polygon([(x * big, y * big) for x, y in LETTER], fill=PAPER)
    draw.polygon([(x * big, y * big) for x, y in COUNTER], fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg())
    for name, size in PNGS.items():
        png(size, rounded=name != "apple-touch-icon.png").save(
            OUT / name, optimize=True
        )
    png(48).save(OUT / "favicon.ico", sizes=ICO_SIZES)


if __name__ == "__main__":
    main()
