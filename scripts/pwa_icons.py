"""Draws the company site's app icons (the favicon's star and bar, static/img/favicon.svg) as
PNGs under static/img/icons/: `any` icons with rounded corners, a maskable one whose drawing
stays inside the centre 80 % (the safe zone a launcher's mask keeps), and Apple's touch icon.
Run again only when the design changes: `.venv/bin/python scripts/pwa_icons.py`."""

from pathlib import Path

from PIL import Image, ImageDraw

RED, GOLD = (198, 40, 40, 255), (255, 213, 79, 255)
STAR = [(32.0, 9.0), (36.0, 21.4), (49.1, 21.4), (38.5, 29.1), (42.6, 41.6), (32.0, 33.9),
        (21.4, 41.6), (25.5, 29.1), (14.9, 21.4), (28.0, 21.4)]  # on the favicon's 64 grid
OUT = Path(__file__).resolve().parents[1] / "static" / "img" / "icons"


def icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    scale = 4  # drawn large, then shrunk: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable or not rounded:
        draw.rectangle((0, 0, big, big), fill=RED)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 // 64, fill=RED)
    # The drawing spans the favicon's 13..51 box; a maskable icon keeps it in the centre 78 %
    # (inside the safe circle).
    share = 0.78 if maskable else 1.0
    unit = big * share / 64
    offset = big * (1 - share) / 2
    draw.polygon([(offset + x * unit, offset + y * unit) for x, y in STAR], fill=GOLD)
    draw.rounded_rectangle((offset + 13 * unit, offset + 47 * unit, offset + 51 * unit,
                            offset + 53 * unit), radius=3 * unit, fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (48, 72, 96, 144, 192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
    for size in (192, 512):
        icon(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)
    icon(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
