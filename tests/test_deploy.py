"""`make deploy` / `make rollback` (commands/deploy.py): releases in TARGET/releases/, `current` switched in one
rename, old releases pruned, rollback; local and `host:folder` targets; and a visitor during a deploy gets the old
site or the new one, never a mix or a 404 (requests in a loop on 127.0.0.1, with nginx and with `make serve`)."""

from __future__ import annotations

import http.client
import itertools
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from halsolots.commands import cli
from halsolots.commands import deploy
from test_nginx import SERVER, running_nginx, running_serve

RSYNC = shutil.which("rsync")
needs_rsync = pytest.mark.skipif(not RSYNC, reason="rsync is not installed (make test installs it)")
START = 1796166300.0  # 2026-12-01 23:05 UTC


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Release names from a clock that moves a second at each look, so tests need not wait for a new second."""
    ticks = itertools.count()
    monkeypatch.setattr(deploy, "_now", lambda: START + next(ticks))


def make_site(folder: Path, version: str, pages: int = 5) -> Path:
    """A small built site: pages that name their version, a file that never changes, the build's headers file."""
    for number in range(pages):
        page = folder / ("index.html" if number == 0 else f"sida-{number}/index.html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<!doctype html><title>{version}</title><p>page {number} of {version}</p>\n", encoding="utf-8")
    (folder / "sitemap.xml").write_text(f"<urlset><!-- {version} --></urlset>\n", encoding="utf-8")
    (folder / "nginx-headers.conf").write_text('add_header X-Content-Type-Options "nosniff" always;\n',
                                               encoding="utf-8")
    (folder / "theme").mkdir(exist_ok=True)
    shutil.copy2(REPO / "theme" / "static" / "css" / "base.css", folder / "theme" / "site.css")
    return folder


def version(target: Path) -> str:
    return (target / "current" / "index.html").read_text(encoding="utf-8").split("<title>")[1].split("<")[0]


def releases(target: Path) -> list[str]:
    return sorted(os.listdir(target / "releases"))


def quiet(*_args, **_kwargs) -> None:
    pass


# --- releases, the switch, pruning and rollback ----------------------------------------------------------------


@pytest.mark.parametrize("copier", [pytest.param("rsync", marks=needs_rsync), "shutil"])
def test_deploy_twice_then_roll_back(tmp_path, monkeypatch, copier):
    if copier == "shutil":
        monkeypatch.setattr(deploy.shutil, "which", lambda name: None)
    target = tmp_path / "srv"
    first = deploy.deploy(str(make_site(tmp_path / "a", "A")), str(target), commit="aaaa", say=quiet)
    assert first == "20261201T230500Z-aaaa"
    assert os.readlink(target / "current") == "releases/20261201T230500Z-aaaa"  # relative: the folder can move
    assert version(target) == "A" and releases(target) == [first]
    second = deploy.deploy(str(make_site(tmp_path / "b", "B")), str(target), commit="bbbb", say=quiet)
    assert releases(target) == [first, second] and second > first
    assert os.readlink(target / "current") == f"releases/{second}" and version(target) == "B"
    assert (target / "releases" / first / "index.html").read_text(encoding="utf-8").count("A") == 2  # untouched
    css = [(target / "releases" / name / "theme" / "site.css").stat() for name in (first, second)]
    if copier == "rsync":  # an unchanged file is a hard link to the previous release's copy, not a new copy
        assert css[0].st_ino == css[1].st_ino
    assert oct(css[1].st_mode & 0o777) == "0o644"

    assert deploy.rollback(str(target), say=quiet) == first
    assert version(target) == "A" and releases(target) == [first, second]  # the newer release stays
    with pytest.raises(deploy.DeployError, match="oldest release"):
        deploy.rollback(str(target), say=quiet)
    assert deploy.rollback(str(target), to=second, say=quiet) == second and version(target) == "B"
    third = deploy.deploy(str(make_site(tmp_path / "c", "C")), str(target), commit="cccc", say=quiet)
    assert version(target) == "C" and releases(target) == [first, second, third]
    assert not [name for name in os.listdir(target) if name not in ("releases", "current")]  # no temporary link


def test_old_releases_are_pruned(tmp_path):
    target = tmp_path / "srv"
    names = [deploy.deploy(str(make_site(tmp_path / f"v{n}", f"V{n}")), str(target), keep=3, commit=f"c{n}",
                           say=quiet) for n in range(6)]
    assert releases(target) == names[-3:] and version(target) == "V5"
    deploy.rollback(str(target), say=quiet)
    deploy.rollback(str(target), say=quiet)
    assert version(target) == "V3"
    newest = deploy.deploy(str(make_site(tmp_path / "v6", "V6")), str(target), keep=2, commit="c6", say=quiet)
    assert releases(target) == [names[5], newest] and version(target) == "V6"


