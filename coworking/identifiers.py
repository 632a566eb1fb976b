"""The numbers an invoice carries: IBAN, BIC, VAT id, German tax number and postcode.

Each check takes what a person typed (spaces, lower case, a German "DE 123 456 789") and
returns the number as it is stored, or raises `ValueError` with a message for that person.
The checksums and formats come from python-stdnum, which follows the official rules.
"""
import re

from flask_babel import lazy_gettext as _l
from stdnum import bic as _bic, iban as _iban
from stdnum.de import stnr as _stnr, vat as _de_vat
from stdnum.exceptions import InvalidChecksum, ValidationError

# Member states of the EU by the prefix of their VAT ids (Greece uses EL), and XI for
# Northern Ireland, whose traders keep EU VAT ids for goods.
EU_VAT_PREFIXES = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"))
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_LOOSE_VAT = re.compile(r"^[A-Z0-9+*]{2,12}$")
_POSTCODE_DE = re.compile(r"^[0-9]{5}$")
_POSTCODE_ELSEWHERE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$")


def _compact(value):
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def iban(value):
    """An IBAN of any country, checked by its length and its mod-97 check digits."""
    number = _compact(value)
    if number.startswith("DE") and not re.fullmatch(r"DE[0-9]{20}", number):
        raise ValueError(_l("A German IBAN has 22 characters: DE, two check digits and 18 "
                            "digits."))
    try:
        if not _IBAN_SHAPE.match(number):
            raise ValidationError
        return _iban.validate(number)
    except InvalidChecksum:
        raise ValueError(_l("The IBAN's check digits do not match: please check it for "
                            "typing errors.")) from None
    except ValidationError:
        raise ValueError(_l("This is not an IBAN. It starts with the country code, such as "
                            "DE02 1203 0000 0000 2020 51.")) from None


def bic(value):
    """A BIC (SWIFT code): 8 or 11 letters and digits, the country in places 5 and 6."""
    code = _compact(value)
    try:
        return _bic.validate(code)
    except ValidationError:
        raise ValueError(_l("A BIC has 8 or 11 letters and digits, such as BYLADEM1001.")) \
            from None


def vat_id(value):
    """A VAT id: a German one is DE and nine digits with a valid check digit; another EU
    country's is its prefix and 2 to 12 letters or digits (checked loosely)."""
    number = _compact(value)
    prefix, rest = number[:2], number[2:]
    if prefix == "DE":
        if not re.fullmatch(r"[0-9]{9}", rest):
            raise ValueError(_l("A German VAT id is DE followed by nine digits, such as "
                                "DE136695976."))
        try:
            return "DE" + _de_vat.validate(number)
        except ValidationError:
            raise ValueError(_l("The check digit of this VAT id does not match: please "
                                "check it for typing errors.")) from None
    if prefix not in EU_VAT_PREFIXES or not _LOOSE_VAT.match(rest):
        raise ValueError(_l("A VAT id starts with the EU country code, such as DE136695976 "
                            "or ATU13585627."))
    return number


def tax_number(value):
    """A German tax number (Steuernummer) in a state's own form, such as 21/815/08150, or
    in the 13-digit form used across Germany; kept as typed, trimmed."""
    typed = " ".join((value or "").split())
    try:
        _stnr.validate(typed)
    except ValidationError:
        raise ValueError(_l("This is not a German tax number. Write it as the tax office "
                            "gave it, such as 21/815/08150, or in its 13-digit form.")) \
            from None
    return typed


def postcode(value, country):
    """Five digits in Germany; elsewhere 2 to 10 letters, digits, spaces or hyphens."""
    code = " ".join((value or "").split()).upper()
    if country == "DE":
        if not _POSTCODE_DE.match(code):
            raise ValueError(_l("A German postcode has five digits, such as 23879."))
    elif not _POSTCODE_ELSEWHERE.match(code):
        raise ValueError(_l("Give the postcode, 2 to 10 letters or digits."))
    return code
