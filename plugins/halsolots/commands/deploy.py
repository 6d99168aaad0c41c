"""`deploy` and `rollback`: put the built site on the web server so that a visitor sees the old site or the new
one, never a mix (docs/production.md).

    TARGET/releases/20261201T230512Z-1a2b3c4d5e6f/   one folder per deploy, never changed once complete
    TARGET/current -> releases/20261201T230512Z-1a2b3c4d5e6f   the web server's root is TARGET/current

A deploy copies output/ into `releases/.partial-<name>/` (rsync: files that did not change are hard links to the
current release), renames it to `releases/<name>/` once complete, then switches `current` with one rename of a
new symlink over the old one (`ln -s` + `mv -T`), so every request is answered from one release. It keeps the
newest KEEP releases (and always the current one). `rollback` switches `current` to the release before it.

TARGET is a local folder or `[user@]host:folder` (rsync's form; the steps on the host run over ssh, or over
$RSYNC_RSH like rsync itself). One deploy at a time per TARGET.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time

KEEP = 5
RELEASES = "releases"
CURRENT = "current"
PARTIAL = ".partial-"
HEADERS = "nginx-headers.conf"  # read by nginx only when it (re)loads: a change needs a reload
NGINX_FILES = (HEADERS, "nginx-finder.conf")  # the finder's map too (it changes with the content)
_RELEASE = re.compile(r"^\d{8}T\d{6}Z-[A-Za-z0-9._-]+$")
_REMOTE = re.compile(r"^(?:[^/:@\s]+@)?[^/:\s]+:")
_STAMP = "%Y%m%dT%H%M%SZ"
_now = time.time  # the clock of release names (tests replace it)


class DeployError(Exception):
    """A deploy or rollback that cannot go on; the message says why (the site is left as it was)."""


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("deploy", help="copy the built site to TARGET/releases/<time>-<commit>/ and switch "
                                        "TARGET/current to it in one rename")
    cmd.add_argument("--target", required=True, help="a folder or [user@]host:folder (as rsync takes it)")
    cmd.add_argument("--output", default="output", help="the built site (default output/, from make publish)")
    cmd.add_argument("--keep", type=int, default=KEEP, help=f"releases to keep (default {KEEP})")
    cmd.add_argument("--commit", help="the commit in the release name (default: git rev-parse HEAD)")
    cmd.add_argument("--reload", help="a command run on the host after the switch, e.g. 'systemctl reload nginx'")
    cmd.set_defaults(func=lambda args: _run(lambda: deploy(args.output, args.target, args.keep, args.commit,
                                                              args.reload)))
    back = sub.add_parser("rollback", help="switch TARGET/current back to the release before it")
    back.add_argument("--target", required=True, help="a folder or [user@]host:folder")
    back.add_argument("--to", help="this release (a folder name in TARGET/releases) instead of the previous one")
    back.add_argument("--reload", help="a command run on the host after the switch")
    back.set_defaults(func=lambda args: _run(lambda: rollback(args.target, args.to, args.reload)))


def _run(step) -> int:
    try:
        step()
    except DeployError as error:
        print(f"Stopped: {error}", file=sys.stderr)
        return 1
    return 0


# --- the two commands -------------------------------------------------------------------------------------------


def deploy(output: str, target: str, keep: int = KEEP, commit: str | None = None, reload: str | None = None,
           say=print) -> str:
    """Copy `output` into a new release of `target` and make it current; returns the release's name."""
    if keep < 1:
        raise DeployError("--keep must be at least 1")
    _check_output(output)
    host = Target.parse(target)
    host.prepare()
    releases, previous = host.releases(), host.current()
    name = _new_name(releases, _commit(commit))
    host.upload(output, name, previous if previous in releases else None)
    host.switch(name)
    removed = _prunable([*releases, name], name, keep)
    host.remove(removed)
    say(f"Deployed {host}: {CURRENT} -> {RELEASES}/{name}" + (f" (was {previous})" if previous else "")
        + (f"; removed {len(removed)} old release(s)" if removed else ""))
    _after_switch(host, previous, name, reload, say)
    return name


