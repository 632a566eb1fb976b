"""Photos of a space: its hosts add and remove them at `/manage/<slug>/photos`; everyone sees
them at `/spaces/<slug>/photos/<id>.jpg`, served by the app itself."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from sqlalchemy.orm import undefer
from wtforms import StringField, SubmitField

from coworking.errors import DomainError
from coworking.extensions import db
from coworking.management import photos
from coworking.management.access import space_to_manage
from coworking.spaces.models import Space
from coworking.spaces.photos import ALT_MAX, MAX_PHOTOS, SpacePhoto, photos_of

bp = Blueprint("space_photos", __name__)
CACHE_SECONDS = 7 * 24 * 3600  # a photo's address names its id: a new photo, a new address


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG or WebP)"), render_kw={"accept": "image/*"})
    alt = StringField(_l("What the photo shows (for people who cannot see it)"),
                      render_kw={"maxlength": ALT_MAX})
    alt_en = StringField(_l("The same in English (optional)"), render_kw={"maxlength": ALT_MAX})
    submit = SubmitField(_l("Add the photo"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Remove"))


def _page(space, form, status=200):
    return render_template("manage/photos.html", space=space, form=form,
                           photos=photos_of(space.id), remove_form=RemoveForm(),
                           max_photos=MAX_PHOTOS), status


@bp.url_value_preprocessor
def _room_for_a_photo(endpoint, _values):
    """An upload may be larger than any other form: raised before the first hook reads the
    body (URL preprocessors run before the app's `before_request` checks)."""
    if endpoint == "space_photos.manage" and request.method == "POST":
        request.max_content_length = photos.UPLOAD_MAX_BYTES + 64 * 1024


@bp.route("/manage/<slug>/photos", methods=["GET", "POST"])
@login_required
def manage(slug):
    space = space_to_manage(current_user, slug)
    form = PhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        try:
            photos.add_photo(current_user, slug, upload.read() if upload else b"",
                             form.alt.data, form.alt_en.data)
        except DomainError as error:
            for name, messages in (error.errors or {}).items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(field.errors) + [str(m) for m in messages]
            if not error.errors:
                form.form_errors.append(str(error.message))
            return _page(space, form, 409 if error.status == 409 else 422)
        flash(_("The photo is added."), "success")
        return redirect(url_for("space_photos.manage", slug=slug), 303)
    return _page(space, form, 422 if form.is_submitted() else 200)


@bp.post("/manage/<slug>/photos/<int:photo_id>/remove")
@login_required
def remove(slug, photo_id):
    if RemoveForm().validate_on_submit():
        photos.remove_photo(current_user, slug, photo_id)
        flash(_("The photo is removed."), "success")
    return redirect(url_for("space_photos.manage", slug=slug), 303)


@bp.get("/spaces/<slug>/photos/<int:photo_id>.jpg")
def image(slug, photo_id):
    photo = db.session.scalar(
        select(SpacePhoto).join(Space, Space.id == SpacePhoto.space_id)
        .where(SpacePhoto.id == photo_id, Space.slug == slug)
        .options(undefer(SpacePhoto.image))) if 0 < photo_id < 2**31 else None
    if photo is None:
        abort(404)
    response = Response(photo.image, mimetype="image/jpeg")
    response.set_etag(f"photo-{photo.id}")
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)


@bp.app_template_global()
def space_photos(space):
    """The space's photos for its page (without their bytes)."""
    return photos_of(space.id)
