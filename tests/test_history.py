"""When an activity last changed (content/history.py): the last commit's time for committed files, the file's
own time for an edit not yet committed or a file Git does not know, and the file's time without Git."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone

from halsolots.content.history import last_changes


def git(folder, *args, when="2026-11-20T10:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def test_commit_times_then_file_times_for_what_is_not_committed(tmp_path):
    repo = tmp_path / "repo"
    content = repo / "content" / "aktiviteter"
    content.mkdir(parents=True)
    git(repo, "init", "-q")
    (content / "a.md").write_text("Title: A\n")
    (content / "b.md").write_text("Title: B\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one", when="2026-11-20T10:00:00+00:00")
    (content / "b.md").write_text("Title: B, edited\n")
    git(repo, "commit", "-q", "-am", "two", when="2026-11-25T08:30:00+00:00")
    (content / "a.md").write_text("Title: A, not committed\n")
    os.utime(content / "a.md", (1_800_000_000, 1_800_000_000))
    (content / "c.md").write_text("Title: C\n")
    os.utime(content / "c.md", (1_800_000_100, 1_800_000_100))
    (content / "d.md").write_text("Title: D\n")
    paths = [str(content / name) for name in ("a.md", "b.md", "c.md")]
    changes = last_changes(str(repo / "content"), paths)
    assert changes == {
        paths[0]: datetime.fromtimestamp(1_800_000_000, timezone.utc),  # edited since its commit
        paths[1]: datetime(2026, 11, 25, 8, 30, tzinfo=timezone.utc),  # its last commit
        paths[2]: datetime.fromtimestamp(1_800_000_100, timezone.utc),  # Git does not know it
    }
    # A clean checkout elsewhere, whatever its file times: the same times (deterministic).
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    other = [str(clone / "content" / "aktiviteter" / "b.md")]
    assert last_changes(str(clone / "content"), other) == {other[0]: datetime(2026, 11, 25, 8, 30, tzinfo=timezone.utc)}


def test_without_git_every_file_counts_by_its_own_time(tmp_path):
    (tmp_path / "a.md").write_text("Title: A\n")
    os.utime(tmp_path / "a.md", (1_790_000_000, 1_790_000_000))
    assert last_changes(str(tmp_path), [str(tmp_path / "a.md")]) == {
        str(tmp_path / "a.md"): datetime.fromtimestamp(1_790_000_000, timezone.utc)}


def test_a_file_of_another_site_in_the_repository_counts_by_its_commit(tmp_path):
    """Also-in: a site lists another site's activity; its time is that file's last commit, not its checkout time."""
    repo = tmp_path / "repo"
    home = repo / "content" / "aktiviteter"
    other = repo / "sites" / "syd" / "content" / "aktiviteter"
    for folder in (home, other):
        folder.mkdir(parents=True)
    (home / "guest.md").write_text("Title: Guest\n")
    (other / "own.md").write_text("Title: Own\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one", when="2026-11-20T10:00:00+00:00")
    for path in (home / "guest.md", other / "own.md"):
        os.utime(path, (1_800_000_000, 1_800_000_000))  # as a later checkout leaves them
    paths = [str(other / "own.md"), str(home / "guest.md")]
    changes = last_changes(str(repo / "sites" / "syd" / "content"), paths)
    committed = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    assert changes == {paths[0]: committed, paths[1]: committed}
