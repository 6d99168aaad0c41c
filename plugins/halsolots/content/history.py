"""When a content file last changed: the time of the last Git commit that touched it, or its modification time
when it is not committed as it is (edited, new, or the site is not in a Git repository).

Calendar feeds derive SEQUENCE and LAST-MODIFIED from it, so an edit reaches subscribers without anyone
remembering to change `Modified:`. It is cheap and deterministic: one `git log`, one `git diff` and one `git ls-files`
for all files of a build (never one call per file), and a clean checkout of a commit gives the same times on every
machine (commit times are in the history; file times only count for files that differ from it).
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone

_GIT_TIMEOUT = 60


def _git(root: str, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, timeout=_GIT_TIMEOUT,
                                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def last_changes(root: str, paths: list[str]) -> dict[str, datetime]:
    """Path (as given, below `root`) → when it last changed, in UTC, to the second."""
    root = os.path.abspath(root)
    top = _git(root, "rev-parse", "--show-toplevel")
    if top and top.strip():
        # Relative to the repository, not the content folder: another site's activity listed here (Also-in)
        # counts by its commits too, not by the time its file was checked out.
        root = top.strip()
    folders_of: dict[str, str] = {}  # a folder's path relative to root, worked out once a folder

    def relative_name(path: str) -> str:
        folder, name = os.path.split(os.path.abspath(path))
        if folder not in folders_of:
            folders_of[folder] = os.path.relpath(folder, root)
        return name if folders_of[folder] == "." else os.path.join(folders_of[folder], name)

    relative = {relative_name(path): path for path in paths}
    committed: dict[str, int] = {}
    folders = sorted({os.path.dirname(name) or "." for name in relative})
    log = _git(root, "log", "--format=%x01%ct", "--name-only", "--relative", "--no-renames", "-z", "--", *folders)
    dirty: set[str] = set(relative)  # without Git every file counts by its own time
    if log is not None:
        # Files that differ from the last commit (staged or not), and files Git does not know: paths relative
        # to `root` like the log's.
        edited = _git(root, "diff", "--name-only", "--relative", "--no-renames", "-z", "HEAD", "--", *folders)
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *folders)
        if edited is not None and untracked is not None:
            when = 0
            for field in log.split("\0"):
                field = field.strip("\n")
                if field.startswith("\x01"):
                    head, _, first = field[1:].partition("\n")
                    when = int(head)
                    field = first.strip("\n")
                if field and field not in committed:
                    committed[field] = when  # newest first: the first time a file is named is its last change
            changed = set(filter(None, edited.split("\0") + untracked.split("\0")))
            dirty = {name for name in relative if name in changed or name not in committed}
    result = {}
    for name, path in relative.items():
        if name in dirty:
            try:
                seconds = int(os.stat(path).st_mtime)
            except OSError:
                continue
        else:
            seconds = committed[name]
        result[path] = datetime.fromtimestamp(seconds, timezone.utc)
    return result
