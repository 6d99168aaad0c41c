"""The atomic build: Pelican writes into a staging folder beside the output folder, and only a build that
succeeded replaces the old site. A content mistake is a `ContentError` with plain `path:line: field: …` lines.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import tempfile
import threading

from ..content.problems import ContentError
from ..generators.contents import content_read
from .outputcache import code_key


log = logging.getLogger("halsolots")
SITE_VARIABLE = "HALSOLOTS_SITE"  # which site of the repository a command works on (content/sites.py)


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    """Pelican's settings from `settings_file` (pelicanconf.py or publishconf.py), with `overrides`. The override
    SITE names another site of the repository (content/sites.py); without it the file's own site is built."""
    from pelican.settings import read_settings

    from ..content.sites import site_overrides

    overrides = dict(overrides or {})
    # `--site` of every command (commands/cli.py) reaches every build and check of the process this way.
    name = (overrides.pop("SITE") if "SITE" in overrides else os.environ.get(SITE_VARIABLE)) or None
    root = os.path.dirname(os.path.abspath(settings_file))
    default = read_settings(settings_file, override=dict(overrides))  # the default site as this command has it
    sites = site_overrides(root, default, name)
    if not name:
        return {**default, **sites}  # what every site's build learns of the others (no paths to resolve)
    # the other site's own folders (its cache below the command's); the command's other overrides still win
    overrides = {key: value for key, value in overrides.items() if key not in ("PATH", "CACHE_PATH")}
    return read_settings(settings_file, override={**sites, **overrides})


def cache_settings(settings: dict) -> dict:
    """Pelican's content cache (a save re-reads only the changed files) in a folder named by the settings and
    the plugin code, since Pelican checks only file times; the output cache (outputcache.py) beside it."""
    key = code_key(settings)
    if not settings.get("BUILD_CACHE", True):
        return {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "HALSOLOTS_CODE_KEY": key}
    # The generator layer keeps whole content objects (Markdown rendered, HTML cleaned): nothing is redone.
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "GZIP_CACHE": False,
            "CONTENT_CACHING_LAYER": "generator", "HALSOLOTS_CODE_KEY": key,
            "CACHE_PATH": os.path.join(os.path.abspath(settings["CACHE_PATH"]), "content", key)}


def build(settings_file: str = "pelicanconf.py", output: str | None = None, overrides: dict | None = None,
          debug: bool = False, preview: bool = False) -> int:
    """Build into a temporary folder and swap it in; returns a process exit code.

    A `preview` (the devserver, a process that keeps running) builds only the changed files into the
    temporary folder and moves them into the served folder, when the output cache knows that folder;
    a failed build still changes nothing. Otherwise the replaced site is deleted in the background.
    What the process keeps between builds is the current Memory (content/memory.py; the devserver's)."""
    from pelican import Pelican

    from ..content.memory import current as current_memory
    from ..content.memory import remembering
    from ..site.processes import ErrorCollector
    from .outputcache import finish_writing
    from .run import BuildRun, activated

    overrides = dict(overrides or {})
    settings = load_settings(settings_file, overrides)
    output = os.path.abspath(output or settings["OUTPUT_PATH"])
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    _recover(output)
    # The pid in the name lets the next build tell a killed build's leftovers from a build still running.
    staging = tempfile.mkdtemp(prefix=f"{os.path.basename(output)}.building-{os.getpid()}-", dir=parent)
    errors: list[str] = []  # Pelican logs (rather than raises) many problems; any error fails the build
    collector = ErrorCollector(errors)
    logging.getLogger().addHandler(collector)
    memory = current_memory()
    finish_writing(memory)
    memory.start_build()
    succeeded = False
    run = None
    try:
        cache_root = os.path.abspath(settings["CACHE_PATH"])
        settings = load_settings(settings_file, {**overrides, "OUTPUT_PATH": staging, **cache_settings(settings)})
        run = BuildRun(settings, {"output": output, "staging": staging, "preview": preview, "cache_root": cache_root})
        with remembering(run.memory), activated(run):
            try:
                Pelican(settings).run()
            finally:
                run.abandon()  # a failed build stops its other output process before the staging folder goes
        if errors:
            raise BuildFailed("\n".join(errors))
        if settings.get("PRECOMPRESS"):
            from .compress import precompress

            # last, so it also covers what came after the pages (search index, sitemap)
            precompress(staging, settings, run.cache.reuse_copies)
        succeeded = True
    except ContentError as error:
        print(error.report(settings.get("MESSAGES_LANG")), file=sys.stderr)
        return error.exitcode
    except Exception as error:  # noqa: BLE001 - a communicator gets one line, a developer --debug
        if debug:
            raise
        print(f"The build failed, the previous site is unchanged: {type(error).__name__}: {error}"
              " (run the build with --debug for details)", file=sys.stderr)
        return 1
    finally:
        logging.getLogger().removeHandler(collector)
        if not succeeded:  # also on Ctrl+C (KeyboardInterrupt is not an Exception)
            shutil.rmtree(staging, ignore_errors=True)
    cache = run.cache
    if cache.in_place:
        cache.forget()
        _move_in(staging, output, cache)
    else:
        _replace(staging, output, clean_up_later=preview)
    with remembering(run.memory):
        cache.save(later=cache.in_place)  # what the new output folder holds, for the next build to reuse
    log.info("Output cache: %d files reused, %d written", cache.reused, len(cache.written))
    if settings.get("BUILD_CACHE", True):
        memory.keep(content_read(settings), True)  # the devserver's next build reads its content from memory
        _prune_content_caches(cache_root, settings["CACHE_PATH"])
    return 0