def rollback(target: str, to: str | None = None, reload: str | None = None, say=print) -> str:
    """Make the release before the current one (or `to`) current again; returns its name."""
    host = Target.parse(target)
    releases, current = host.releases(), host.current()
    if to is not None:
        if to not in releases:
            raise DeployError(f"no release {to!r} in {host}/{RELEASES} (there are: {', '.join(releases) or 'none'})")
        chosen = to
    else:
        if current is None:
            raise DeployError(f"{host}/{CURRENT} points at no release: deploy first")
        older = [release for release in releases if release < current]
        if not older:
            raise DeployError(f"{current} is the oldest release in {host}/{RELEASES}: there is none to go back to")
        chosen = older[-1]
    host.switch(chosen)
    say(f"Rolled back {host}: {CURRENT} -> {RELEASES}/{chosen}" + (f" (was {current})" if current else ""))
    _after_switch(host, current, chosen, reload, say)
    return chosen


def _prunable(releases: list[str], current: str, keep: int) -> list[str]:
    """The releases beyond the newest `keep`, never the current one."""
    ordered = sorted(set(releases))
    return [release for release in ordered[:max(len(ordered) - keep, 0)] if release != current]


def _after_switch(host: Target, before: str | None, now: str, reload: str | None, say) -> None:
    if reload:
        host.run(reload)
        say(f"Ran: {reload}")
    elif before:
        changed = [name for name in NGINX_FILES if host.read(before, name) != host.read(now, name)]
        if changed:
            say(f"{' and '.join(changed)} changed: reload nginx (systemctl reload nginx) so it reads them")


def _check_output(output: str) -> None:
    if not os.path.isfile(os.path.join(output, "index.html")):
        raise DeployError(f"{output}/ holds no built site (no index.html): run make publish first")
    if not os.path.isfile(os.path.join(output, "sitemap.xml")):
        print(f"Note: {output}/ has no sitemap.xml, so it is not a make publish build (relative links, drafts?)",
              file=sys.stderr)


def _commit(commit: str | None) -> str:
    if not commit:
        try:
            commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                                    check=True).stdout.strip()
            changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                     text=True, check=True).stdout.strip()
            commit += "-dirty" if changed else ""
        except (OSError, subprocess.CalledProcessError):
            commit = "unknown"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", commit).strip("-.") or "unknown"


def _new_name(releases: list[str], commit: str) -> str:
    """`<UTC time>-<commit>`, later than every release there (so names sort in deploy order)."""
    newest = max((release.split("-", 1)[0] for release in releases), default="")
    for _attempt in range(30):
        stamp = time.strftime(_STAMP, time.gmtime(_now()))
        if stamp > newest:
            return f"{stamp}-{commit}"
        time.sleep(0.2)  # a deploy in the same second as the last one
    raise DeployError(f"the newest release ({newest}) is dated after now: check this machine's clock")


# --- where the releases live ------------------------------------------------------------------------------------


class Target:
    """A deploy target; `parse` gives a LocalTarget or a RemoteTarget."""

    def __init__(self, path: str):
        self.path = path.rstrip("/") or "/"

    @staticmethod
    def parse(text: str) -> Target:
        if not text:
            raise DeployError("give a target: make deploy TARGET=/srv/halsolots (or TARGET=user@host:/srv/halsolots)")
        if _REMOTE.match(text) and not os.path.exists(text):
            host, path = text.split(":", 1)
            return RemoteTarget(host, path or ".")
        return LocalTarget(os.path.abspath(text))

    def releases(self) -> list[str]:
        return sorted(name for name in self._names() if _RELEASE.match(name))

    def current(self) -> str | None:
        link = self._link()
        if not link:
            return None
        parent, name = os.path.split(os.path.normpath(link))
        return name if os.path.basename(parent) == RELEASES and _RELEASE.match(name) else None

    def _rsync(self, output: str, destination: str, link_dest: str | None) -> None:
        # --checksum: a file is hard-linked from the current release only when its bytes are the same (size and
        # time alone could match for a changed file of the same length written in the same second).
        command = ["rsync", "-rlpt", "--checksum", "--chmod=D755,F644"]
        if link_dest:
            command.append(f"--link-dest=../{link_dest}")  # relative to the destination folder
        command += [os.path.join(output, ""), destination + "/"]
        _call(command)


