"""Texts that hosts and admins write in German with an optional English version (a space's
texts, a plan's name and description, a closure's reason): which one a visitor reads, and whether the German one
stands in for a missing English one, so the page can say so."""
from dataclasses import dataclass

from flask_babel import get_locale, gettext as _

GERMAN = "de"


@dataclass(frozen=True)
class Shown:
    text: str
    language: str      # the language of `text`, for a `lang` attribute
    fell_back: bool    # an English visitor reads the German text: none is written in English

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def shown(german, english):
    """English visitors read the English text where one is written, else the German one,
    marked as such; everyone else reads the German text."""
    german, english = (german or "").strip(), (english or "").strip()
    if str(get_locale()) != GERMAN:
        if english:
            return Shown(english, str(get_locale()), False)
        return Shown(german, GERMAN, bool(german))
    return Shown(german, GERMAN, False)


class ShownText(str):
    """`shown` as a plain string, for a text that travels through code treating it as one
    (a closure's reason, from the opening days to the rules' messages and the pages): it
    compares, formats and serialises as its text, and still tells the page its language and
    whether it stands in for a missing English one."""

    language: str
    fell_back: bool

    def __new__(cls, text, language=GERMAN, fell_back=False):
        made = super().__new__(cls, text)
        made.language, made.fell_back = language, fell_back
        return made

    @property
    def marked(self):
        """The text with "(in German only)" after it where it fell back: for messages that
        cannot carry a `lang` attribute (e-mails, a rule's refusal)."""
        return marked(self)


def shown_text(german, english):
    """`shown` as a `ShownText`."""
    found = shown(german, english)
    return ShownText(found.text, found.language, found.fell_back)


def marked(text):
    """`text` with "(in German only)" after it when it is a German stand-in (`ShownText`),
    else as it is."""
    if getattr(text, "fell_back", False):
        return _("%(text)s (in German only)", text=str(text))
    return str(text) if text is not None else text
