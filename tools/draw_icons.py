"""Draws the home-screen icons and favicon in coworking/static/icons from icon.svg with the
Chromium the browser tests use: `.venv/bin/python tools/draw_icons.py`. The PNGs are kept in
git; run this again only when the mark changes."""
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "coworking" / "static" / "icons"
SVG = (ICONS / "icon.svg").read_text()
# Maskable and Apple icons fill the whole square (the system cuts its own shape) and keep the
# mark inside the central safe circle.
FULL = SVG.replace('rx="96" ', "").replace('<g fill="#ffffff">',
                                          '<g fill="#ffffff" transform="translate(51 51) scale(.8)">')
DRAWINGS = {"icon-192.png": (SVG, 192), "icon-512.png": (SVG, 512),
            "icon-maskable-512.png": (FULL, 512), "apple-touch-icon.png": (FULL, 180),
            "favicon-32.png": (SVG, 32)}


def draw(page, svg, size):
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(f"<style>html,body{{margin:0}}svg{{display:block;width:{size}px;"
                     f"height:{size}px}}</style>{svg}")
    return page.screenshot(omit_background=True)


def ico(png, size):
    """An .ico holding one PNG image, as every current browser reads it."""
    return struct.pack("<HHHBBBBHHII", 0, 1, 1, size, size, 0, 0, 1, 32, len(png), 22) + png


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(device_scale_factor=1)
    for name, (svg, size) in DRAWINGS.items():
        (ICONS / name).write_bytes(draw(page, svg, size))
    (ICONS / "favicon.ico").write_bytes(ico((ICONS / "favicon-32.png").read_bytes(), 32))
    (ICONS / "favicon-32.png").unlink()
    browser.close()
