"""`python -m halsolots devserver` (make devserver): preview on 127.0.0.1 that rebuilds when a file is saved.

Drafts are shown, marked as drafts (SHOW_DRAFTS in pelicanconf.py; publishconf.py turns them off). Each
rebuild is the normal atomic build, so a save with a mistake prints the problems in Swedish and leaves the
last good preview in place; the server keeps running. Like every build it re-reads only the changed files
and re-renders only the pages whose inputs changed (outputcache.py); the search index, which must read
every page, is brought up to date in the background after the preview is updated.
"""

from __future__ import annotations

import gc
import os
import threading

from ..content.memory import Memory, remembering
from .serve import start_server
from ..content.messages import gettext, normalise
from ..content.problems import N_

# What a save in these (relative to the project folder) should rebuild.
WATCHED = ("content", "theme", "pelicanconf.py")  # plugin code changes need a restart
# The preview links the last search index and refreshes it in the background (search.index_later).
PREVIEW_SETTINGS = {"SEARCH_INDEX": "later"}


class SearchRefresher:
    """Re-indexes the served folder in a background thread after each rebuild; a newer rebuild wins."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = 0

    def refresh(self, output: str) -> threading.Thread:
        with self._lock:
            self._generation += 1
            generation = self._generation
        thread = threading.Thread(target=self._run, args=(output, generation), daemon=True)
        thread.start()
        return thread

    def _run(self, output: str, generation: int) -> None:
        from ..build.searchindex import index_later

        with self._lock:  # one index at a time; skip it when a newer rebuild has asked for another
            if generation != self._generation:
                return
            try:
                index_later(os.path.abspath(output))
            except Exception:  # noqa: BLE001 - the folder was replaced meanwhile: the next refresh redoes it
                pass


_search = SearchRefresher()


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("devserver", help="preview on 127.0.0.1 that rebuilds when a file is saved")
    cmd.add_argument("--settings", default="pelicanconf.py")
    cmd.add_argument("--output", default="output")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--lang", default="sv", help="language of messages: sv (default) or en")
    cmd.set_defaults(func=lambda args: run(args.settings, args.output, args.port, args.lang))


def rebuild(settings_file: str, output: str, lang: str, memory: Memory | None = None) -> int:
    """One preview build; `memory` is what the devserver keeps between its builds (content/memory.py)."""
    from ..build.build import build

    with remembering(memory or Memory()):
        code = build(settings_file, output, {"MESSAGES_LANG": lang, **PREVIEW_SETTINGS}, preview=True)
    if code == 0:
        print(gettext(N_("Preview updated."), lang), flush=True)
        _search.refresh(output)
    else:
        print(gettext(N_("The preview was not updated; fix the problems above and save again."), lang), flush=True)
    tidy()
    return code


def tidy() -> None:
    """Between saves, while the preview is already up to date: collect what the build left (build.py freezes
    the collector during a build)."""
    gc.collect()


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
    memory = Memory()  # the devserver's: content read, file digests, fragments, compiled templates
    rebuild(settings_file, output, lang, memory)
    os.makedirs(output, exist_ok=True)
    server = start_server(output, port)
    host, bound = server.server_address[:2]
    print(gettext(N_("Preview at http://{host}:{port}/ – it rebuilds when you save a file (Ctrl+C stops)."), lang)
          .format(host=host, port=bound), flush=True)
    try:
        for _changes in watch(*watch_paths(settings_file), watch_filter=_relevant(output), stop_event=stop_event,
                              raise_interrupt=False):
            rebuild(settings_file, output, lang, memory)
    finally:
        server.shutdown()
        server.server_close()
    return 0
