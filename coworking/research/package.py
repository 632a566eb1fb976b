"""The research data package: a Frictionless Data Package as a zip with datapackage.json,
one CSV per resource and codebook.md.

The zip is written as it is read: each CSV goes into the archive row by row and the bytes
leave as soon as a batch is compressed, so neither a download nor a file export holds the
package in memory.
"""
import csv
import io
import json
import zipfile

from sqlalchemy import func, select

from coworking.extensions import db
from coworking.research import codebook, event_reach, records, stats
from coworking.spaces.models import DESK_KINDS, Resource
from coworking.spreadsheets import text_cell

CHUNK = 64 * 1024


def _spaces(scope):
    desks = dict(db.session.execute(
        select(Resource.space_id, func.count())
        .where(Resource.active.is_(True), Resource.kind.in_(DESK_KINDS))
        .group_by(Resource.space_id)).all())
    for space in scope.spaces:
        town = space.town
        yield {"space": space.slug, "name": space.name, "town": town.name,
               "state": town.state, "population": town.population,
               "town_type": town.town_type, "location_type": town.location_type,
               "space_type": space.space_type, "timezone": space.timezone,
               "desks": desks.get(space.id, 0)}


def _metric_rows(scope, found):
    for rows in stats.space_metrics(scope, tally=found).values():
        yield from rows


def resources(scope, key):
    """resource name -> rows (an iterable of dicts), in the package's order: every table
    from one pass over the visits and bookings (records.read)."""
    found = records.read(scope, key)
    return {
        "spaces": _spaces(scope),
        "space_metrics": _metric_rows(scope, found),
        "presence": stats.presence(scope, tally=found),
        "visits": records.visits(found),
        "profiles": stats.profiles(scope, found),
        "commute": stats.commute(scope, found),
        "event_reach": event_reach.rows(scope),
    }


def descriptor(scope, min_cell):
    return {
        "profile": "data-package",
        "name": f"coworking-small-towns-{scope.first.isoformat()}-{scope.last.isoformat()}",
        "title": "Coworking in small towns: usage and members",
        "description": f"Local dates {scope.first.isoformat()} to {scope.last.isoformat()}; "
                       f"cells resting on fewer than {min_cell} distinct members suppressed. "
                       "See codebook.md (German and English) for every definition.",
        "licenses": [{"name": "other-closed", "title": "For the programme's research only"}],
        "resources": [
            {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "description": codebook.DESCRIPTIONS[name][0],
             "schema": codebook.table_schema(name)}
            for name in codebook.RESOURCES
        ],
    }


def _cell(value):
    """Empty for null, true/false for booleans, numbers as they are, text escaped for
    spreadsheets (see coworking.spreadsheets)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return text_cell(value)


def _written(writer, columns, rows):
    """Writes `rows` (dicts, or records.Cells) into the CSV, pausing after each row or
    batch so that the caller can pass the compressed bytes on."""
    if isinstance(rows, records.Cells):
        for batch in rows.batches:
            writer.writerows(batch)
            yield
        return
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
        yield


class _Outlet(io.RawIOBase):
    """A sink without seek or tell, so zipfile writes a streamable archive into it; what it
    collects is taken out with `drain()`."""

    def __init__(self):
        self._parts = []
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def drain(self):
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def chunks(scope, key, min_cell):
    """The zip as a sequence of byte strings."""
    outlet = _Outlet()
    with zipfile.ZipFile(outlet, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json",
                         json.dumps(descriptor(scope, min_cell), indent=2, ensure_ascii=False))
        archive.writestr("codebook.md", codebook.markdown(scope.first, scope.last, min_cell))
        for name, rows in resources(scope, key).items():
            columns = [field[0] for field in codebook.RESOURCES[name]]
            with archive.open(f"{name}.csv", "w") as member, \
                    io.TextIOWrapper(member, encoding="utf-8", newline="") as text:
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(columns)
                for _ in _written(writer, columns, rows):
                    if outlet.size >= CHUNK:
                        yield outlet.drain()
            yield outlet.drain()
    yield outlet.drain()

