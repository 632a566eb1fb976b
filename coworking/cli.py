"""`flask users create`, `flask users token` and `flask users revoke-token`."""
import click
from flask.cli import AppGroup

from coworking.accounts import service
from coworking.accounts.models import ROLES
from coworking.errors import DomainError, NotFound
from coworking.spaces.service import get_space

users_cli = AppGroup("users", help="Create users, issue and revoke API tokens.")


def _fail(error):
    details = "; ".join(f"{field}: {', '.join(map(str, msgs))}"
                        for field, msgs in (error.errors or {}).items())
    raise click.ClickException(f"{error.message}{' (' + details + ')' if details else ''}")


def _user(email):
    user = service.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--space", "space_slug", help="The space a host runs (slug).")
def create(email, name, password, role, space_slug):
    """Create a user; --space scopes a host to one space."""
    try:
        space_id = get_space(space_slug).id if space_slug else None
        user = service.create_user(email, name, password, role, space_id)
    except DomainError as error:
        _fail(error)
    click.echo(f"created user {user.id} <{user.email}> with roles {', '.join(user.role_names)}")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", help="What the token is for; shown in the user's token list.")
def token(email, name):
    """Print a new API token for the user (valid for a year)."""
    user = _user(email)
    try:
        click.echo(service.issue_api_token(user, name))
    except DomainError as error:
        _fail(error)


@users_cli.command("revoke-token")
@click.argument("email")
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the user.")
@click.option("--id", "token_id", type=click.IntRange(min=1), metavar="N",
              help="Revoke the token with this id (see GET /api/v1/me/tokens).")
def revoke_token(email, revoke_all, token_id):
    """Revoke API tokens of the user: one (--id N) or all of them (--all)."""
    if revoke_all == (token_id is not None):
        raise click.UsageError("give either --all or --id N")
    user = _user(email)
    try:
        if revoke_all:
            revoked = service.revoke_all_api_tokens(user)
        else:
            revoked = [service.revoke_api_token(user, token_id)]
    except NotFound:
        raise click.ClickException(
            f"<{user.email}> has no token {token_id} to revoke (another user's, or revoked already)"
        ) from None
    for revoked_token in revoked:
        label = f" ({revoked_token.name})" if revoked_token.name else ""
        click.echo(f"revoked token {revoked_token.id}{label} of <{user.email}>")
    if not revoked:
        click.echo(f"<{user.email}> has no tokens to revoke")
