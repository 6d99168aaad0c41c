"""QR codes drawn at build time (segno, SVG): printed programmes, posters and referral sheets point phones at the
site with them. No service is asked; the same address gives the same bytes in every build.

`qr_code(url, alt, size)` is a Jinja global: an `<img>` whose source is the SVG as a data: URL (the pages'
Content-Security-Policy allows data: images, and a PDF gets a tagged figure with its alternative text). The
printed size comes from the class (`qr--small` 3.2 cm, `qr--medium` 3.6 cm, `qr--large` 7 cm with the quiet zone, in the print
styles): the symbol itself at least 2.5 cm, large enough for a phone camera from a printout.
"""

from __future__ import annotations

import base64
import io

import segno
from markupsafe import Markup, escape

SIZES = ("small", "medium", "large")
MASK = 2  # of QR's eight mask patterns (ISO/IEC 18004 7.8), the same for every code


def qr_svg(url: str) -> str:
    """The QR code of `url` as an SVG document: black modules on white, with the standard quiet zone of four
    modules. Error correction M (15 %) survives a crease or a smudge and keeps the code small. One fixed mask
    pattern: weighing all eight (segno's default) takes four times as long and gains nothing a phone notices
    (tests/test_print.py decodes every code from a 150-dpi rendering)."""
    code = segno.make_qr(url, error="m", boost_error=False, mask=MASK)
    out = io.BytesIO()
    # A viewBox, so the drawing scales to the size the styles give it (browsers and WeasyPrint alike).
    code.save(out, kind="svg", border=4, scale=1, dark="#000", light="#fff", xmldecl=False, svgns=True,
              svgclass=None, lineclass=None, omitsize=True, nl=False)
    side = code.symbol_size(scale=1, border=4)[0]
    return out.getvalue().decode("ascii").replace("<svg ", f'<svg width="{side}" height="{side}" ', 1)


def qr_data_url(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode("ascii")).decode("ascii")


def qr_code(url: str, alt: str, size: str = "medium") -> Markup:
    """`<img>` of the QR code of the absolute `url`; `alt` says where it leads."""
    if size not in SIZES:
        raise ValueError(f"QR code size {size!r}: one of {', '.join(SIZES)}")
    return Markup('<img class="qr qr--{size}" src="{src}" alt="{alt}">').format(
        size=size, src=qr_data_url(url), alt=escape(alt))
