"""The operators' pages: what a visitor reads (the stored text, else the template filled from
the operator's data), which "[…]" placeholders a text still holds, how the plain text becomes
paragraphs and headings, and an admin's edit."""
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coworking import audit, clock, permissions
from coworking.database import LOST_RACE_MESSAGE, use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db
from coworking.operators.service import operator_by_slug, portal_operator, portal_operator_or_new
from coworking.site.models import BODY_MAX, LANGUAGES, SLUGS, TITLE_MAX, SitePage

# The German title each page has until an admin gives it another.
DEFAULT_TITLES = {"impressum": "Impressum", "datenschutz": "Datenschutzerklärung",
                  "barrierefreiheit": "Erklärung zur Barrierefreiheit"}
DEFAULT_LANGUAGE = "de"
# "[Stadt/Gemeinde …]", "[7]": what the template leaves for the operator to fill in.
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,200}\]")


def placeholders(text):
    """The placeholders still in `text`, each once, in the order they appear."""
    return tuple(dict.fromkeys(PLACEHOLDER.findall(text or "")))


@dataclass(frozen=True)
class PageText:
    slug: str
    language: str           # the language of the text shown
    title: str
    body: str
    updated_at: datetime | None  # None: the template, nothing stored yet
    fell_back: bool = False  # asked for another language, shown in German

    @property
    def is_template(self):
        return self.updated_at is None

    @property
    def placeholders(self):
        return placeholders(self.title + "\n" + self.body)

    @property
    def is_draft(self):
        """Still holds placeholders: not yet fit to speak for the operator."""
        return bool(self.placeholders)


def _check_slug(slug):
    if slug not in SLUGS:
        raise NotFound(_l("There is no such page."))


def _filled(body, operator):
    """The template with what the operator's data tells: name, address, representative,
    register, VAT id and contact. What the data cannot tell stays a placeholder."""
    if operator is None:
        return body
    place = f"{operator.postcode} {operator.city}".strip() if operator.postcode else ""
    facts = [
        ("[Stadt/Gemeinde …]", operator.legal_name),
        ("[Straße und Hausnummer des Rathauses]", operator.street),
        ("[Straße und Hausnummer]", operator.street),
        ("[Postleitzahl] [Ort]", place if operator.city else ""),
        ("[Vorname Name], [Erste Bürgermeisterin / Erster Bürgermeister / Bürgermeisterin / "
         "Bürgermeister]", operator.representative),
        ("[Vorname Name, Bürgermeisterin / Bürgermeister]", operator.representative),
        ("[+49 …]", operator.phone),
        ("[coworking@… .de]", operator.email),
        ("[DE …] [Diesen Abschnitt löschen, wenn keine vergeben ist.]", operator.vat_id),
    ]
    for placeholder, value in facts:
        if value:
            body = body.replace(placeholder, value)
    if operator.register and "## Kontakt" in body:
        body = body.replace("## Kontakt", f"## Registereintrag\n\n{operator.register}\n\n"
                                          f"## Kontakt", 1)
    return body


def _default(slug, operator):
    """The template a municipal operator starts from, with "[…]" where its facts go."""
    loader = current_app.jinja_env.loader
    body, _filename, _uptodate = loader.get_source(current_app.jinja_env,
                                                   f"site/defaults/{slug}.txt")
    return PageText(slug, DEFAULT_LANGUAGE, DEFAULT_TITLES[slug],
                    _filled(body.strip(), operator), None)


def _text_of(page):
    return PageText(page.slug, page.language, page.title, page.body, page.updated_at)


def stored_pages(operator_ids):
    """{(operator id, slug, language): SitePage} of those operators, in one query."""
    return {(page.operator_id, page.slug, page.language): page for page in db.session.scalars(
        select(SitePage).where(SitePage.operator_id.in_(list(operator_ids))))}