def build_all(settings_file: str, into: str, overrides: dict | None = None, lang: str | None = None) -> int:
    """Every site of the repository (the settings file's own, then sites/*), each into `into`/<its SITE_ID>/,
    one after another in this process; the first that fails stops the rest (each swap is atomic)."""
    from ..content.sites import site_folders

    root = os.path.dirname(os.path.abspath(settings_file))
    default = load_settings(settings_file, {"SITE": None})
    names = [None, *site_folders(root)]
    for name in names:
        site_id = os.path.basename(name) if name else default.get("SITE_ID", "default")
        output = os.path.join(os.path.abspath(into), site_id)
        log.warning("Building %s into %s", site_id, output)
        code = build(settings_file, output, {**(overrides or {}), "SITE": name, "MESSAGES_LANG": lang})
        if code:
            return code
    return 0


def _prune_content_caches(root: str, current_folder: str, keep: int = 3) -> None:
    """Each change of settings or plugin code starts a content cache folder: keep the few used last."""
    folder = os.path.join(root, "content")
    if not os.path.isdir(folder):
        return
    entries = sorted((entry for entry in os.scandir(folder) if entry.is_dir()),
                     key=lambda entry: entry.stat().st_mtime, reverse=True)
    current = os.path.basename(current_folder)
    for entry in entries[keep:]:
        if entry.name != current:
            shutil.rmtree(entry.path, ignore_errors=True)


def _recover(output: str) -> None:
    """Clean up after a build that was killed: its staging folder, or a swap cut between its two renames."""
    parent, name = os.path.split(output)
    previous = output + ".previous"
    if not os.path.exists(output) and os.path.isdir(previous):
        os.rename(previous, output)
    else:
        shutil.rmtree(previous, ignore_errors=True)
    prefix = f"{name}.building-"
    for entry in sorted(os.listdir(parent)):
        if entry.startswith(prefix) and not _running(entry[len(prefix):].split("-")[0]):
            shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)


def _running(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


class BuildFailed(Exception):
    pass


def _replace(staging: str, output: str, clean_up_later: bool = False) -> None:
    """Swap the new site in with two renames, so a web server never sees a half-written folder."""
    os.chmod(staging, 0o755)
    previous = None
    if os.path.exists(output):
        previous = output + ".previous"
        shutil.rmtree(previous, ignore_errors=True)
        os.rename(output, previous)
    os.rename(staging, output)
    if previous and clean_up_later:
        # A name of its own (a later build may need ".previous"); _recover removes it if the process dies.
        trash = f"{output}.building-{os.getpid()}-old-{next(_trash_numbers)}"
        os.rename(previous, trash)
        threading.Thread(target=shutil.rmtree, args=(trash, True), daemon=True).start()
    elif previous:
        shutil.rmtree(previous, ignore_errors=True)


_trash_numbers = itertools.count()


def _move_in(staging: str, output: str, cache) -> None:
    """A preview's update: each new or changed file replaces its old version with one rename; files the
    site no longer has are removed. Unchanged files are never touched."""
    from .outputcache import files_in_tree

    produced = files_in_tree(staging)
    for name in produced:
        target = os.path.join(output, name)
        try:
            os.replace(os.path.join(staging, name), target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(staging, name), target)
    for name in cache.gone(produced):
        try:
            os.remove(os.path.join(output, name))
            os.removedirs(os.path.dirname(os.path.join(output, name)))  # stops at the first folder not empty
        except OSError:
            pass
    shutil.rmtree(staging, ignore_errors=True)
