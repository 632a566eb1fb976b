"""The operator's pages: what a visitor reads (the stored text, else the template), how the
plain text becomes paragraphs and headings, and an admin's edit."""
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
from coworking.site.models import BODY_MAX, LANGUAGES, SLUGS, TITLE_MAX, SitePage

# The German title each page has until an admin gives it another.
DEFAULT_TITLES = {"impressum": "Impressum", "datenschutz": "Datenschutzerklärung"}
DEFAULT_LANGUAGE = "de"


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


def _check_slug(slug):
    if slug not in SLUGS:
        raise NotFound(_l("There is no such page."))


def _default(slug):
    """The template a municipal operator starts from, with "[…]" where its facts go."""
    loader = current_app.jinja_env.loader
    body, _filename, _uptodate = loader.get_source(current_app.jinja_env,
                                                   f"site/defaults/{slug}.txt")
    return PageText(slug, DEFAULT_LANGUAGE, DEFAULT_TITLES[slug], body.strip(), None)


def _stored(slug, language):
    return db.session.scalar(select(SitePage).where(SitePage.slug == slug,
                                                    SitePage.language == language))


def _text_of(page):
    return PageText(page.slug, page.language, page.title, page.body, page.updated_at)


def stored_or_default(slug, language):
    """The text as an admin edits it: what is stored for that language; for German the
    template when nothing is; for another language nothing (None) until written."""
    _check_slug(slug)
    page = _stored(slug, language)
    if page is not None:
        return _text_of(page)
    return _default(slug) if language == DEFAULT_LANGUAGE else None


def page_for(slug, language):
    """What a visitor reads: their language if the operator wrote it, else the German text
    (the legally binding one) with a note that it is in German only."""
    _check_slug(slug)
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    text = stored_or_default(slug, language)
    if text is None:
        german = stored_or_default(slug, DEFAULT_LANGUAGE)
        return PageText(german.slug, german.language, german.title, german.body,
                        german.updated_at, fell_back=True)
    return text


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


@use_case
def save_page(actor, slug, language, title, body):
    """An admin's edit of one page in one language; the audit log keeps the old text."""
    if not permissions.can_edit_site_pages(actor):
        raise Forbidden(_l("Only admins edit the site's pages."))
    _check_slug(slug)
    if language not in LANGUAGES:
        raise NotFound(_l("There is no such page."))
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title or len(title) > TITLE_MAX:
        errors["title"] = [_l("Give a title of at most %(n)s characters.", n=TITLE_MAX)]
    if not body or len(body) > BODY_MAX:
        errors["body"] = [_l("Write the text, at most %(n)s characters.", n=BODY_MAX)]
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    page = db.session.scalar(select(SitePage).where(SitePage.slug == slug,
                                                    SitePage.language == language)
                             .with_for_update())
    before = {"title": page.title, "body": page.body} if page else None
    if page is None:
        page = SitePage(slug=slug, language=language)
        db.session.add(page)
    page.title, page.body = title, body
    page.updated_at, page.updated_by_id = clock.utcnow(), actor.id
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin wrote the first text at the same moment
        raise Conflict(LOST_RACE_MESSAGE) from error
    audit.record(actor.id, "site_page.updated", "site_page", page.id,
                 before=before, after={"slug": slug, "language": language, "title": title,
                                       "body": body})
    return page
