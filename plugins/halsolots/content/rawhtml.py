"""Raw HTML in a content file's text that the site removes (site/safety.py cleans every page with nh3):
found in the Markdown source, so the build and `make check` can say what disappears, on which line and why,
instead of it vanishing without a word.

The allow-list lives here, in the content layer, so the cleaner and this check share it.
"""

from __future__ import annotations

import re

import nh3

from .problems import N_, WARNING, Problem

# Ammonia's default tags (no script, style, iframe, object, form…) plus the attributes Markdown's own
# extensions emit (footnote ids and classes, language marks). No style attribute: the CSP forbids it.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS)
GENERIC_ATTRIBUTES = {"id", "class", "lang", "dir", "title"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^>]*)>?")
_EVENT_OR_STYLE = re.compile(r"\s(on[a-z]+|style)\s*=", re.IGNORECASE)
# A link target in Markdown ](…) or an HTML href/src="…" with a scheme.
_LINK = re.compile(r"(?:\]\(\s*<?|\b(?:href|src)\s*=\s*[\"']?)\s*([A-Za-z][A-Za-z0-9+.-]*):", re.IGNORECASE)

# Why each kind of removed HTML goes (N_ templates, translated with the message: the params end in "reason").
SCRIPT = N_("the site runs no scripts from the text, for the visitors' safety")
FRAME = N_("the site shows nothing from other sites inside its pages; for a film use a film file (Video or "
           "External)")
STYLE = N_("the site's own design is used, not styles in the text")
FORM = N_("forms in the text cannot be sent anywhere")
OTHER = N_("it is not among the HTML the site allows")
REASONS = {"script": SCRIPT, "noscript": SCRIPT, "iframe": FRAME, "frame": FRAME, "frameset": FRAME,
           "embed": FRAME, "object": FRAME, "applet": FRAME, "video": FRAME, "audio": FRAME, "style": STYLE,
           "link": STYLE, "font": STYLE, "form": FORM, "input": FORM, "button": FORM, "select": FORM,
           "textarea": FORM}


def _text_lines(text: str):
    """(line number, line) of the text below the header, code blocks and code spans left out (they show HTML
    as text, which stays)."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    fenced = False
    for number, line in enumerate(lines[start:], start=start + 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        yield number, _CODE_SPAN.sub("", line)


def removed_html(text: str) -> list[tuple[int, str, str]]:
    """(line, what is removed, why) for each piece of HTML the cleaner takes out of the file's text."""
    found = []
    for number, line in _text_lines(text):
        for match in _TAG.finditer(line):
            tag, rest = match.group(1).lower(), match.group(2)
            closing = match.group(0).lstrip("< ").startswith("/")
            if tag not in ALLOWED_TAGS:
                if not closing:
                    found.append((number, f"<{tag}>", REASONS.get(tag, OTHER)))
                continue
            for attribute in _EVENT_OR_STYLE.findall(rest):
                attribute = attribute.lower()
                found.append((number, f"{attribute}=", STYLE if attribute == "style" else SCRIPT))
        for scheme in _LINK.findall(line):
            if scheme.lower() not in URL_SCHEMES:
                found.append((number, f"{scheme.lower()}:", SCRIPT if scheme.lower() in ("javascript", "vbscript")
                              else OTHER))
    return found


def removed_html_problems(path: str, text: str) -> list[Problem]:
    """Warnings: the page is still built, without what is named."""
    return [Problem.make(path, line, "Text", N_("{removed} is removed from the page: {reason}"),
                         N_("write the text in Markdown (see the guide), or ask the web team"), severity=WARNING,
                         removed=removed, reason=reason)
            for line, removed, reason in dict.fromkeys(removed_html(text))]
