"""Safe content: the HTML that Markdown produces is cleaned to an allow-list, and the site's
Content-Security-Policy is written in one place for the <meta> tag and the web server's headers file.

Markdown lets an author paste raw HTML; a snippet copied from another site could carry a <script>, an
onclick or a javascript: link. Every content object Pelican creates (activities, pages, news and any other
kind built on pelican.contents.Content) passes through `clean_content` on `content_object_init`, so no kind
can forget it. Cleaning uses nh3 (Ammonia), a maintained sanitizer, not hand-written regular expressions.
"""

from __future__ import annotations

import functools
import re

import nh3

# The allow-list (Ammonia's default tags, the attributes Markdown's extensions emit, the URL schemes) is shared
# with content/rawhtml.py, which tells the communicator what is removed.
from ..content.rawhtml import GENERIC_ATTRIBUTES, URL_SCHEMES

# A link target with a quoted string inside parentheses, e.g. [x](javascript:alert("hi")), is cut by Markdown at
# the quote (the rest becomes a title): the href has an unclosed "(" and the ")" is left after the link.
_CUT_LINK = re.compile(r'(<a\b[^>]*?\bhref="([^"]*)"[^>]*>.*?</a>)(\)+)', re.DOTALL)
_HAS_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images only from the site itself: a third-party image would leak visitors' addresses (and the CSP blocks it).
    if tag == "img" and attribute == "src" and _HAS_SCHEME.match(value):
        return None
    return value


def clean_html(html: str) -> str:
    """HTML reduced to the allow-list; Pelican's {static}/{filename} link markers survive (they are relative)."""
    if not html:
        return html
    return _cleaner().clean(_CUT_LINK.sub(_rejoin_cut_link, html))


def _rejoin_cut_link(match: re.Match) -> str:
    """Give a link whose target is removed anyway (a scheme not allowed) back the ')' Markdown left after it."""
    link, href, closing = match.groups()
    scheme = _HAS_SCHEME.match(href)
    unclosed = href.count("(") - href.count(")")
    if unclosed <= 0 or not scheme or scheme.group(1).rstrip(":").lower() in URL_SCHEMES:
        return match.group(0)
    return link + closing[unclosed:]


@functools.cache
def _cleaner() -> nh3.Cleaner:
    attributes = {tag: set(allowed) for tag, allowed in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = GENERIC_ATTRIBUTES
    return nh3.Cleaner(attributes=attributes, url_schemes=URL_SCHEMES, link_rel=None,
                       attribute_filter=_attribute_filter)


def clean_content(content) -> None:
    """content_object_init handler: clean the body and the (Markdown-formatted) summary of any content."""
    content._content = clean_html(content._content)
    for field in content.settings.get("FORMATTED_FIELDS", ["summary"]):
        value = content.metadata.get(field)
        if isinstance(value, str):
            content.metadata[field] = clean_html(value)
            if field == "summary" and hasattr(content, "_summary"):
                content._summary = content.metadata[field]


def content_security_policy(settings: dict, for_meta: bool = False) -> str:
    """The policy: only the site's own origin, no inline script or style; frames only from film providers.

    frame-ancestors is ignored (and warned about) in a <meta>, so only the headers file carries it.
    Pagefind's search runs WebAssembly, which needs 'wasm-unsafe-eval' (it allows no JavaScript eval).
    """
    frames = " ".join(sorted(settings.get("FILM_PROVIDER_ORIGINS") or [])) or "'none'"
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-src {frames}",
    ]
    if not for_meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def security_headers(settings: dict) -> dict[str, str]:
    """Response headers for every page (written to _headers; docs/production.md shows the nginx form)."""
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
