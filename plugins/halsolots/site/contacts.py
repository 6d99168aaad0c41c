"""Phone numbers and e-mail addresses in texts become `tel:` and `mailto:` links, so one tap calls or writes.

Texts are the communicators' (How-to-register, bodies in Markdown, contacts in the data files); the numbers are
Swedish ones as people write them (031-365 00 00, +46 31 365 00 00). Inside an existing link nothing changes.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# A Swedish number: 0 or +46, an area code and 5–8 more digits, with spaces or one hyphen between groups.
_PHONE = r"(?<![\w+/=.-])(?:\+46[ -]?(?:\(0\)[ -]?)?[1-9]|0[1-9])\d{0,2}(?:[ -]?\d){5,8}(?![\w-])"
_EMAIL = r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
_CONTACT = re.compile(f"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})")
# A tag, its quoted attribute values allowed to hold '>'.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_ANCHOR = re.compile(r"<(/?)a[\s>]", re.IGNORECASE)


def tel_uri(number: str) -> str:
    """'031-365 00 00' → 'tel:+46313650000' (RFC 3966, the international form)."""
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    return "tel:+" + (digits if number.startswith("+") else "46" + digits[1:])


def _linked(match: re.Match) -> str:
    # The match is already escaped text (no markup in it): numbers and addresses have no characters to escape.
    text = match.group(0)
    if match.group("email"):
        return f'<a href="mailto:{text}">{text}</a>'
    return f'<a href="{tel_uri(text)}" class="nowrap">{text}</a>'


def contact_links(value) -> Markup:
    """The Jinja filter: plain text (escaped here) or Markup/HTML (its text outside links) with contacts linked."""
    if not value:
        return Markup("")
    if not isinstance(value, Markup) and not hasattr(value, "__html__"):
        return Markup(_CONTACT.sub(_linked, str(escape(value))))
    parts = _TAG.split(str(value))
    depth = 0  # inside <a>…</a>
    for index, part in enumerate(parts):
        if index % 2:
            anchor = _ANCHOR.match(part)
            if anchor:
                depth = max(0, depth + (-1 if anchor.group(1) else 1))
        elif depth == 0 and part:
            parts[index] = _CONTACT.sub(_linked, part)
    return Markup("".join(parts))
