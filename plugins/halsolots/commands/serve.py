"""`serve`: the built site on 127.0.0.1, with production's content types.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like production: calendars as text/calendar; charset=utf-8."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ics": "text/calendar; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".vtt": "text/vtt; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
    }

    def log_message(self, format, *args):  # noqa: A002 - keep the console quiet but for errors
        if args and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)


def start_server(directory: str, port: int, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """Serve `directory` in a background thread (resolved per request, so an atomic swap of the folder is
    picked up); the caller shuts the server down."""
    handler = functools.partial(SiteRequestHandler, directory=os.path.abspath(directory))
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
