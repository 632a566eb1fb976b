"""Addresses that look like another one: letters of two alphabets in one part, and the
skeleton two addresses share when a reader cannot tell them apart (after Unicode's UTS #39).

Pure functions without the database: the model keeps each address's skeleton in a column,
and the accounts service refuses a new address whose skeleton another account has."""
import unicodedata

# The writing systems of East Asia mix by nature (and with Latin, as in 東京tokyo): they count
# as one script here, which may stand beside Latin but not beside another alphabet.
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})
_EAST_ASIAN_SCRIPT = "EAST ASIAN"
# First words of character names that name a form, not an alphabet; after NFKC few are left.
_NOT_A_SCRIPT = frozenset({"MODIFIER", "FULLWIDTH", "HALFWIDTH", "MATHEMATICAL", "SMALL",
                           "CIRCLED", "PARENTHESIZED", "SUPERSCRIPT", "SUBSCRIPT", "LETTERLIKE"})

# Letters of other alphabets that look like a Latin letter (lower case, as addresses are
# stored): from Unicode's confusables.txt, those a reader of Latin mistakes in an address.
# Latin-to-Latin pairs (l and 1, rn and m) are left out: they would refuse ordinary addresses.
_CONFUSABLE = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "ғ": "f", "һ": "h", "і": "i",
    "ї": "i", "ј": "j", "к": "k", "ӏ": "l", "м": "m", "п": "n", "о": "o", "р": "p", "ԛ": "q",
    "г": "r", "ѕ": "s", "т": "t", "џ": "u", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y",
    # Greek
    "α": "a", "β": "b", "ϲ": "c", "ε": "e", "η": "n", "ι": "i", "ϳ": "j", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    # Armenian
    "ց": "g", "հ": "h", "ո": "n", "օ": "o", "զ": "q", "ս": "u", "ա": "w",
    # Latin letters that are not ASCII but read as ASCII
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʋ": "u", "ɒ": "a",
})


def _script(char):
    """The alphabet of a letter, by the first word of its Unicode name; None for what is no
    letter (digits, dots, hyphens, combining marks) or names no alphabet."""
    if not unicodedata.category(char).startswith("L"):
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0]
    if not word or word in _NOT_A_SCRIPT:
        return None
    return _EAST_ASIAN_SCRIPT if word in _EAST_ASIAN else word


def mixes_scripts(part):
    """Whether one local part or domain label has letters of two alphabets (Latin with
    Cyrillic or Greek, say): hardly anyone writes so, but a look-alike of an address does."""
    scripts = {script for script in map(_script, part) if script is not None}
    if _EAST_ASIAN_SCRIPT in scripts and scripts <= {"LATIN", _EAST_ASIAN_SCRIPT}:
        return False
    return len(scripts) > 1


def mixed_script_parts(email):
    """The parts of a (normalised) address that mix alphabets: its local part and each label
    of its domain are judged on their own."""
    local, _, domain = email.rpartition("@")
    return [part for part in [local, *domain.split(".")] if mixes_scripts(part)]


def skeleton(email):
    """What an address looks like: accents and other combining marks dropped, letters of
    other alphabets that look Latin read as Latin. Two addresses with one skeleton are
    look-alikes, as `memberb@test.example` and `mеmberb@test.example` (Cyrillic е) are."""
    decomposed = unicodedata.normalize("NFKD", email.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.translate(_CONFUSABLE))
