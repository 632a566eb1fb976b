"""What billing details must look like: countries, postcodes by country, EU VAT ids (with the
German check digit) and the Leitweg-ID a public-sector buyer gives (with its check digits).
Each check returns the normalised value or raises ValueError with the message to show."""
import re

from babel import Locale
from flask_babel import get_locale, lazy_gettext as _l

# CLDR knows a few territories ISO 3166-1 assigns no alpha-2 code to (or only reserves):
# Ascension, Clipperton, Diego Garcia, Ceuta and Melilla, the Canaries, Tristan da Cunha,
# the EU, the euro area, the UN, "outlying Oceania", Kosovo, pseudo-locales and "unknown".
_NOT_ISO = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA",
                      "XB", "XK", "ZZ"})
COUNTRIES = frozenset(code for code in Locale("en").territories
                      if len(code) == 2 and code.isalpha() and code not in _NOT_ISO)


def country_choices():
    """(code, name) of every ISO 3166-1 country, named and sorted in the page's language."""
    names = Locale.parse(str(get_locale() or "de")).territories
    return sorted(((code, names.get(code, code)) for code in COUNTRIES),
                  key=lambda choice: (choice[0] != "DE", choice[1]))


def country(value):
    code = (value or "").strip().upper()
    if code not in COUNTRIES:
        raise ValueError(_l("Please choose a country from the list (a two-letter code such "
                            "as DE)."))
    return code


# Postcodes of Germany and its neighbours by their exact format; elsewhere loosely: letters,
# digits, spaces and hyphens with at least one digit or letter, as postal services write them.
_POSTCODES = {
    "DE": (re.compile(r"^[0-9]{5}$"), _l("A German postcode has five digits, e.g. 23879.")),
    "AT": (re.compile(r"^[0-9]{4}$"), _l("An Austrian postcode has four digits, e.g. 1010.")),
    "CH": (re.compile(r"^[0-9]{4}$"), _l("A Swiss postcode has four digits, e.g. 8001.")),
    "LI": (re.compile(r"^[0-9]{4}$"), _l("A postcode in Liechtenstein has four digits, e.g. "
                                         "9490.")),
    "BE": (re.compile(r"^[0-9]{4}$"), _l("A Belgian postcode has four digits, e.g. 1000.")),
    "LU": (re.compile(r"^(L-)?[0-9]{4}$"), _l("A postcode in Luxembourg has four digits, e.g. "
                                              "1009.")),
    "DK": (re.compile(r"^[0-9]{4}$"), _l("A Danish postcode has four digits, e.g. 1050.")),
    "NL": (re.compile(r"^[0-9]{4} ?[A-Z]{2}$"), _l("A Dutch postcode has four digits and two "
                                                   "letters, e.g. 1011 AB.")),
    "PL": (re.compile(r"^[0-9]{2}-[0-9]{3}$"), _l("A Polish postcode reads like 00-950.")),
    "CZ": (re.compile(r"^[0-9]{3} ?[0-9]{2}$"), _l("A Czech postcode has five digits, e.g. "
                                                   "110 00.")),
    "FR": (re.compile(r"^[0-9]{5}$"), _l("A French postcode has five digits, e.g. 75001.")),
}
_ANY_POSTCODE = re.compile(r"^[A-Z0-9](?:[A-Z0-9 -]{0,8}[A-Z0-9])?$")


def postcode(value, country_code):
    """The postcode as written, upper-case; its format checked where the country has one."""
    text = " ".join((value or "").split()).upper()
    if not text:
        raise ValueError(_l("Please enter the postcode."))
    pattern, message = _POSTCODES.get(country_code, (_ANY_POSTCODE, None))
    if not pattern.match(text):
        raise ValueError(message or _l("Please enter a postcode of 2 to 10 letters and digits."))
    return text


