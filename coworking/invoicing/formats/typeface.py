"""The typeface of every invoice PDF: DejaVu Sans, shipped in fonts/ (PDF/A embeds every
font, so the PDF core fonts will not do). Parsing the font files would be a fifth of each
rendering, so it happens once per process; each PDF gets a copy of the parsed font."""
import copy
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "dejavu"
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def add_typeface(pdf):
    """Give `pdf` the family FAMILY (regular and bold) without parsing the files again.

    Each PDF shares the parsed metrics (character widths, glyph ids, character map; fpdf2
    only reads them) and gets its own state: the map of the characters it uses, and the
    font table, opened anew from the bytes, since fpdf2 cuts the embedded subset out of
    the table in place when it writes the PDF. That spares a fifth of a rendering's time
    (fpdf2 2.8.9's `TTFFont`; tests/invoicing/test_pdf.py renders PDFs one after another)."""
    for key, (font, data) in _parsed().items():
        own = copy.copy(font)
        own.ttfont = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, lazy=True)
        own.i = len(pdf.fonts) + 1
        own.missing_glyphs = []
        own.biggest_size_pt = 0
        own.subset = SubsetMap(own)
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


REPLACEMENT = "\ufffd"


def printable(text):
    """`text` with each character the typeface lacks (Chinese, emoji) shown as "�": fpdf2
    would leave it out without a trace, and PDF/A forbids drawing the empty glyph."""
    covered = _covered()
    if all(ord(char) in covered for char in text):
        return text
    return "".join(char if ord(char) in covered or char in "\n\r\t" else REPLACEMENT
                   for char in text)


@cache
def _covered():
    """The characters both styles can draw."""
    regular, bold = (font.cmap.keys() for font, _data in _parsed().values())
    return frozenset(regular & bold)
