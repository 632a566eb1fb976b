"""The self check-in poster: the link its QR code carries and the code as an SVG image."""
import io

import segno
from markupsafe import Markup

from coworking import links


def checkin_url(space, code):
    """Where a member's phone goes from the poster: the space's self check-in with the code."""
    return links.site_url(f"/checkin/{space.slug}?code={code}")


def entry_address(space):
    """The self check-in page without its code, as people type it: no scheme."""
    return links.site_url(f"/checkin/{space.slug}").split("://", 1)[-1]


def qr_svg(url, title):
    """The QR code of `url` as inline SVG, sized by CSS (class `qr`) and without any style
    attribute, which the Content-Security-Policy would refuse. Error correction M keeps a
    smudged or creased print readable."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=False, omitsize=True, scale=1,
              title=title, svgclass="qr", lineclass="qr-modules", dark="#000", light="#fff")
    svg = buffer.getvalue().decode()
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
