"""Draw the portal's app icons (web manifest, home screen) with Pillow.

Our own simple artwork: the brand green square with a white speech bubble holding a check
mark. Run from the repository root to regenerate the committed PNGs:

    .venv/bin/python scripts/portal_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 93, 59)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "telepati" / "web" / "static" / "web" / "icons"


def icon(size: int) -> Image.Image:
    """Drawn at 4× and reduced, for smooth edges; the art stays inside the maskable safe zone."""
    big = size * 4
    image = Image.new("RGB", (big, big), BRAND)
    draw = ImageDraw.Draw(image)
    s = big / 100
    draw.rounded_rectangle((22 * s, 24 * s, 78 * s, 66 * s), radius=10 * s, fill=WHITE)
    draw.polygon([(34 * s, 64 * s), (30 * s, 78 * s), (48 * s, 64 * s)], fill=WHITE)
    draw.line(
        [(35 * s, 45 * s), (46 * s, 55 * s), (65 * s, 35 * s)],
        fill=BRAND,
        width=round(7 * s),
        joint="curve",
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(f"{OUT / f'icon-{size}.png'}")


if __name__ == "__main__":
    main()