def test_the_release_name_has_the_time_and_the_commit(tmp_path, monkeypatch):
    target = tmp_path / "srv"
    name = deploy.deploy(str(make_site(tmp_path / "a", "A")), str(target), say=quiet)
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True, text=True)
    assert name.startswith(f"20261201T230500Z-{head.stdout.strip()}")
    # Two deploys in the same second: the second waits for the next one, so names sort in deploy order.
    monkeypatch.setattr(deploy, "_now", iter([START + 9, START + 9, START + 9.5, START + 10]).__next__)
    monkeypatch.setattr(deploy.time, "sleep", lambda seconds: None)
    one = deploy.deploy(str(make_site(tmp_path / "b", "B")), str(target), commit="ffff", say=quiet)
    two = deploy.deploy(str(make_site(tmp_path / "c", "C")), str(target), commit="0000", say=quiet)
    assert (one, two) == ("20261201T230509Z-ffff", "20261201T230510Z-0000")
    assert deploy.rollback(str(target), say=quiet) == one


def test_an_interrupted_deploy_is_never_a_release(tmp_path):
    target = tmp_path / "srv"
    first = deploy.deploy(str(make_site(tmp_path / "a", "A")), str(target), commit="aaaa", say=quiet)
    partial = target / "releases" / ".partial-20261201T235900Z-half"
    (partial / "sida-1").mkdir(parents=True)  # what a killed copy leaves behind
    with pytest.raises(deploy.DeployError, match="oldest"):
        deploy.rollback(str(target), say=quiet)
    second = deploy.deploy(str(make_site(tmp_path / "b", "B")), str(target), commit="bbbb", say=quiet)
    assert releases(target) == [first, second] and not partial.exists()


def test_nothing_changes_when_the_deploy_cannot_go_on(tmp_path, capsys):
    target = tmp_path / "srv"
    (target / "current").mkdir(parents=True)  # an old hand-copied site where the link belongs
    (target / "current" / "index.html").write_text("old", encoding="utf-8")
    site = make_site(tmp_path / "a", "A")
    assert cli.main(["deploy", "--target", str(target), "--output", str(site), "--commit", "aaaa"]) == 1
    err = capsys.readouterr().err
    assert "current is not a symlink" in err and "move it away" in err
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "old"
    assert cli.main(["deploy", "--target", str(tmp_path / "t"), "--output", str(tmp_path / "nothing")]) == 1
    assert "no built site" in capsys.readouterr().err and not (tmp_path / "t").exists()
    assert cli.main(["deploy", "--target", "", "--output", str(site)]) == 1
    assert "make deploy TARGET=/srv/halsolots" in capsys.readouterr().err


