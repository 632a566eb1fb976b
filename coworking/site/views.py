"""The public pages `/impressum` and `/datenschutz` (the portal's) and each operator's at
`/impressum/<operator>` and `/datenschutz/<operator>`, their admin editor under `/admin/site`,
and what a phone reads to keep the site on its home screen (`/manifest.webmanifest`)."""
import json
import os

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from coworking import permissions
from coworking.errors import DomainError
from coworking.operators.admin import all_operators
from coworking.page_access import only
from coworking.site import feedback, service
from coworking.site.forms import BarrierReportForm, SitePageForm
from coworking.site.models import LANGUAGES, SLUGS
from coworking.text_input import allows_line_breaks
from coworking.web import attach_errors

bp = Blueprint("site", __name__)

# The palette of app.css: --accent and --bg.
THEME_COLOUR, BACKGROUND_COLOUR = "#0b5e55", "#f7f7f4"


def _show(slug, operator_slug=None, report_form=None, status=200):
    operator = service.operator_of_pages(operator_slug)
    text = service.page_for(operator, slug, str(get_locale()))
    return render_template("site/page.html", text=text, blocks=service.blocks(text.body),
                           operator=operator, legal_operator=operator,
                           report_form=report_form), status


@bp.get("/impressum")
def impressum():
    return _show("impressum")


@bp.get("/datenschutz")
def datenschutz():
    return _show("datenschutz")


@bp.get("/impressum/<operator>")
def operator_impressum(operator):
    """The Impressum of the operator that runs a space: its pages link here."""
    return _show("impressum", operator)


@bp.get("/datenschutz/<operator>")
def operator_datenschutz(operator):
    return _show("datenschutz", operator)


@bp.route("/barrierefreiheit", methods=["GET", "POST"])
@allows_line_breaks("message")
def barrierefreiheit():
    """The accessibility statement (BITV 2.0) with its form for reporting a barrier."""
    return _statement(None)


@bp.route("/barrierefreiheit/<operator>", methods=["GET", "POST"])
@allows_line_breaks("message")
def operator_barrierefreiheit(operator):
    return _statement(operator)


def _statement(operator_slug):
    form = BarrierReportForm()
    if request.method == "POST":
        operator = service.operator_of_pages(operator_slug)
        if form.validate_on_submit():
            try:
                feedback.send_feedback(operator, form.message.data, form.name.data,
                                       form.email.data, request.referrer or request.path,
                                       client_address=request.remote_addr)
            except DomainError as error:
                attach_errors(form, error)
            else:
                flash(_("Thank you. Your report has reached the site's admins."), "success")
                return redirect(request.path + "#report", 303)
        return _show("barrierefreiheit", operator_slug, form, 422)
    return _show("barrierefreiheit", operator_slug, form)


@bp.get("/admin/site")
@only(permissions.can_edit_site_pages)
def admin_index():
    operators = all_operators()
    stored = service.stored_pages(operator.id for operator in operators)
    pages = {(operator.id, slug, language): service.stored_or_default(operator, slug, language,
                                                                      stored)
             for operator in operators for slug in SLUGS for language in LANGUAGES}
    return render_template("site/admin_index.html", pages=pages, slugs=SLUGS,
                           languages=LANGUAGES, operators=operators)


@bp.route("/admin/site/<slug>/<language>", methods=["GET", "POST"])
@allows_line_breaks("body")
@only(permissions.can_edit_site_pages)
def edit(slug, language):
    """The portal's pages, which `/impressum` and `/datenschutz` show."""
    return _edit(None, slug, language)


@bp.route("/admin/site/<operator>/<slug>/<language>", methods=["GET", "POST"])
@allows_line_breaks("body")
@only(permissions.can_edit_site_pages)
def edit_for_operator(operator, slug, language):
    return _edit(operator, slug, language)


def _edit(operator_slug, slug, language):
    if slug not in SLUGS or language not in LANGUAGES:
        abort(404)
    operator = service.operator_of_pages(operator_slug)
    current = service.stored_or_default(operator, slug, language)
    form = SitePageForm(data={"title": current.title, "body": current.body} if current else {})
    left = ()
    if form.validate_on_submit():
        try:
            service.save_page(current_user, operator_slug, slug, language, form.title.data,
                              form.body.data, confirmed=bool(form.publish_anyway.data))
        except service.PlaceholdersLeft as question:
            left = question.placeholders
        except DomainError as error:
            attach_errors(form, error)
        else:
            flash(_("The page is published.") if not service.placeholders(
                form.title.data + "\n" + form.body.data)
                else _("The page is published, marked as a draft while it holds placeholders."),
                "success")
            return redirect(url_for("site.admin_index", _anchor=operator.slug if operator
                                    else None))
    status = 200 if left or not form.is_submitted() else 422
    return render_template("site/edit.html", form=form, slug=slug, language=language,
                           current=current, operator=operator, placeholders=left), status


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
