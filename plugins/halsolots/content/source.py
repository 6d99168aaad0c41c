"""Reading a content file's metadata header as raw text with line numbers.

Pelican's readers turn the body into HTML; this module reads the same `Key: value` header the way
Python-Markdown's meta extension does, but keeps each key's line so problems can point at it, and turns
unreadable files (not UTF-8) into problems instead of exceptions.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .problems import N_, Problem

# Same shape as Python-Markdown's meta extension: a key, a colon, a value; indented lines continue it.
_KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")


@dataclass(frozen=True)
class Field:
    key: str  # lower case, as Pelican stores metadata
    value: str
    line: int


class Header(dict):
    """key (lower case) → Field. `text(key)` gives the stripped value or ''. `has_body`: the file has text
    after its first blank line (a film's transcript)."""

    has_body = False

    def text(self, key: str) -> str:
        field = self.get(key)
        return field.value.strip() if field else ""

    def blank(self, key: str) -> bool:
        """No value at all, or only commas and spaces (an empty list): a required field is then missing."""
        return not self.text(key).replace(",", "").strip()

    def items_list(self, key: str) -> list[str]:
        """A comma-separated value as a list of non-empty, stripped items."""
        return [item.strip() for item in self.text(key).split(",") if item.strip()]


def read_text(path: str) -> tuple[str | None, Problem | None]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return None, Problem.make(path, 1, "file", N_("cannot be read: {error}"), error=error.strerror)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem.make(path, line, "file", N_("is not UTF-8 text"),
                                  N_("save the file with the encoding UTF-8 (in most editors: Save as → Encoding → UTF-8)"))
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse_header(text: str) -> Header:
    header = Header()
    last_key = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        match = _KEY_LINE.match(line)
        if match:
            last_key = match.group("key").lower()
            if last_key not in header:
                header[last_key] = Field(last_key, match.group("value"), number)
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and last_key:
            previous = header[last_key]
            header[last_key] = Field(last_key, f"{previous.value} {continuation.group('value').strip()}", previous.line)
            continue
        break  # Python-Markdown ends the header at the first line that is not metadata
    header.has_body = bool(text.partition("\n\n")[2].strip())
    return header


def read_header(path: str) -> tuple[Header | None, Problem | None]:
    text, problem = read_text(path)
    if text is None:
        return None, problem
    return parse_header(text), None


def file_stamp(path: str) -> tuple[int, int] | None:
    """A file's modification time and size, or None when it is gone: what the build's in-process caches
    check before reusing what they read (as Pelican's content cache does with the time)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