class LocalTarget(Target):
    def __str__(self) -> str:
        return self.path

    def prepare(self) -> None:
        folder = os.path.join(self.path, RELEASES)
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.startswith(PARTIAL):  # left by an interrupted deploy
                shutil.rmtree(os.path.join(folder, name), ignore_errors=True)

    def _names(self) -> list[str]:
        try:
            return os.listdir(os.path.join(self.path, RELEASES))
        except FileNotFoundError:
            return []

    def _link(self) -> str | None:
        try:
            return os.readlink(os.path.join(self.path, CURRENT))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise DeployError(f"{self.path}/{CURRENT} is not a symlink ({error.strerror}): move it away once") from None

    def upload(self, output: str, name: str, link_dest: str | None) -> None:
        partial = os.path.join(self.path, RELEASES, PARTIAL + name)
        if shutil.which("rsync"):
            self._rsync(output, partial, link_dest)
        else:
            shutil.copytree(output, partial, symlinks=True)
        os.rename(partial, os.path.join(self.path, RELEASES, name))

    def switch(self, name: str) -> None:
        temporary = os.path.join(self.path, f".{CURRENT}-{os.getpid()}")
        if os.path.lexists(temporary):
            os.unlink(temporary)
        os.symlink(os.path.join(RELEASES, name), temporary)
        try:
            os.replace(temporary, os.path.join(self.path, CURRENT))  # one rename: atomic
        except OSError as error:
            os.unlink(temporary)
            raise DeployError(f"{self.path}/{CURRENT} cannot be replaced ({error.strerror}): if it is a folder, "
                              "move it away once") from None

    def remove(self, names: list[str]) -> None:
        for name in names:
            shutil.rmtree(os.path.join(self.path, RELEASES, name), ignore_errors=True)

    def read(self, release: str, name: str) -> bytes | None:
        try:
            with open(os.path.join(self.path, RELEASES, release, name), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def run(self, command: str) -> None:
        _call(command, shell=True)


class RemoteTarget(Target):
    """`host:folder`: rsync copies, ssh ($RSYNC_RSH, like rsync) runs the other steps with POSIX sh and GNU mv."""

    def __init__(self, host: str, path: str):
        super().__init__(path)
        self.host = host
        self.ssh = shlex.split(os.environ.get("RSYNC_RSH") or "ssh")

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"

    def _sh(self, script: str, check: bool = True) -> subprocess.CompletedProcess:
        return _call([*self.ssh, self.host, script], capture=True, check=check)

    def _q(self, *parts: str) -> str:
        return shlex.quote(os.path.join(self.path, *parts))

    def prepare(self) -> None:
        self._sh(f"mkdir -p {self._q(RELEASES)} && rm -rf {self._q(RELEASES)}/{PARTIAL}*")

    def _names(self) -> list[str]:
        return self._sh(f"ls -1A {self._q(RELEASES)} 2>/dev/null || true").stdout.splitlines()

    def _link(self) -> str | None:
        current = self._q(CURRENT)
        out = self._sh(f"if [ -L {current} ]; then readlink {current}; elif [ -e {current} ]; then echo '!'; fi").stdout
        if out.strip() == "!":
            raise DeployError(f"{self}/{CURRENT} is not a symlink: move it away once")
        return out.strip() or None

    def upload(self, output: str, name: str, link_dest: str | None) -> None:
        self._rsync(output, f"{self.host}:{os.path.join(self.path, RELEASES, PARTIAL + name)}", link_dest)
        self._sh(f"mv -T {self._q(RELEASES, PARTIAL + name)} {self._q(RELEASES, name)}")

    def switch(self, name: str) -> None:
        temporary = self._q(f".{CURRENT}-{os.getpid()}")
        self._sh(f"rm -f {temporary} && ln -s {shlex.quote(os.path.join(RELEASES, name))} {temporary} "
                 f"&& mv -T {temporary} {self._q(CURRENT)}")

    def remove(self, names: list[str]) -> None:
        if names:
            self._sh("rm -rf " + " ".join(self._q(RELEASES, name) for name in names))

    def read(self, release: str, name: str) -> bytes | None:
        result = self._sh(f"cat {self._q(RELEASES, release, name)}", check=False)
        return result.stdout.encode() if result.returncode == 0 else None

    def run(self, command: str) -> None:
        self._sh(command)


def _call(command, shell: bool = False, capture: bool = False, check: bool = True) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, shell=shell, text=True, capture_output=capture)
    except OSError as error:
        raise DeployError(f"{command[0] if isinstance(command, list) else command}: {error.strerror}") from None
    if check and result.returncode != 0:
        shown = command if isinstance(command, str) else shlex.join(command)
        detail = (result.stderr or "").strip().splitlines()[-1:] if capture else []
        raise DeployError(f"{shown} failed (exit {result.returncode})" + (f": {detail[0]}" if detail else ""))
    return result
