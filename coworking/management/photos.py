"""Hosts add photos of their space and remove them. An upload is opened with Pillow, turned
upright, shrunk to at most 1600 px on its longer side and stored as a fresh JPEG: whatever
else the file held (camera and GPS metadata, a script posing as an image) is not kept."""
import io

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from coworking import audit
from coworking.database import use_case
from coworking.errors import Conflict, InvalidInput, NotFound
from coworking.extensions import db
from coworking.management.access import space_to_manage
from coworking.spaces.photos import ALT_MAX, MAX_PHOTOS, SpacePhoto

LONGEST_SIDE = 1600
UPLOAD_MAX_BYTES = 12 * 1024 * 1024
PIXELS_MAX = 50_000_000  # a 50-megapixel camera; more is refused before it is decoded
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
JPEG_QUALITY = 82


def resized(data):
    """(JPEG bytes, width, height) of an uploaded image, or InvalidInput naming the file."""
    if not data:
        raise InvalidInput(_l("Choose a photo to upload."), field="photo")
    if len(data) > UPLOAD_MAX_BYTES:
        raise InvalidInput(_l("The photo is larger than %(mb)s MB.",
                              mb=UPLOAD_MAX_BYTES // (1024 * 1024)), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                raise InvalidInput(_l("Upload a photo as JPEG, PNG or WebP."), field="photo")
            if image.width * image.height > PIXELS_MAX:
                raise InvalidInput(_l("The photo has too many pixels; use one of at most 50 "
                                      "megapixels."), field="photo")
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            return out.getvalue(), image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(_l("This file is not a photo we can read; upload a JPEG, PNG or "
                              "WebP."), field="photo") from None


def _alt_texts(alt, alt_en):
    alt, alt_en = (alt or "").strip(), (alt_en or "").strip()
    errors = {}
    if not alt:
        errors["alt"] = [_l("Say what the photo shows, for people who cannot see it.")]
    elif len(alt) > ALT_MAX:
        errors["alt"] = [_l("At most %(max)s characters, please.", max=ALT_MAX)]
    if len(alt_en) > ALT_MAX:
        errors["alt_en"] = [_l("At most %(max)s characters, please.", max=ALT_MAX)]
    return alt, alt_en, errors


@use_case
def add_photo(actor, slug, data, alt, alt_en=""):
    """The photo goes last; a space holds at most six."""
    space = space_to_manage(actor, slug, lock=True)
    alt, alt_en, errors = _alt_texts(alt, alt_en)
    try:
        image, width, height = resized(data)
    except InvalidInput as error:
        errors.update(error.errors or {"photo": [error.message]})
    if errors:
        raise InvalidInput(_l("Please check the marked fields."), errors=errors)
    count, last = db.session.execute(
        select(func.count(SpacePhoto.id), func.max(SpacePhoto.position))
        .where(SpacePhoto.space_id == space.id)).one()
    if count >= MAX_PHOTOS:
        raise Conflict(_l("A space shows at most %(n)s photos; remove one first.",
                          n=MAX_PHOTOS))
    photo = SpacePhoto(space_id=space.id, position=(last or 0) + 1, alt=alt, alt_en=alt_en,
                       image=image, width=width, height=height, created_by_id=actor.id)
    db.session.add(photo)
    db.session.flush()
    audit.record(actor.id, "space.photo_added", "space", space.id, space_id=space.id,
                 after={"photo": photo.id, "alt": alt, "bytes": len(image)})
    return photo


@use_case
def remove_photo(actor, slug, photo_id):
    space = space_to_manage(actor, slug, lock=True)
    photo = db.session.get(SpacePhoto, photo_id) if 0 < photo_id < 2**31 else None
    if photo is None or photo.space_id != space.id:
        raise NotFound(_l("There is no such photo."))
    audit.record(actor.id, "space.photo_removed", "space", space.id, space_id=space.id,
                 before={"photo": photo.id, "alt": photo.alt})
    db.session.delete(photo)
