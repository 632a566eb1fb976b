"""`flask research export`: the data package written to a file, from the command line."""
import click
from flask.cli import AppGroup

from coworking.errors import DomainError
from coworking.research import service

research_cli = AppGroup("research", help="Export the research data package.")


@research_cli.command("export")
@click.option("--from", "first", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First local date (YYYY-MM-DD).")
@click.option("--to", "last", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last local date (YYYY-MM-DD), included.")
@click.option("--out", "path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The zip file to write.")
def export(first, last, path):
    """Write the research data package (a Frictionless Data Package zip) for a date range."""
    first, last = first.date(), last.date()
    try:
        chunks = service.export(None, first, last, via="cli")
        written = 0
        with open(path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                written += len(chunk)
    except DomainError as error:
        details = "; ".join(f"{field}: {', '.join(map(str, messages))}"
                            for field, messages in (error.errors or {}).items())
        raise click.ClickException(f"{error.message}{' (' + details + ')' if details else ''}")
    click.echo(f"wrote {path} ({written:,} bytes, {first.isoformat()} to {last.isoformat()})")
