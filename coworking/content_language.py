"""Texts that hosts and admins write in German with an optional English version (a space's
texts, a plan's name and description): which one a visitor reads, and whether the German one
stands in for a missing English one, so the page can say so."""
from dataclasses import dataclass

from flask_babel import get_locale

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
