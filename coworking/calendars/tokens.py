"""Feed tokens: made when first needed, rotated on request, and the URLs they give."""
from flask import current_app
from flask_babel import get_locale, lazy_gettext as _l
from sqlalchemy import select, update

from coworking import clock, permissions
from coworking.accounts.models import User
from coworking.calendars.models import CalendarToken
from coworking.database import use_case
from coworking.errors import Forbidden
from coworking.extensions import db
from coworking.links import external_url
from coworking.spaces.models import Space


def _in_force(user_id, space_id):
    """SQL: the user's token in force for their own feed (`space_id` None) or a space's."""
    return (CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None),
            CalendarToken.space_id.is_(None) if space_id is None
            else CalendarToken.space_id == space_id)


def _lock_owner(user_id):
    """Token changes of one user take turns (PostgreSQL), so two at once never leave two
    tokens in force; bookings referencing the user are not held up."""
    db.session.execute(select(User.id).where(User.id == user_id)
                       .with_for_update(key_share=True))


def _check_host(user, space):
    if space is not None and not permissions.can_manage_space(user, space.id):
        raise Forbidden(_l("Only the hosts of %(name)s have its calendar.", name=space.name),
                        field="space")


@use_case
def _create(user, space):
    """Looked for again under the lock: another request may have made it meanwhile."""
    space_id = space.id if space is not None else None
    _lock_owner(user.id)
    token = db.session.scalar(select(CalendarToken).where(*_in_force(user.id, space_id)))
    if token is None:
        token = CalendarToken.new(user.id, space_id)
        db.session.add(token)
    return token


def token_for(user, space=None):
    """The token in force of the user's own feed (or, with `space`, of the space's feed for
    its host); made on first need, in a unit of its own, so reading it stays a read."""
    _check_host(user, space)
    token = db.session.scalar(select(CalendarToken).where(
        *_in_force(user.id, space.id if space is not None else None)))
    return token if token is not None else _create(user, space)


@use_case
def rotate(user, space=None):
    """Revoke the token in force and make a new one: the old URL answers 404 from now on."""
    _check_host(user, space)
    space_id = space.id if space is not None else None
    _lock_owner(user.id)
    db.session.execute(update(CalendarToken).where(*_in_force(user.id, space_id))
                       .values(revoked_at=clock.utcnow()))
    token = CalendarToken.new(user.id, space_id)
    db.session.add(token)
    return token


def feed_url(token, lang=None):
    """The https (or http) URL of the token's feed. German is the default; a feed in another
    language says so in its URL, which calendar apps keep as it is."""
    lang = lang or str(get_locale())
    query = {} if lang == current_app.config["BABEL_DEFAULT_LOCALE"] else {"lang": lang}
    return external_url("calendars.feed", secret=token.secret, **query)


def webcal_url(url):
    """The same feed for the "subscribe" handler of calendar apps."""
    return "webcal://" + url.split("://", 1)[1]


def personal_feed_url(user, lang=None):
    return feed_url(token_for(user), lang)


def _hosted_spaces(user):
    """The spaces whose feed the user may have: those they host, every space for admins."""
    query = select(Space).order_by(Space.name)
    if not permissions.is_admin(user):
        query = query.where(Space.id.in_(user.hosted_space_ids() or {0}))
    return db.session.scalars(query).all()


@use_case
def _create_host_tokens(user, space_ids):
    _lock_owner(user.id)
    existing = _host_tokens_in_force(user, space_ids)
    made = {space_id: CalendarToken.new(user.id, space_id)
            for space_id in space_ids if space_id not in existing}
    db.session.add_all(made.values())
    return {**existing, **made}


def _host_tokens_in_force(user, space_ids):
    return {token.space_id: token for token in db.session.scalars(
        select(CalendarToken).where(CalendarToken.user_id == user.id,
                                    CalendarToken.space_id.in_(space_ids),
                                    CalendarToken.revoked_at.is_(None)))}


def host_tokens(user):
    """(space, token) for every space whose feed the user may have, in a fixed number of
    statements; missing tokens are made together, in one unit."""
    spaces = _hosted_spaces(user)
    found = _host_tokens_in_force(user, [space.id for space in spaces]) if spaces else {}
    if len(found) < len(spaces):
        found = _create_host_tokens(user, [space.id for space in spaces])
    return [(space, found[space.id]) for space in spaces]


def retire_feeds(event):
    """A password reset or signing out everywhere ends the user's feed URLs too, their own
    and those of the spaces they host: each answers 404 from then on, and the account page
    shows a new one."""
    _lock_owner(event.user.id)
    db.session.execute(update(CalendarToken)
                       .where(CalendarToken.user_id == event.user.id,
                              CalendarToken.revoked_at.is_(None))
                       .values(revoked_at=clock.utcnow()))
