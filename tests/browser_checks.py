"""Checks any browser test can run on a page: the axe-core accessibility rules (WCAG 2.1 A and
AA) and that the page loads nothing from another origin.

axe-core comes from npm (`npm ci` installs the version pinned in package-lock.json). The page
runs under its real `Content-Security-Policy: default-src 'self'`, which refuses an inline
script, so Playwright's `add_script_tag(content=...)` (and `path=...`, which inlines the file)
is blocked. Rather than switch the policy off for the audit (`bypass_csp=True` would also hide
what the policy breaks for real visitors), the audit answers a request for a script on the
page's own origin with the file from node_modules and adds a `<script src>` for it: 'self'
allows it and every other request stays as a visitor's.

    origins = record_origins(page)
    page.goto("/")
    assert_accessible(page)
    assert_same_origin(origins, live_server)
"""
import json
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core.min.js"  # answered by the test's route, never by the app
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_installed():
    return AXE.exists()


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _serve_axe(page):
    """Answer the audit's script from node_modules, on the origin of the page shown."""
    if getattr(page, "_axe_routed", False):
        return
    page.route(f"**{AXE_PATH}", lambda route: route.fulfill(
        path=str(AXE), content_type="text/javascript; charset=utf-8"))
    page._axe_routed = True


def violations(page, rules=None):
    """axe's WCAG 2.1 A/AA violations on the page as shown now: a list of dicts."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` in the project's directory"
    _serve_axe(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=_origin(page.url) + AXE_PATH)
    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    if rules:
        options["rules"] = rules
    return page.evaluate("""async (options) => {
        const result = await axe.run(document, options);
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                      summary: n.failureSummary || ''}))}));
    }""", options)


def describe(found, where=""):
    """The violations as a person reads them: rule, what it asks, and every element."""
    lines = [f"{len(found)} accessibility violation(s){' on ' + where if where else ''}:"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, where=None):
    found = violations(page)
    assert not found, describe(found, where or page.url)


def record_origins(page):
    """Every URL the page requests from now on, in order (the audit's own script excluded)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url)
            if not request.url.endswith(AXE_PATH) else None)
    return urls


def foreign(urls, base_url):
    """The URLs not on base_url's origin (data: and blob: URLs are the page's own)."""
    own = _origin(base_url)
    return [url for url in urls
            if not url.startswith(("data:", "blob:", "about:")) and _origin(url) != own]


def assert_same_origin(urls, base_url):
    outside = foreign(urls, base_url)
    assert not outside, "requests to another origin:\n" + json.dumps(outside, indent=2)
