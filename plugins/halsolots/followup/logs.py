"""The web server's access log, read line by line: nginx's `halsolots` format (no addresses) or the standard
combined format of nginx and Apache, plain or gzip-rotated files, never all of it in memory.

`read_lines(patterns)` yields the lines of every matching file, oldest rotation first; `parse(line)` gives a
`Request` or None for a line in neither format (counted and skipped by the caller). A combined line's address is
handed on only for the calendar-subscriber estimate, which hashes it at once (figures.py); nothing keeps it.
"""

from __future__ import annotations

import glob
import gzip
import os
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# deploy/nginx/halsolots.conf: log_format halsolots '$time_iso8601 "$request" $status $body_bytes_sent
# "$http_user_agent"'; a referrer before the agent ("$http_referer" "$http_user_agent") is read and ignored.
# A quoted value holds no '"' (nginx writes \x22, Apache \"): a plain [^"]* is ten times faster than a pattern
# for escapes, and an agent cut at an escaped quote still says whether it is a robot.
_REQUEST = r'"([A-Z]{3,10}) ([^ "]+) HTTP/[0-9.]+"'
HALSOLOTS = re.compile(r'(\d{4}-\d\d-\d\d)T\d\d:\d\d:\d\d[^ ]* ' + _REQUEST + r' (\d{3}) (?:\d+|-)(?: "[^"]*")? "([^"]*)"')
# combined: $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
# "$http_user_agent" (Apache's %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" is the same line).
COMBINED = re.compile(r'([^ ]+) [^ ]+ [^ ]+ \[(\d\d)/([A-Z][a-z]{2})/(\d{4}):\d\d:\d\d:\d\d [^\]]*\] ' + _REQUEST
                      + r' (\d{3}) (?:\d+|-) "[^"]*" "([^"]*)"')
MONTHS = {name: f"{number:02d}" for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


class Request(NamedTuple):
    day: str  # YYYY-MM-DD, the server's local date
    method: str
    target: str  # path and query as requested
    status: int
    agent: str
    address: str | None  # only from a combined line; used for one hash, then dropped


def parse(line: str) -> Request | None:
    """A log line as a Request, or None when it is in neither format (a broken or truncated line)."""
    match = HALSOLOTS.match(line)
    if match:
        day, method, target, status, agent = match.groups()
        return Request(day, method, target, int(status), agent, None)
    match = COMBINED.match(line)
    if match:
        address, day, month, year, method, target, status, agent = match.groups()
        if month not in MONTHS:
            return None
        return Request(f"{year}-{MONTHS[month]}-{day}", method, target, int(status), agent, address)
    return None


_ROTATION = re.compile(r"\.(\d+)(?:\.gz)?$")


def log_files(patterns: Iterable[str]) -> list[str]:
    """Files matching the glob patterns, each once, oldest first: access.log.9.gz … access.log.1, access.log."""
    found = {os.path.abspath(path) for pattern in patterns for path in glob.glob(os.path.expanduser(pattern))
             if os.path.isfile(path)}

    def age(path: str) -> tuple:
        rotation = _ROTATION.search(path)
        stem = path[: rotation.start()] if rotation else path.removesuffix(".gz")
        return stem, -(int(rotation.group(1)) if rotation else 0)

    return sorted(found, key=age)


BLOCK = 1 << 20  # bytes read at a time: memory stays at about this, whatever the size of the log


def open_log(path: str):
    """A plain or gzip file (told by its first bytes, not its name), as bytes."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def read_lines(files: Iterable[str], unreadable: list[str] | None = None) -> Iterator[str]:
    """Every line of every file in turn, without its line ending: one block at a time, never a list of all lines.
    Bytes that are not UTF-8 become U+FFFD, so a damaged line is a broken line, not a traceback; a file that
    cannot be opened (permissions) is skipped and named in `unreadable`."""
    for path in files:
        try:
            handle = open_log(path)
        except OSError:
            if unreadable is not None:
                unreadable.append(path)
            continue
        with handle:
            rest = b""
            try:
                while block := handle.read(BLOCK):
                    block = rest + block
                    cut = block.rfind(b"\n") + 1  # whole lines only: a character is never split between blocks
                    rest = block[cut:]
                    yield from block[:cut].decode("utf-8", "replace").replace("\r\n", "\n").split("\n")[:-1]
            except (OSError, EOFError):  # a truncated .gz (rotation cut short): what was read counts
                rest = b"\0"  # one broken line, so the report says something was wrong
            if rest:
                yield rest.decode("utf-8", "replace").rstrip("\r")
