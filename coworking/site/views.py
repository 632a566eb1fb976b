"""The public pages `/impressum` and `/datenschutz`, their admin editor under `/admin/site`,
and what a phone reads to keep the site on its home screen (`/manifest.webmanifest`)."""
import json
import os

from flask import (
    Blueprint, Response, abort, current_app, flash, redirect, render_template, send_from_directory, url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from coworking import permissions
from coworking.errors import DomainError
from coworking.extensions import login_manager
from coworking.site import service
from coworking.site.forms import SitePageForm
from coworking.site.models import LANGUAGES, SLUGS
from coworking.text_input import allows_line_breaks

bp = Blueprint("site", __name__)

# The palette of app.css: --accent and --bg.
THEME_COLOUR, BACKGROUND_COLOUR = "#0b5e55", "#f7f7f4"


def _show(slug):
    text = service.page_for(slug, str(get_locale()))
    return render_template("site/page.html", text=text, blocks=service.blocks(text.body))


@bp.get("/impressum")
def impressum():
    return _show("impressum")


@bp.get("/datenschutz")
def datenschutz():
    return _show("datenschutz")


def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_edit_site_pages(current_user):
        abort(403)
    return None


@bp.get("/admin/site")
def admin_index():
    if (refused := _admins_only()) is not None:
        return refused
    pages = {(slug, language): service.stored_or_default(slug, language)
             for slug in SLUGS for language in LANGUAGES}
    return render_template("site/admin_index.html", pages=pages, slugs=SLUGS,
                           languages=LANGUAGES)


@bp.route("/admin/site/<slug>/<language>", methods=["GET", "POST"])
@allows_line_breaks("body")
def edit(slug, language):
    if (refused := _admins_only()) is not None:
        return refused
    if slug not in SLUGS or language not in LANGUAGES:
        abort(404)
    current = service.stored_or_default(slug, language)
    form = SitePageForm(data={"title": current.title, "body": current.body} if current else {})
    if form.validate_on_submit():
        try:
            service.save_page(current_user, slug, language, form.title.data, form.body.data)
        except DomainError as error:
            _attach(form, error)
        else:
            flash(_("The page is published."), "success")
            return redirect(url_for("site.admin_index"))
    return render_template("site/edit.html", form=form, slug=slug, language=language,
                           current=current), 422 if form.is_submitted() else 200


def _attach(form, error):
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
    if not error.errors:
        form.form_errors.append(error.message)


@bp.get("/manifest.webmanifest")
def manifest():
    """So a member can put the site on their phone's home screen and open it like an app."""
    icon = lambda name: url_for("static", filename=f"icons/{name}")  # noqa: E731
    body = {
        "name": "StadtLabor Coworking",
        "short_name": "StadtLabor",
        "description": _("Book a desk in a coworking space in your small town."),
        "lang": str(get_locale()),  # German unless the visitor chose English
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root whatever the page says."""
    return send_from_directory(os.path.join(current_app.static_folder, "icons"), "favicon.ico",
                               mimetype="image/x-icon", max_age=86400)
