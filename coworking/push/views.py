"""The service worker (`/sw.js`, served from the site's own origin so that it may control
every page), the account page's "notifications on this phone" section, and the note a page
kept for offline use shows when it is opened without a connection."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from coworking import clock
from coworking.errors import NotFound
from coworking.push import keys, service

bp = Blueprint("push", __name__)

# Pages a phone keeps for the cellar without signal: the member's bookings and the check-in
# page of a space (the member's bookings page names today's ones).
OFFLINE_PAGES = (r"^/bookings$", r"^/checkin/[a-z0-9-]+$")


class RemoveDeviceForm(FlaskForm):
    pass


@bp.app_template_global()
def push_settings(user):
    """What the account page's section needs: the server's key (None: not set up) and the
    member's devices."""
    return {"public_key": keys.public_key(), "devices": service.subscriptions_of(user),
            "remove_form": RemoveDeviceForm(formdata=None)}


@bp.app_template_global()
def page_made_at():
    """When this page was made: what its copy on the phone says when opened offline."""
    return clock.utcnow()


@bp.get("/sw.js")
def service_worker():
    """Served from the root, so its scope is the whole site; never cached by the browser's
    HTTP cache, so a new version reaches phones at their next visit."""
    forget = [url_for("accounts.login"), url_for("accounts.logout"),
              url_for("accounts.end_sessions"), url_for("privacy.delete_account")]
    assets = [url_for("static", filename="app.css"),
              url_for("static", filename="offline.js"),
              url_for("static", filename="icons/icon-192.png")]
    body = render_template("push/sw.js", offline_pages=OFFLINE_PAGES, forget=forget,
                           assets=assets)
    return Response(body, mimetype="text/javascript", headers={
        "Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


@bp.post("/account/push-subscriptions/<int:subscription_id>/delete")
@login_required
def remove_device(subscription_id):
    """For a device the member no longer has at hand: it is not asked, just forgotten."""
    if not RemoveDeviceForm().validate_on_submit():
        flash(_("This form is out of date. Please reload the page and try again."), "error")
        return redirect(url_for("accounts.account", _anchor="notifications"))
    try:
        service.unsubscribe(current_user, subscription_id)
    except NotFound:
        pass  # removed already (from the device itself): the same to the member
    flash(_("This device gets no notifications any more."), "success")
    return redirect(url_for("accounts.account", _anchor="notifications"))