def test_the_command_line_and_the_makefile(tmp_path, capsys):
    target = tmp_path / "srv"
    site = make_site(tmp_path / "a", "A")
    assert cli.main(["deploy", "--target", str(target), "--output", str(site), "--commit", "aaaa"]) == 0
    assert cli.main(["deploy", "--target", str(target), "--output", str(make_site(tmp_path / "b", "B")),
                     "--commit", "bbbb", "--keep", "1"]) == 0
    out = capsys.readouterr().out
    assert f"Deployed {target}: current -> releases/20261201T230501Z-bbbb (was 20261201T230500Z-aaaa)" in out
    assert "removed 1 old release" in out and len(releases(target)) == 1
    assert cli.main(["rollback", "--target", str(target)]) == 1  # nothing left to go back to
    made = subprocess.run(["make", "-n", "deploy", "rollback", f"TARGET={target}", "KEEP=3"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert f'-m halsolots deploy --target "{target}" --keep 3' in made
    assert f'-m halsolots rollback --target "{target}"' in made


def test_a_change_of_the_headers_asks_for_a_reload_or_runs_it(tmp_path):
    target = tmp_path / "srv"
    said = []
    deploy.deploy(str(make_site(tmp_path / "a", "A")), str(target), commit="aaaa", say=said.append)
    deploy.deploy(str(make_site(tmp_path / "b", "B")), str(target), commit="bbbb", say=said.append)
    assert not [line for line in said if "reload" in line]
    changed = make_site(tmp_path / "c", "C")
    (changed / "nginx-headers.conf").write_text('add_header X-Frame-Options "DENY" always;\n', encoding="utf-8")
    deploy.deploy(str(changed), str(target), commit="cccc", say=said.append)
    assert "nginx-headers.conf changed: reload nginx" in said[-1]
    marker = tmp_path / "reloaded"
    deploy.rollback(str(target), reload=f"touch {marker}", say=said.append)
    assert marker.exists() and said[-1] == f"Ran: touch {marker}"


@needs_rsync
def test_a_remote_target_over_ssh(tmp_path, monkeypatch):
    """`host:folder`: rsync and the steps over ssh. A stand-in for ssh runs the commands here (no ssh server)."""
    fake_ssh = tmp_path / "fake-ssh"
    fake_ssh.write_text('#!/bin/sh\n# ssh HOST COMMAND…, run here\n'
                        'while [ $# -gt 0 ]; do case "$1" in -l|-p|-o|-i) shift 2;; -*) shift;; *) break;; esac; done\n'
                        'shift\nexec sh -c "$*"\n', encoding="utf-8")
    fake_ssh.chmod(0o755)
    monkeypatch.setenv("RSYNC_RSH", str(fake_ssh))
    folder = tmp_path / "remote folder"  # a space, to check the quoting
    remote = f"web.example:{folder}"
    assert isinstance(deploy.Target.parse(remote), deploy.RemoteTarget)
    first = deploy.deploy(str(make_site(tmp_path / "a", "A")), remote, commit="aaaa", say=quiet)
    second = deploy.deploy(str(make_site(tmp_path / "b", "B")), remote, commit="bbbb", keep=2, say=quiet)
    assert releases(folder) == [first, second] and version(folder) == "B"
    assert os.readlink(folder / "current") == f"releases/{second}"
    css = [(folder / "releases" / name / "theme" / "site.css").stat().st_ino for name in (first, second)]
    assert css[0] == css[1]
    assert deploy.rollback(remote, say=quiet) == first and version(folder) == "A"
    third = deploy.deploy(str(make_site(tmp_path / "c", "C")), remote, commit="cccc", keep=2, say=quiet)
    assert releases(folder) == [second, third] and version(folder) == "C"
    assert sorted(os.listdir(folder)) == ["current", "releases"]


# --- a visitor during a deploy --------------------------------------------------------------------------------


def marked_copy(site: Path, folder: Path, mark: str) -> dict[str, bytes]:
    """A copy of a built site whose every page carries `mark`; returns URL path → bytes of what it serves."""
    shutil.copytree(site, folder, symlinks=True)
    served = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            assert "</body>" in text, relative
            path.write_text(text.replace("</body>", f"<!-- build {mark} --></body>"), encoding="utf-8")
            served["/" + relative.removesuffix("index.html")] = path.read_bytes()
        elif path.suffix in (".css", ".ics", ".json") and path.is_file():
            served["/" + relative] = path.read_bytes()
    return served


@pytest.mark.parametrize("kind", [pytest.param("nginx", marks=SERVER), "serve"])
def test_a_visitor_during_a_deploy_sees_the_old_site_or_the_new_one(kind, demo_site, tmp_path):
    old = marked_copy(demo_site, tmp_path / "old", "OLD")
    new = marked_copy(demo_site, tmp_path / "new", "NEW")
    urls = sorted(set(old) & set(new))
    assert len(urls) > 300
    target = tmp_path / "srv"
    deploy.deploy(str(tmp_path / "old"), str(target), commit="old", say=quiet)
    responses: list[tuple[float, str, int, bytes]] = []  # started, URL, status, body
    done = threading.Event()
    # Bounded in count and time; each visitor paces itself, so a slow deploy (a loaded machine) still sees
    # visits before and after its switch within the count.
    limit, deadline = 10000, time.monotonic() + 60

    def visit(base: str, offset: int) -> None:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)  # keep-alive where the server allows
        for url in itertools.islice(itertools.cycle(urls), offset, None):
            if done.is_set() or len(responses) >= limit or time.monotonic() > deadline:
                break
            started = time.monotonic()
            connection.request("GET", url)
            response = connection.getresponse()
            responses.append((started, url, response.status, response.read()))
            time.sleep(0.002)
        connection.close()

    def seen(mark: str) -> int:
        return sum(1 for _t, url, _s, body in responses if body == (old if mark == "OLD" else new)[url])

    if kind == "nginx":
        server = running_nginx(tmp_path / "nginx", target / "current")
    else:
        server = running_serve(target / "current")
    with server as running:
        base = running.url if kind == "nginx" else running
        visitors = [threading.Thread(target=visit, args=(base, n * len(urls) // 3)) for n in range(3)]
        for visitor in visitors:
            visitor.start()
        while seen("OLD") < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        deploy.deploy(str(tmp_path / "new"), str(target), commit="new", say=quiet)
        switched = time.monotonic()
        while sum(1 for started, *_ in responses if started > switched) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        done.set()
        for visitor in visitors:
            visitor.join(timeout=30)
    assert len(responses) <= limit + len(visitors)
    for started, url, status, body in responses:
        assert status == 200, (url, status)
        assert body in (old[url], new[url]), f"{url}: neither the old nor the new file"
        if started > switched:
            assert body == new[url], f"{url}: the old site after the switch"
    assert seen("OLD") >= 30 and sum(1 for started, *_ in responses if started > switched) >= 100
    assert seen("NEW") >= 100
