"""`python -m halsolots devserver` (make devserver): preview on 127.0.0.1 that rebuilds when a file is saved.

Drafts are shown, marked as drafts (SHOW_DRAFTS in pelicanconf.py; publishconf.py turns them off). Each
rebuild is the normal atomic build, so a save with a mistake prints the problems in Swedish and leaves the
last good preview in place, with a banner on its pages that lists them (preview.py) until a build succeeds;
the server keeps running. It also serves the form editor at /admin/ (make editor adds its local backend). Like every build it re-reads only the changed files
and re-renders only the pages whose inputs changed (outputcache.py); the search index, which must read
every page, is brought up to date in the background after the preview is updated.
"""

from __future__ import annotations

import os
import threading

from ..content.memory import Memory, remembering
from .preview import PreviewState, handler_for
from .serve import start_server
from ..content.messages import gettext, normalise
from ..content.problems import N_
from .options import add_settings_arguments

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
    add_settings_arguments(cmd)
    cmd.add_argument("--output", default="output")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--lang", default="sv", help="language of messages: sv (default) or en")
    cmd.set_defaults(func=lambda args: run(args.settings, args.output, args.port, args.lang))


def rebuild(settings_file: str, output: str, lang: str, memory: Memory | None = None,
            state: PreviewState | None = None, overrides: dict | None = None) -> int:
    """One preview build; `memory` is what the devserver keeps between its builds (content/memory.py), `state`
    what its pages show: the problems of a failed build as a banner (preview.py) until a build succeeds."""
    from ..build.build import build

    with remembering(memory or Memory()):
        code = build(settings_file, output, {"MESSAGES_LANG": lang, **PREVIEW_SETTINGS, **(overrides or {})},
                     preview=True)
    if code == 0:
        print(gettext(N_("Preview updated."), lang), flush=True)
        _search.refresh(output)
        if state is not None:
            state.succeeded()
    else:
        print(gettext(N_("The preview was not updated; fix the problems above and save again."), lang), flush=True)
        if state is not None:
            state.failed(*content_problems(settings_file, overrides))
    return code


def content_problems(settings_file: str, overrides: dict | None = None) -> tuple[list, str]:
    """The errors `make check` finds (the build's own reading, in a second), and the folder paths start from."""
    from ..build.build import load_settings
    from ..content.checks import run_checks

    settings = load_settings(settings_file, overrides or {})
    problems = [p for p in run_checks(settings) if p.severity == "error"]
    return problems, os.path.dirname(os.path.abspath(settings["PATH"]).rstrip(os.sep))


def watch_paths(settings_file: str, overrides: dict | None = None) -> list[str]:
    base = os.path.dirname(os.path.abspath(settings_file))
    from ..build.build import load_settings

    paths = [os.path.join(base, name) for name in WATCHED]
    settings = load_settings(settings_file, overrides or {})
    # content elsewhere: another site's folder (--site) or a test's copy
    paths += [os.path.abspath(settings["PATH"]), settings.get("SITE_TRANSLATIONS") or "",
              settings.get("SITE_SETTINGS_FILE") or ""]
    return sorted({path for path in paths if os.path.exists(path)})


def _relevant(output: str):
    """Ignore the output folder, caches and editors' temporary files, so a build never triggers a build."""
    skip = os.path.abspath(output)

    def accept(_change, path: str) -> bool:
        name = os.path.basename(path)
        return not (path.startswith(skip) or "__pycache__" in path or name.startswith((".#", "~"))
                    or name.endswith(("~", ".swp", ".tmp")))

    return accept


def run(settings_file: str, output: str, port: int, lang: str, stop_event=None, state: PreviewState | None = None,
        overrides: dict | None = None, ready=None) -> int:
    from watchfiles import watch

    lang = normalise(lang)
    state = state or PreviewState(settings_file, lang)
    memory = Memory()  # the devserver's: content read, file digests, fragments, compiled templates
    rebuild(settings_file, output, lang, memory, state, overrides)
    os.makedirs(output, exist_ok=True)
    server = start_server(output, port, handler_class=handler_for(state))
    host, bound = server.server_address[:2]
    print(gettext(N_("Preview at http://{host}:{port}/ – it rebuilds when you save a file (Ctrl+C stops)."), lang)
          .format(host=host, port=bound), flush=True)
    try:
        if ready is not None:
            ready(server)
        for _changes in watch(*watch_paths(settings_file, overrides), watch_filter=_relevant(output),
                              stop_event=stop_event, raise_interrupt=False):
            rebuild(settings_file, output, lang, memory, state, overrides)
    finally:
        server.shutdown()
        server.server_close()
    return 0
