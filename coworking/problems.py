"""RFC 9457 problem details: the one shape of every API error; at the top level because
the error handlers answer in it too, not only the API."""
from flask import g, has_app_context, jsonify

PROBLEM_TYPE_BASE = "/api/v1/problems/"


def problem(status, title, detail=None, code=None, errors=None, headers=None, extra=None):
    body = {
        "type": PROBLEM_TYPE_BASE + code if code else "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail if detail is not None else title),
    }
    if errors:
        body["errors"] = {field: [str(m) for m in messages] for field, messages in errors.items()}
    body.update(extra or {})
    if has_app_context() and g.get("request_id"):
        # What a member quotes to support; the request's log line carries it too.
        body["request_id"] = g.request_id
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_domain_error(error):
    from coworking.errors import RateLimited, Unavailable

    headers = ({"Retry-After": str(error.retry_after)}
               if isinstance(error, (RateLimited, Unavailable)) else None)
    if error.status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="coworking"'}
    return problem(error.status, _TITLES.get(error.status, "Error"), error.message,
                   code=error.code, errors=error.errors, headers=headers, extra=error.extra)


_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    402: "Payment required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def title_for(status):
    return _TITLES.get(status, "Error")
