"""Build only what changed: a page whose inputs are the same as in the last build is linked, not rendered.

Every page the writer writes gets a key: a digest of what it is made from. That is the build's *site key*
(settings, plugin code, theme, vocabularies, every content file that is not an activity, "today", library
versions) plus the page's own values (its activity, listing, week …), where an activity counts as the
digest of its Markdown files. When the previous build wrote the same file from the same key, the new
build hard-links that file into its staging folder instead of rendering it. A value the fingerprint does
not know makes the page uncacheable: it is rendered, never guessed.

The list of (file, key) pairs of the site in the output folder is kept in CACHE_PATH and replaced only
after a successful build's swap (build.py), so it always describes the folder it sits beside. Small
derived values are kept there too (`memo`: serialised calendar events, JSON records), and the search index
is linked whole when every page's key is unchanged. A devserver build (`in_place`) leaves unchanged files
where they are and moves only the new ones in. Only the build layer's writer (writer.py) calls `key` and
`reuse`: generators never see this module.

BUILD_CACHE = False (a setting) turns reuse off, with Pelican's content cache; keys are still made (fragments
and memos are shared within the build). `make clean` forgets both caches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import pickle
import shutil
import threading
from datetime import date, time
from importlib import metadata

from ..content.memory import MISSING, Memory
from ..content.memory import current as current_memory
from ..content.source import file_stamp
from ..site.site import SEARCH_FOLDER  # left out of the list of files: the index is managed as one

log = logging.getLogger(__name__)

_LARGE = 1 << 20  # content files above this size count by size and modification time (videos)
# Settings that do not change what a page says.
_VOLATILE = {"OUTPUT_PATH", "CACHE_PATH", "HALSOLOTS_CODE_KEY", "MESSAGES_LANG", "PARALLEL_OUTPUT", "CONTENT_CACHING_LAYER", "BUILD_CACHE",
             "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "GZIP_CACHE", "SEARCH_INDEX", "WRITE_SELECTED"}
_LIBRARIES = ("pelican", "jinja2", "markdown", "babel", "icalendar", "nh3", "python-dateutil", "markupsafe",
              "weasyprint", "pydyf", "fonttools", "segno")
_PLUGIN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the whole package, every layer
# The search index under the list's name for it: its value is the pages_key it was made from.
INDEX = SEARCH_FOLDER + "/"
WRITING = ("output-cache-writing",)  # the memory's entry for a list being written (save)
MEMO_BUILDS = 20  # builds a memo entry outlives its last use (the same rule as the devserver's Memory)


class Uncacheable(Exception):
    """A value the fingerprint cannot vouch for."""


def _digest_file(path: str, update) -> None:
    # The devserver digests the site on every save: its memory keeps a file's digest while the file is unchanged.
    stamp = file_stamp(path)
    memory = current_memory()
    digest = memory.recall(("digest", path), stamp)
    if digest is MISSING:
        if stamp is not None and stamp[1] > _LARGE:
            digest = repr(stamp)
        else:
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        memory.keep(("digest", path), digest, stamp)
    update(f"{path}\0{digest}\0".encode())


def _digest_tree(root: str, update, skip: tuple[str, ...] = ()) -> None:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and os.path.join(folder, d) not in skip)
        for name in sorted(files):
            if not name.endswith((".pyc", ".mo")):
                _digest_file(os.path.join(folder, name), update)


def files_in_tree(root: str, skip_search: bool = False) -> list[str]:
    """Every file below `root` as a normalised relative path (os.walk's order); `skip_search` leaves out the
    search index (SEARCH_FOLDER at the top)."""
    every = []
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        if skip_search and relative == ".":
            dirs[:] = [d for d in dirs if d != SEARCH_FOLDER]
        every += [os.path.normpath(os.path.join(relative, name)) for name in files]
    return every


def _stable(value) -> str:
    """repr of a setting that is the same from run to run (no memory addresses)."""
    if isinstance(value, (str, int, float, bool, type(None), date)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in sorted(value.items(), key=lambda i: str(i[0]))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_stable(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_stable(v) for v in value)) + "}"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def _library_versions() -> str:
    # The code a process has imported does not change while it runs: looked up once per process (the devserver).
    def look_up() -> str:
        found = []
        for name in _LIBRARIES:
            try:
                found.append(f"{name}={metadata.version(name)}")
            except metadata.PackageNotFoundError:
                pass
        return "".join(found)

    return current_memory().get(("library-versions",), look_up)


def _code(update, settings: dict) -> None:
    update(_stable({k: v for k, v in settings.items() if k.isupper() and k not in _VOLATILE}).encode())
    update(_library_versions().encode())
    _digest_tree(_PLUGIN, update)


def code_key(settings: dict) -> str:
    """How files are read: the settings, this plugin's code and the libraries' versions. Pelican's content
    cache trusts file times alone, so it lives in a folder named by this key (build.py)."""
    digest = hashlib.sha256()
    _code(digest.update, settings)
    return digest.hexdigest()[:16]


def site_key(settings: dict, today: date) -> str:
    """Everything every page may depend on, except the activities (those count per page)."""
    digest = hashlib.sha256()
    update = digest.update
    _code(update, settings)
    update(today.isoformat().encode())
    _digest_tree(os.path.abspath(settings["THEME"]), update)
    content = os.path.abspath(settings["PATH"])
    activities = tuple(os.path.join(content, folder) for folder in settings.get("ACTIVITY_PATHS", ()))
    _digest_tree(content, update, skip=activities)
    return digest.hexdigest()


def activity_digest(activity) -> str:
    """An activity's Markdown: the original and its translations (everything else is in the site key)."""
    digest = hashlib.sha256()
    paths = {activity.source_path, *(text.source_path for text in activity.texts.values() if text.source_path)}
    for path in sorted(paths):
        _digest_file(path, digest.update)
    return digest.hexdigest()


def folder_identity(path: str) -> tuple | None:
    """The output folder as this build left it: each atomic swap puts a new folder there (a new inode), and a
    preview's update keeps the folder it updates."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class OutputCache:
    """What the previous build wrote into `previous_output` (the output folder) and from which keys; the new
    build writes into `output` (its staging folder). `enabled` False: nothing is reused or remembered."""

    def __init__(self, settings: dict, today: date, activities, previous_output: str, output: str,
                 cache_root: str, enabled: bool, in_place: bool):
        self.enabled = enabled
        self.previous_output = previous_output
        self.output = output
        name = hashlib.sha256(os.path.abspath(previous_output).encode()).hexdigest()[:16]
        self.store = os.path.join(cache_root, "output", f"{name}.pickle")
        self.memo_store = os.path.join(cache_root, "output", f"{name}.memo.pickle")
        self.site = site_key(settings, today) if enabled else ""
        self.activities = {id(a): (a, activity_digest(a)) for a in activities}
        previous = self._load() if enabled else {}
        if previous and previous.get("folder") != folder_identity(previous_output):
            # Another build (another site of the repository, another settings file) has replaced the output
            # folder since: its files are not the ones this cache remembers.
            previous = {}
        same_site = previous.get("site") == self.site
        self.previous: dict[str, str] = previous.get("files", {}) if same_site else {}
        # Every file of the output folder but the search index, as the last build left it.
        self.previous_all: list[str] | None = previous.get("all")
        self.in_place = bool(enabled and in_place and self.previous_all is not None
                             and os.path.isdir(previous_output))
        # Small derived values, under keys that name all their inputs: the same rule as the devserver's memory.
        memos = previous.get("memo") if same_site else None
        self.memos: Memory = memos if isinstance(memos, Memory) else Memory(keep_builds=MEMO_BUILDS)
        self.memos.start_build()
        self.files: dict[str, str] = {}  # written this build: file → key
        self.reused = 0
        self.written: set[str] = set()  # files rendered (not reused) in this build
        self.final_files: list[str] | None = None  # what the output holds after a preview's update
        self._kept: dict[int, tuple] = {}

    def _load(self) -> dict:
        try:
            saved = current_memory().recall(("output-cache", self.store), file_stamp(self.store))
            if saved is not MISSING:
                return saved  # this process wrote it (the devserver): no need to read it back
            with open(self.store, "rb") as handle:
                data = pickle.load(handle)
            if not isinstance(data, dict):
                return {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return {}
        try:  # the memos are a file of their own, written only when they changed (save)
            with open(self.memo_store, "rb") as handle:
                memos = pickle.load(handle)
            if isinstance(memos, dict) and memos.get("site") == data.get("site"):
                data["memo"] = memos.get("memo")
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
        return data

    # --- keys ---------------------------------------------------------------------------------------------

    def _fingerprint(self, value, out: list) -> None:
        kind = type(value)
        handler = _BY_TYPE.get(kind)
        if handler is None:
            handler = _BY_TYPE[kind] = _handler_for(kind)
        handler(self, value, out)

    def _kept_fingerprint(self, value, out: list, handler) -> None:
        # Listings, weeks, terms and occurrences live all build and appear on many pages: fingerprinted once. The
        # entry holds the object, so its id cannot be reused by another one meanwhile.
        kept = self._kept.get(id(value))
        if kept is None or kept[0] is not value:
            parts: list[str] = []
            handler(self, value, parts)
            kept = self._kept[id(value)] = (value, "\x1e".join(parts))
        out.append(kept[1])

    def key(self, *parts) -> str | None:
        """The key of an output made from `parts`, or None when some part cannot be fingerprinted."""
        out: list[str] = [self.site]
        try:
            self._fingerprint(parts, out)
        except Uncacheable as error:
            log.debug("not cached (%s): %s", error, parts[:1])
            return None
        return hashlib.sha256("\x1f".join(out).encode()).hexdigest()

    def digest_of(self, activity) -> str:
        entry = self.activities.get(id(activity))
        if entry is None or entry[0] is not activity:
            raise Uncacheable("activity outside the build")
        return entry[1]

    # --- files --------------------------------------------------------------------------------------------

    def reuse(self, name: str, key: str | None) -> bool:
        """Link the previous build's `name` into the new output when it was made from the same key."""
        if key is None or not self.enabled or self.previous.get(name) != key:
            return False
        if self.in_place:  # a preview leaves the file where it is
            if not os.path.exists(os.path.join(self.previous_output, name)):
                return False
        else:
            source, target = os.path.join(self.previous_output, name), os.path.join(self.output, name)
            try:
                try:
                    os.link(source, target)
                except FileNotFoundError:  # its folder is not there yet (a folder's first file), or no source
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    os.link(source, target)
            except OSError:
                return False
        self.files[name] = key
        self.reused += 1
        return True

    @property
    def uncached(self) -> list[str]:
        """HTML pages written without a key."""
        return sorted(name for name in self.written if name.endswith(".html") and name not in self.files)

    def wrote(self, name: str, key: str | None) -> None:
        self.written.add(name)
        if key is not None:
            self.files[name] = key

    def reuse_copies(self, name: str) -> bool:
        """For a file this build linked unchanged: link the previous build's compressed copies of it too."""
        from .compress import COPIES

        if self.in_place or name not in self.files or name in self.written:
            return False
        for suffix in COPIES:
            source = os.path.join(self.previous_output, name + suffix)
            if os.path.exists(source):  # none when a copy was no smaller than the file
                try:
                    os.link(source, os.path.join(self.output, name + suffix))
                except FileExistsError:
                    pass
                except OSError:
                    return False
        return True

    def gone(self, produced: list[str]) -> list[str]:
        """A preview's update: files of the previous output that this build neither wrote (`produced`) nor
        kept, to be removed; what the folder holds afterwards is remembered for the next build."""
        keep = set(produced) | set(self.files)
        gone = [name for name in self.previous_all or () if name not in keep]
        index = SEARCH_FOLDER + os.sep
        self.final_files = sorted((set(self.previous_all or ()) - set(gone))
                                  | {name for name in produced if not name.startswith(index)})
        return gone

    def pages_key(self) -> str | None:
        """A digest of every HTML page of this build, or None when some page had no key."""
        if not self.enabled or self.uncached:
            return None
        digest = hashlib.sha256()
        for name in sorted(self.files):
            if name.endswith(".html"):
                digest.update(f"{name}\0{self.files[name]}\0".encode())
        return digest.hexdigest()

    def index_matches(self, pages: str) -> bool:
        """Whether the previous output's search index was made from exactly these pages (pages_key)."""
        return self.enabled and self.previous.get(INDEX) == pages

    def indexed(self, pages: str) -> None:
        """The new output's search index is the one of these pages."""
        self.files[INDEX] = pages

    def link_tree(self, folder: str) -> bool:
        """The previous output's `folder` (the search index) in the new output, whole; False when there is
        none. A preview leaves it where it is."""
        source = os.path.join(self.previous_output, folder)
        if not self.enabled or not os.path.isdir(source):
            return False
        if self.in_place:
            return True
        try:
            for path, _dirs, files in os.walk(source):
                target = os.path.join(self.output, os.path.relpath(path, self.previous_output))
                os.makedirs(target, exist_ok=True)
                for name in files:
                    os.link(os.path.join(path, name), os.path.join(target, name))
        except OSError:
            shutil.rmtree(os.path.join(self.output, folder), ignore_errors=True)
            return False
        return True

    def memo(self, key, compute):
        """A small derived value (bytes) kept between builds, under a key that names all its inputs. Kept
        for MEMO_BUILDS builds after its last use: a value behind a file that was linked is not used, but
        is needed again as soon as one input of that file changes."""
        return self.memos.get(key, compute)

    # --- between processes and builds ----------------------------------------------------------------------

    def report(self) -> dict:
        return {"files": self.files, "memo": self.memos.report(), "reused": self.reused, "written": self.written}

    def merge(self, report: dict) -> None:
        self.files.update(report["files"])
        self.memos.merge(report["memo"])
        self.reused += report["reused"]
        self.written |= report["written"]

    def forget(self) -> None:
        """Before a preview changes the output folder in place: no list on disk describes it until `save`."""
        try:
            os.remove(self.store)
        except OSError:
            pass

    def save(self, later: bool = False) -> None:
        """After the swap: the output folder now holds exactly what `files` lists. `later` (a preview, after
        `forget`): the list is written by a thread while the devserver serves the updated site; its next build
        waits for it."""
        os.makedirs(os.path.dirname(self.store), exist_ok=True)
        if not self.enabled:
            for path in (self.store, self.memo_store):
                if os.path.exists(path):
                    os.remove(path)
            return
        every = self.final_files if self.final_files is not None else files_in_tree(self.previous_output, True)
        self.memos.kept = {}  # only needed between the processes of one build
        files = {"site": self.site, "files": self.files, "all": every, "folder": folder_identity(self.previous_output)}
        memos = self.memos if self.memos.changed or not os.path.exists(self.memo_store) else None
        self.memos.changed = False
        memory = current_memory()

        def write() -> None:
            try:
                # The memos first: they are valid under their keys whatever the folder holds. A build that made
                # and dropped none (nothing changed) leaves their file as it is.
                if memos is not None:
                    _dump({"site": self.site, "memo": memos}, self.memo_store)
                _dump(files, self.store)
            except OSError as error:  # the next build renders what it cannot reuse
                log.warning("The output cache could not be written: %s", error)
                return
            memory.keep(("output-cache", self.store), {**files, "memo": self.memos}, file_stamp(self.store))

        if later:
            # Not a daemon: a process that ends (the devserver stopped) finishes the file first.
            thread = threading.Thread(target=write, name="output-cache")
            memory.keep(WRITING, thread)
            thread.start()
        else:
            write()


def _dump(data, path: str) -> None:
    partial = f"{path}.{os.getpid()}.tmp"
    with open(partial, "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def finish_writing(memory) -> None:
    """Before a build uses `memory`: the list a previous preview's build is still writing is complete."""
    thread = memory.recall(WRITING)
    if thread is not MISSING:
        thread.join()


# --- how the page values count -----------------------------------------------------------------------------
# By class name, so this module needs no imports from the models. Each names everything the value's
# rendering can show that is not already in the site key.


def _activity(cache, activity, out):
    out.append("A" + cache.digest_of(activity))


def _occurrence(cache, occ, out):
    # The rest of an occurrence (end, cancelled) follows from its activity's files and its start.
    out.append(f"O{cache.digest_of(occ.activity)}{occ.start.isoformat()}")


def _term(cache, term, out):
    # Vocabulary terms are in the site key; the language terms are made from the activities' languages.
    out.append(f"T{term.id}{term.label.values!r}{term.description.values!r}")


def _listing(cache, listing, out):
    out.append(f"L{listing.weeks}")
    cache._fingerprint(listing.activities, out)


def _week(cache, week, out):
    out.append(f"W{week.key}{week.first}")
    cache._fingerprint(week.days, out)
    for other in (week.previous, week.next):
        out.append("-" if other is None else f"{other.key}{other.days[0][0] if other.days else ''}")


def _season_programme(cache, programme, out):
    # A printed programme is made from its period and its activities (content/season.py).
    out.append(f"S{programme.period.slug}")
    cache._fingerprint(programme.activities, out)


def _content(cache, content, out):
    # Pelican's pages and news, health pages and films: their files are in the site key.
    out.append(f"C{type(content).__name__}{getattr(content, 'source_path', '')}{getattr(content, 'slug', '')}"
               f"{getattr(content, 'lang', '')}")


def _url_wrapper(cache, value, out):
    out.append(f"U{type(value).__name__}{value.name}")  # Pelican's category of a news item: from its file


def _global(cache, value, out):
    out.append(type(value).__name__)  # made from the site key's inputs alone


def _dataclass(cache, value, out):
    out.append(type(value).__name__)
    cache._fingerprint(dataclasses.astuple(value), out)


def _text(cache, value, out):
    out.append(f"X{value.values!r}{value.default_lang}")  # not the languages it has been asked for


def _plain(cache, value, out):
    out.append(repr(value))


def _when(cache, value, out):
    out.append(value.isoformat())


def _sequence(cache, value, out):
    out.append("[")
    by_type = _BY_TYPE  # _fingerprint's lookup, inline: lists of thousands of activities are common
    for item in value:
        handler = by_type.get(type(item))
        if handler is None:
            handler = by_type[type(item)] = _handler_for(type(item))
        handler(cache, item, out)
    out.append("]")


def _mapping(cache, value, out):
    out.append("{")
    for key in sorted(value, key=str):
        out.append(str(key))
        cache._fingerprint(value[key], out)
    out.append("}")


def _uncacheable(cache, value, out):
    raise Uncacheable(type(value).__name__)


def _handler_for(kind: type):
    """How values of a type count (found once per type, then looked up by the type itself)."""
    if issubclass(kind, (str, int, float, type(None))):  # bool is an int; Markup a str
        return _plain
    if issubclass(kind, (date, time)):  # datetime is a date
        return _when
    if issubclass(kind, (list, tuple)):
        return _sequence
    if issubclass(kind, dict):
        return _mapping
    handler = _FINGERPRINTS.get(kind.__name__, _uncacheable)
    if kind.__name__ in _KEPT:
        return lambda cache, value, out: cache._kept_fingerprint(value, out, handler)
    return handler


_BY_TYPE: dict[type, object] = {}
_KEPT = {"Listing", "Week", "Term", "Occurrence"}
_FINGERPRINTS = {
    "Activity": _activity, "Occurrence": _occurrence, "Term": _term, "Listing": _listing, "Week": _week,
    "Page": _content, "Article": _content, "HealthPage": _content, "Film": _content,
    "Category": _url_wrapper, "Tag": _url_wrapper, "Author": _url_wrapper, "Vocabularies": _global, "Text": _text,
    "FeedDirectory": _global, "Period": _dataclass, "SeasonProgramme": _season_programme,
}
