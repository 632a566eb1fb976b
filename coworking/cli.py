"""`flask users create` and `flask users token`: the command line may use every package."""
import click
from flask.cli import AppGroup

from coworking.accounts import service
from coworking.accounts.models import ROLES
from coworking.errors import DomainError
from coworking.spaces.service import get_space

users_cli = AppGroup("users", help="Create users and issue API tokens.")


def _fail(error):
    details = "; ".join(f"{field}: {', '.join(map(str, msgs))}"
                        for field, msgs in (error.errors or {}).items())
    raise click.ClickException(f"{error.message}{' (' + details + ')' if details else ''}")


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
def token(email):
    """Print a new API token for the user."""
    user = service.user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    click.echo(service.issue_api_token(user))
