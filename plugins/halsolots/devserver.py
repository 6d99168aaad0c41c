"""`python -m halsolots devserver` (make devserver): preview on 127.0.0.1 that rebuilds when a file is saved.

Drafts are shown, marked as drafts (SHOW_DRAFTS in pelicanconf.py; publishconf.py turns them off). Each
rebuild is the normal atomic build, so a save with a mistake prints the problems in Swedish and leaves the
last good preview in place; the server keeps running.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import http.server
import os
import shutil
import tempfile
import threading

from .messages import gettext, normalise
from .problems import N_

# What a save in these (relative to the project folder) should rebuild.
WATCHED = ("content", "theme", "pelicanconf.py")  # plugin code changes need a restart
# Pelican's content cache (by file mtime): a rebuild re-reads only the files that changed. Same output.
CACHE_SETTINGS = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
_cache_root: list[str] = []


def cache_settings(settings_file: str) -> dict:
    """The content cache lives as long as this devserver (plugin code may change between runs) and is
    keyed by the settings file's bytes (a Markdown setting changes how every file reads)."""
    if not _cache_root:
        _cache_root.append(tempfile.mkdtemp(prefix="halsolots-devserver-cache-"))
        atexit.register(shutil.rmtree, _cache_root[0], True)
    with open(settings_file, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:16]
    return {**CACHE_SETTINGS, "CACHE_PATH": os.path.join(_cache_root[0], digest)}


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("devserver", help="preview on 127.0.0.1 that rebuilds when a file is saved")
    cmd.add_argument("--settings", default="pelicanconf.py")
    cmd.add_argument("--output", default="output")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--lang", default="sv", help="language of messages: sv (default) or en")
    cmd.set_defaults(func=lambda args: run(args.settings, args.output, args.port, args.lang))


def rebuild(settings_file: str, output: str, lang: str) -> int:
    from .cli import build

    code = build(settings_file, output, {"MESSAGES_LANG": lang, **cache_settings(settings_file)})
    if code == 0:
        print(gettext(N_("Preview updated."), lang), flush=True)
    else:
        print(gettext(N_("The preview was not updated; fix the problems above and save again."), lang), flush=True)
    return code


def start_server(directory: str, port: int, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """Serve `directory` (resolved per request, so an atomic swap of the folder is picked up)."""
    from .cli import SiteRequestHandler

    handler = functools.partial(SiteRequestHandler, directory=os.path.abspath(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch_paths(settings_file: str) -> list[str]:
    base = os.path.dirname(os.path.abspath(settings_file))
    return [path for path in (os.path.join(base, name) for name in WATCHED) if os.path.exists(path)]


def _relevant(output: str):
    """Ignore the output folder, caches and editors' temporary files, so a build never triggers a build."""
    skip = os.path.abspath(output)

    def accept(_change, path: str) -> bool:
        name = os.path.basename(path)
        return not (path.startswith(skip) or "__pycache__" in path or name.startswith((".#", "~"))
                    or name.endswith(("~", ".swp", ".tmp")))

    return accept


def run(settings_file: str, output: str, port: int, lang: str, stop_event=None) -> int:
    from watchfiles import watch

    lang = normalise(lang)
    rebuild(settings_file, output, lang)
    os.makedirs(output, exist_ok=True)
    server = start_server(output, port)
    host, bound = server.server_address[:2]
    print(gettext(N_("Preview at http://{host}:{port}/ – it rebuilds when you save a file (Ctrl+C stops)."), lang)
          .format(host=host, port=bound), flush=True)
    try:
        for _changes in watch(*watch_paths(settings_file), watch_filter=_relevant(output), stop_event=stop_event,
                              raise_interrupt=False):
            rebuild(settings_file, output, lang)
    finally:
        server.shutdown()
        server.server_close()
    return 0
