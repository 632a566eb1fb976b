"""Research: the aggregated metrics as JSON, and the data package as a zip download."""
from flask import Response, jsonify, stream_with_context
from flask_login import current_user

from coworking.api import bp
from coworking.api.common import login_required
from coworking.api.inputs import query_fields
from coworking.research import calendar, service


def _range(fields):
    first = fields.day("from")
    last = fields.day("to")
    return first, last


@bp.get("/research/stats")
@login_required
def research_stats():
    service.require_reader(current_user)
    fields = query_fields()
    first, last = _range(fields)
    granularity = fields.choice("granularity", calendar.GRANULARITIES, required=False) \
        or "month"
    slug = fields.string("space", 60, required=False)
    fields.raise_if_invalid()
    return jsonify(service.figures(current_user, first, last, granularity, slug or None))


@bp.get("/research/export")
@login_required
def research_export():
    service.require_reader(current_user)
    fields = query_fields()
    first, last = _range(fields)
    fields.raise_if_invalid()
    chunks = service.export(current_user, first, last, via="api")
    return Response(stream_with_context(chunks), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{service.file_name(first, last)}"',
        "Cache-Control": "no-store"})
