"""The admins' status page of the outbox (`/admin/outbox`): the messages given up on after
every attempt, each with a button that queues it again."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coworking import permissions
from coworking.errors import DomainError
from coworking.operations import parked
from coworking.operations.forms import RetryForm
from coworking.page_access import only_for

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/outbox")
only_for(bp, permissions.can_see_outbox)


@bp.get("")
def index():
    messages, total = parked.parked_messages(current_user)
    return render_template("operations/outbox.html", messages=messages, total=total,
                           retry_form=RetryForm())


@bp.post("/<int:message_id>/retry")
def retry(message_id):
    if not RetryForm().validate_on_submit():
        flash(_("The form was too old; please try again."), "error")
    else:
        try:
            parked.retry(current_user, message_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Message %(id)s is queued again with fresh attempts; the next pass of the "
                    "jobs sends it.", id=message_id), "success")
    return redirect(url_for("outbox_admin.index"))