def stored_or_default(operator, slug, language, stored=None):
    """The text as an admin edits it: what is stored for that language; for German the
    template when nothing is; for another language nothing (None) until written. `stored`
    (from `stored_pages`) saves a query per page on a list."""
    _check_slug(slug)
    if stored is None:
        stored = stored_pages([operator.id]) if operator is not None else {}
    page = stored.get((operator.id, slug, language)) if operator is not None else None
    if page is not None:
        return _text_of(page)
    return _default(slug, operator) if language == DEFAULT_LANGUAGE else None


def page_for(operator, slug, language):
    """What a visitor reads: their language if the operator wrote it, else the German text
    (the legally binding one) with a note that it is in German only."""
    _check_slug(slug)
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    text = stored_or_default(operator, slug, language)
    if text is None:
        german = stored_or_default(operator, slug, DEFAULT_LANGUAGE)
        return PageText(german.slug, german.language, german.title, german.body,
                        german.updated_at, fell_back=True)
    return text


def operator_of_pages(slug=None):
    """The operator whose pages these are: the one named, else the portal's (None before
    any runs it). An unknown name is a 404."""
    if slug is None:
        return portal_operator()
    operator = operator_by_slug(slug)
    if operator is None:
        raise NotFound(_l("There is no such page."))
    return operator


@dataclass(frozen=True)
class Block:
    kind: str      # "heading", "paragraph" or "list"
    lines: tuple   # a heading's single line, a paragraph's lines, a list's items


def blocks(body):
    """Plain text as paragraphs (split on blank lines; a line break stays one), "## " lines
    as headings and paragraphs of "- " lines as lists. Templates escape every line."""
    result = []
    paragraph = []

    def close():
        if paragraph:
            if all(line.startswith("- ") for line in paragraph):
                result.append(Block("list", tuple(line[2:].strip() for line in paragraph)))
            else:
                result.append(Block("paragraph", tuple(paragraph)))
            paragraph.clear()

    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("## "):
            close()
            result.append(Block("heading", (line[3:].strip(),)))
        else:
            paragraph.append(line)
    close()
    return result


class PlaceholdersLeft(Conflict):
    """The text still holds "[…]" placeholders: published only once the admin confirms."""

    code = "placeholders-left"

    def __init__(self, found):
        super().__init__(_l("The text still holds %(n)s placeholders in square brackets, "
                            "such as %(first)s. Replace them with your facts, or publish "
                            "it anyway as a draft.", n=len(found), first=found[0]))
        self.placeholders = found
        self.extra = {"placeholders": list(found)}


@use_case
def save_page(actor, operator_slug, slug, language, title, body, confirmed=False):
    """An admin's edit of one operator's page in one language (`operator_slug` None: the
    portal's); the audit log keeps the old text. Text that still holds placeholders is
    published only when `confirmed`."""
    if not permissions.can_edit_site_pages(actor):
        raise Forbidden(_l("Only admins edit the site's pages."))
    _check_slug(slug)
    if language not in LANGUAGES:
        raise NotFound(_l("There is no such page."))
    operator = (operator_of_pages(operator_slug) if operator_slug is not None
                else portal_operator_or_new())
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title or len(title) > TITLE_MAX:
        errors["title"] = [_l("Give a title of at most %(n)s characters.", n=TITLE_MAX)]
    if not body or len(body) > BODY_MAX:
        errors["body"] = [_l("Write the text, at most %(n)s characters.", n=BODY_MAX)]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    left = placeholders(title + "\n" + body)
    if left and not confirmed:
        raise PlaceholdersLeft(left)
    page = db.session.scalar(select(SitePage).where(
        SitePage.operator_id == operator.id, SitePage.slug == slug,
        SitePage.language == language).with_for_update())
    before = {"title": page.title, "body": page.body} if page else None
    if page is None:
        page = SitePage(operator_id=operator.id, slug=slug, language=language)
        db.session.add(page)
    page.title, page.body = title, body
    page.updated_at, page.updated_by_id = clock.utcnow(), actor.id
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin wrote the first text at the same moment
        raise Conflict(LOST_RACE_MESSAGE) from error
    audit.record(actor.id, "site_page.updated", "site_page", page.id,
                 before=before, after={"operator": operator.slug, "slug": slug,
                                       "language": language, "title": title, "body": body,
                                       "placeholders": list(left)})
    return page
