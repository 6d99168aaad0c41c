"""What one process keeps from build to build (the devserver): one object, one rule.

Every entry is stored under a key together with the *stamp* of its inputs (file times and sizes, the code
key, the vocabularies' stamps…): it is handed out only while the caller's stamp is the same, and it is
dropped when no build has used it for `keep_builds` builds. The devserver owns a `Memory` and makes it the
current one while it builds (`remembering`); a plain `make html` keeps nothing (`NO_MEMORY`). Modules ask
`current()` instead of keeping dictionaries of their own.
"""

from __future__ import annotations

import contextlib
import contextvars

MISSING = object()


class Memory:
    def __init__(self, keep_builds: int = 20):
        self.keep_builds = keep_builds
        self.build = 0
        self._entries: dict = {}  # key → [stamp, value, build that last used it]
        self.kept: dict = {}  # key → (stamp, value), stored during the running build (a child reports them)
        self._used: set | None = None  # keys a forked output process used (its report), else None
        self.changed = False  # an entry kept or dropped since the owner last saved it (the output cache's memos)

    def recall(self, key, stamp=None):
        """The value kept under `key` for inputs with this `stamp`, else MISSING."""
        entry = self._entries.get(key)
        if entry is None or entry[0] != stamp:
            return MISSING
        entry[2] = self.build
        if self._used is not None:
            self._used.add(key)
        return entry[1]

    def get(self, key, compute, stamp=None):
        """The value kept under `key` for this `stamp`, else `compute()`, kept."""
        value = self.recall(key, stamp)
        return self.keep(key, compute(), stamp) if value is MISSING else value

    def keep(self, key, value, stamp=None):
        self._entries[key] = [stamp, value, self.build]
        self.kept[key] = (stamp, value)
        self.changed = True
        return value

    def start_build(self) -> None:
        self.build += 1
        self.kept = {}
        oldest = self.build - self.keep_builds
        for key in [key for key, entry in self._entries.items() if entry[2] <= oldest]:
            del self._entries[key]
            self.changed = True

    # A forked output process keeps things too: what it stored and used comes back to the parent.
    def start_share(self) -> None:
        """In a forked output process: from now on, note what is kept and used for the report."""
        self.kept = {}
        self._used = set()

    def report(self) -> dict:
        used = [key for key in self._used or () if key not in self.kept]
        return {"kept": self.kept, "used": used}

    def merge(self, report: dict) -> None:
        for key, (stamp, value) in report["kept"].items():
            self._entries[key] = [stamp, value, self.build]
            self.changed = True
        for key in report["used"]:
            if key in self._entries:
                self._entries[key][2] = self.build


class _NoMemory(Memory):
    """Keeps nothing: every recall misses (a one-off build has nothing to remember for)."""

    def recall(self, key, stamp=None):
        return MISSING

    def keep(self, key, value, stamp=None):
        return value


NO_MEMORY = _NoMemory()
_current: contextvars.ContextVar[Memory] = contextvars.ContextVar("memory", default=NO_MEMORY)


def current() -> Memory:
    return _current.get()


@contextlib.contextmanager
def remembering(memory: Memory):
    """Build with `memory` as the current one."""
    token = _current.set(memory)
    try:
        yield memory
    finally:
        _current.reset(token)