# The format of each EU member state's VAT identification number (and Northern Ireland's XI),
# after the two-letter prefix, as the EU's VIES service describes them.
_VAT_FORMATS = {
    "AT": r"U[0-9]{8}", "BE": r"[01][0-9]{9}", "BG": r"[0-9]{9,10}",
    "CY": r"[0-9]{8}[A-Z]", "CZ": r"[0-9]{8,10}", "DE": r"[0-9]{9}", "DK": r"[0-9]{8}",
    "EE": r"[0-9]{9}", "EL": r"[0-9]{9}", "ES": r"[A-Z0-9][0-9]{7}[A-Z0-9]",
    "FI": r"[0-9]{8}", "FR": r"[A-HJ-NP-Z0-9]{2}[0-9]{9}", "HR": r"[0-9]{11}",
    "HU": r"[0-9]{8}", "IE": r"[0-9][A-Z0-9+*][0-9]{5}[A-Z]{1,2}", "IT": r"[0-9]{11}",
    "LT": r"[0-9]{9}|[0-9]{12}", "LU": r"[0-9]{8}", "LV": r"[0-9]{11}", "MT": r"[0-9]{8}",
    "NL": r"[0-9]{9}B[0-9]{2}", "PL": r"[0-9]{10}", "PT": r"[0-9]{9}", "RO": r"[0-9]{2,10}",
    "SE": r"[0-9]{12}", "SI": r"[0-9]{8}", "SK": r"[0-9]{10}",
    "XI": r"[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3}",
}
_VAT_PATTERNS = {prefix: re.compile(f"^(?:{body})$") for prefix, body in _VAT_FORMATS.items()}


def german_vat_check_digit(first_eight):
    """The check digit of a German VAT id (ISO 7064, MOD 11,10) from its first eight digits."""
    product = 10
    for digit in first_eight:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10


def vat_id(value):
    """An EU VAT id without spaces, dots or hyphens, upper-case; empty when none is given."""
    text = re.sub(r"[\s.\-]", "", value or "").upper()
    if not text:
        return ""
    prefix, body = text[:2], text[2:]
    if prefix == "GR":
        raise ValueError(_l("A Greek VAT id begins with EL, e.g. EL123456789."))
    pattern = _VAT_PATTERNS.get(prefix)
    if pattern is None:
        raise ValueError(_l("Please enter a VAT id of an EU member state, beginning with its "
                            "country code, e.g. DE136695976."))
    if not pattern.match(body):
        if prefix == "DE":
            raise ValueError(_l("A German VAT id is DE followed by nine digits, e.g. "
                                "DE136695976."))
        raise ValueError(_l("This is not the format of a VAT id from %(country)s.",
                            country=prefix))
    if prefix == "DE" and german_vat_check_digit(body[:8]) != int(body[8]):
        raise ValueError(_l("This German VAT id has a typo: its check digit does not match. "
                            "Please compare it with your tax office's letter."))
    return text


_LEITWEG = re.compile(r"^([0-9]{2,12})(?:-([A-Z0-9]{1,30}))?-([0-9]{2})$")


def _as_digits(text):
    """Letters as numbers (A = 10 … Z = 35), as ISO 7064 MOD 97-10 reads them."""
    return "".join(str(int(char, 36)) for char in text)


def leitweg_check_digits(coarse, fine=""):
    """The two check digits of a Leitweg-ID (ISO 7064, MOD 97-10)."""
    return 98 - int(_as_digits(coarse + fine) + "00") % 97


def buyer_reference(value):
    """A Leitweg-ID (coarse address, optional fine address, check digits), upper-case; empty
    when none is given."""
    text = (value or "").strip().upper()
    if not text:
        return ""
    match = _LEITWEG.match(text)
    if not match:
        raise ValueError(_l("A Leitweg-ID reads like 04011000-1234512345-06: 2 to 12 digits, "
                            "optionally up to 30 letters or digits, and two check digits, "
                            "separated by hyphens."))
    coarse, fine, check = match.groups()
    if leitweg_check_digits(coarse, fine or "") != int(check):
        raise ValueError(_l("This Leitweg-ID has a typo: its check digits do not match. Please "
                            "copy it from the order of your authority."))
    return text
