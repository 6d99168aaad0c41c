"""A site's colours: the theme's design tokens (custom properties of `:root` in theme/static/css/base.css) with
the site's DESIGN_TOKENS over them, each pair a page shows together checked for WCAG 2.2 contrast (1.4.3).
"""

from __future__ import annotations

import os
import re

import tinycss2

from ..content.problems import N_, ContentError, Problem
from ..content.sites import line_of

# (foreground, background): text and links on the page and on panels (header, footer, cards), the white text of
# buttons on the accent colour, and the focus highlight (text on yellow).
PAIRS = (
    ("text", "bg"), ("text", "panel"), ("muted", "bg"), ("muted", "panel"), ("link", "bg"), ("link", "panel"),
    ("link-visited", "bg"), ("link-visited", "panel"), ("button-text", "accent"), ("text", "focus"),
)
MINIMUM = 4.5  # normal-size text (1.4.3, level AA)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
BUTTON_TEXT = "#fff"  # base.css writes buttons' text white on var(--accent)


def theme_tokens(theme: str) -> dict[str, str]:
    """The custom properties the theme's `:root` rule sets, by name without the dashes."""
    with open(os.path.join(theme, "static", "css", "base.css"), encoding="utf-8") as handle:
        rules = tinycss2.parse_stylesheet(handle.read(), skip_comments=True, skip_whitespace=True)
    tokens = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                               skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    tokens[declaration.name[2:]] = tinycss2.serialize(declaration.value).strip()
    return tokens


def _luminance(colour: str) -> float:
    """Relative luminance of a #rgb or #rrggbb colour (WCAG 2.2's definition)."""
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def site_tokens(theme: str, settings: dict) -> dict[str, str]:
    """The theme's tokens with the site's DESIGN_TOKENS; a token that is not a colour, not the theme's, or a pair
    with too little contrast is a ContentError naming the setting."""
    theme_values = theme_tokens(theme)
    own = settings.get("DESIGN_TOKENS") or {}
    where = settings.get("SITE_SETTINGS_FILE") or "pelicanconf.py"
    problems = []
    for name, value in own.items():
        if name not in theme_values:
            problems.append(Problem.make(where, line_of(where, name), f"DESIGN_TOKENS: {name}", N_("is not a colour of the theme"),
                                         N_("one of: {options}"), options=", ".join(sorted(theme_values))))
        elif not _HEX.match(str(value)):
            problems.append(Problem.make(where, line_of(where, name), f"DESIGN_TOKENS: {name}", N_("'{value}' is not a colour"),
                                         N_("a colour written #rrggbb, e.g. #0b5563"), value=value))
    if problems:
        raise ContentError(problems)
    tokens = {**theme_values, **{name: str(value) for name, value in own.items()}, "button-text": BUTTON_TEXT}
    for foreground, background in PAIRS:
        ratio = contrast(tokens[foreground], tokens[background])
        if ratio < MINIMUM:
            problems.append(Problem.make(where, line_of(where, foreground if foreground in own else background), f"DESIGN_TOKENS: {foreground}",
                                         N_("{foreground} on {background} has a contrast of {ratio}:1"),
                                         N_("at least {minimum}:1 (WCAG 1.4.3); a darker or lighter colour"),
                                         foreground=f"{foreground} {tokens[foreground]}",
                                         background=f"{background} {tokens[background]}",
                                         ratio=f"{ratio:.2f}", minimum=MINIMUM))
    if problems:
        raise ContentError(problems)
    return tokens


def tokens_css(theme: str, settings: dict) -> str:
    """The `:root` rule that gives the site its colours, after the theme's; '' for a site with the theme's own."""
    own = settings.get("DESIGN_TOKENS") or {}
    if not own:
        return ""
    tokens = site_tokens(theme, settings)
    declarations = "; ".join(f"--{name}: {tokens[name]}" for name in sorted(own))
    return f"/* the site's colours (DESIGN_TOKENS) */\n:root {{ {declarations}; }}\n"
