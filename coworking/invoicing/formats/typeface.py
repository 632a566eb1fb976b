"""The typeface of every invoice PDF: DejaVu Sans, shipped in fonts/ (PDF/A embeds every
font, so the PDF core fonts will not do). Parsing a font file costs more than laying out a
whole invoice, so it happens once per process; each PDF gets a copy of the parsed font."""
import copy
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "dejavu"
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def add_typeface(pdf):
    """Give `pdf` the family FAMILY (regular and bold) without parsing the files again.

    The copy is fpdf2's own (`TTFFont.__deepcopy__`: metrics shared, a fresh subset map);
    only the font table is opened anew, since fpdf2 cuts the embedded subset out of the
    table in place when it writes the PDF."""
    for key, (font, data) in _parsed().items():
        own = copy.deepcopy(font)
        own.ttfont = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, lazy=True)
        own.i = len(pdf.fonts) + 1
        pdf.fonts[key] = own


@cache
def _parsed():
    """fpdf2's parsed fonts by key ("dejavu", "dejavuB"), with each file's bytes."""
    template = FPDF()
    parsed = {}
    for style, name in FILES.items():
        template.add_font(FAMILY, style, FONTS / name)
        parsed[FAMILY + style] = (template.fonts[FAMILY + style], (FONTS / name).read_bytes())
    return parsed
