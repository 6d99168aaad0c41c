"""`serve`: the built site on 127.0.0.1, behaving like production (deploy/nginx/halsolots.conf) where it matters to
a communicator: the same content types, the security headers of the build's `_headers` file, the 404 page in the
visitor's language with status 404, the finder's form without JavaScript answered with a 303 to its static page
(the build's `nginx-finder.conf`, read as nginx reads it), and no `_headers`, `nginx-*.conf` or dotfiles.
tests/test_nginx.py checks both servers against the same table.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from urllib.parse import unquote, urlsplit


# Internal files of the build and build caches: nginx never serves them either.
NOT_SERVED = frozenset({"_headers", "nginx-headers.conf", "nginx-finder.conf", "cache", "__pycache__"})
FINDER_MAP = "nginx-finder.conf"


def served(url_path: str) -> bool:
    """False for what production answers with 404 although it may be in the folder: dotfiles (but
    /.well-known/), `_headers`, `nginx-headers.conf`, cache folders and pickles."""
    parts = [part for part in unquote(url_path).split("/") if part]
    visible = parts[1:] if len(parts) > 1 and parts[0] == ".well-known" else parts
    return not (any(part.startswith(".") for part in visible) or parts[:1] and parts[0] in NOT_SERVED
                or parts and parts[-1].endswith(".pickle"))


_OPEN_DATA = re.compile(r"^/(?:[a-z]{2}/)?api/")
_MAP_KEY = re.compile(r'^\s*"1" "([^"]*)";$', re.MULTILINE)  # the first map's: the key of a request with show=1
_MAP_ENTRY = re.compile(r'^\s*"~((?:[^"\\]|\\.)*)" "([^"]*)";$', re.MULTILINE)


def finder_redirect(directory: str, request_path: str) -> str | None:
    """Where nginx's `$halsolots_finder` maps (the build's nginx-finder.conf) send a request, or None: with show=1,
    the first regex that matches its key, made as nginx makes it (`$uri`; `$arg_x` the raw value of the first
    argument x)."""
    parts = urlsplit(request_path)
    args = [part.partition("=") for part in parts.query.split("&")]

    def arg(name: str) -> str:
        return next((value for key, _, value in args if key == name), "")

    if arg("show") != "1":
        return None
    try:
        with open(os.path.join(directory, FINDER_MAP), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    source = _MAP_KEY.search(text)
    if source is None:
        return None
    key = re.sub(r"\$(\w+)", lambda m: unquote(parts.path) if m.group(1) == "uri"
                 else arg(m.group(1).removeprefix("arg_")), source.group(1))
    return next((target for regex, target in _MAP_ENTRY.findall(text) if re.search(regex, key)), None)


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like production: nginx's types (Debian's list plus calendars, subtitles and Pagefind's
    files), the headers of `_headers`, the language's 404 page. No caching: it is a preview that rebuilds."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ics": "text/calendar; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "application/javascript; charset=utf-8",
        ".json": "application/json",
        ".vtt": "text/vtt; charset=utf-8",
        ".xml": "text/xml; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml; charset=utf-8",
        ".wasm": "application/wasm",
        ".webm": "video/webm",
        ".mp4": "video/mp4",
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".gif": "image/gif",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_filter": "application/octet-stream",
    }

    def log_message(self, format, *args):  # noqa: A002 - keep the console quiet but for errors
        if args and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)

    # --- what production refuses ------------------------------------------------------------------------------

    def send_head(self):
        if not served(urlsplit(self.path).path):
            self.send_error(404)
            return None
        if self.send_finder_redirect():
            return None
        return super().send_head()

    def send_finder_redirect(self) -> bool:
        """The finder's form sent without JavaScript: a 303 to the static page of its choice, as nginx answers."""
        target = finder_redirect(self.directory, self.path)
        if target:
            self.send_response(303)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        return bool(target)

    def list_directory(self, path):
        self.send_error(404)  # nginx lists no folders either
        return None

    # --- headers and the 404 page -----------------------------------------------------------------------------

    def end_headers(self):
        for name, value in site_headers(self.directory):
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")  # a preview changes with every save
        if _OPEN_DATA.match(urlsplit(self.path).path):  # api/ in every language, as nginx
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = not_found_page(self.directory, urlsplit(self.path).path) if code == 404 else None
        if page is None:
            return super().send_error(code, message, explain)
        with open(page, "rb") as handle:
            body = handle.read()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def site_headers(directory: str) -> list[tuple[str, str]]:
    """The headers `_headers` sets on every path (`/*`), read per request: a rebuild may change them."""
    try:
        with open(os.path.join(directory, "_headers"), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return []
    headers, in_block = [], False
    for line in lines:
        if not line.strip():
            continue
        if not line[0].isspace():
            in_block = line.strip() == "/*"
        elif in_block and ":" in line:
            name, value = line.strip().split(":", 1)
            headers.append((name.strip(), value.strip()))
    return headers


def not_found_page(directory: str, url_path: str) -> str | None:
    """The 404 page for a path: the language folder's (en/404.html for /en/…), else the root's; as nginx chooses."""
    first = unquote(url_path).lstrip("/").split("/", 1)
    candidates = [os.path.join(directory, first[0], "404.html")] if len(first) == 2 and first[0] else []
    candidates.append(os.path.join(directory, "404.html"))
    return next((path for path in candidates if os.path.isfile(path)), None)


def start_server(directory: str, port: int, host: str = "127.0.0.1",
                 handler_class=SiteRequestHandler) -> http.server.ThreadingHTTPServer:
    """Serve `directory` in a background thread (resolved per request, so an atomic swap of the folder is
    picked up); the caller shuts the server down. The devserver passes its own handler (preview.py)."""
    handler = functools.partial(handler_class, directory=os.path.abspath(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(directory: str, port: int = 8000, host: str = "127.0.0.1") -> None:
    server = start_server(directory, port, host)
    print(f"Serving {directory} at http://{host}:{port}/ (Ctrl+C stops)")
    try:
        threading.Event().wait()  # until Ctrl+C
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
