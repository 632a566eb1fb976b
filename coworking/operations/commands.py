"""`flask --app wsgi backup --out FILE` and `flask --app wsgi restore FILE`."""
import click
from flask import current_app
from flask.cli import with_appcontext

from coworking.extensions import db
from coworking.operations.backup import BackupError, backup, restore


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="The file to write (replaced once the copy is complete).")
@with_appcontext
def backup_command(out):
    """Write a consistent copy of the database while the app runs."""
    try:
        path = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], out)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up the database to {path} ({path.stat().st_size} bytes)")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(source, yes):
    """Replace the database with a copy `backup` wrote (stop the app and the jobs first)."""
    if not yes:
        click.confirm("This replaces everything in the database with the copy. Go on?",
                      abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored the database from {source}; run `flask --app wsgi db upgrade` if "
               f"the copy is older than this code")
