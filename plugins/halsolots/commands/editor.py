"""`python -m halsolots editor` (make editor): the preview with the form editor at /admin/, and decap-server on
127.0.0.1 so the editor reads and writes the files of this working copy (Decap's local backend).

decap-server (npm, node_modules/decap-server) runs in its `fs` mode: it writes files and commits nothing, so a
communicator's changes are theirs to check (`make check`, the preview's banner) and commit. It is stopped by
its own process when the preview stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from ..content.messages import gettext, normalise
from ..content.problems import N_
from .preview import PreviewState
from .options import add_settings_arguments

DECAP_SERVER = os.path.join("node_modules", "decap-server", "dist", "index.js")


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("editor", help="preview with the form editor at /admin/ and decap-server (local backend)")
    add_settings_arguments(cmd)
    cmd.add_argument("--output", default="output")
    cmd.add_argument("--port", type=int, default=8000)
    cmd.add_argument("--cms-port", type=int, default=8081, help="decap-server's port on 127.0.0.1")
    cmd.add_argument("--lang", default="sv", help="language of messages: sv (default) or en")
    cmd.set_defaults(func=lambda args: editor(args.settings, args.output, args.port, args.cms_port, args.lang))


def start_decap_server(repository: str, port: int, project: str | None = None) -> subprocess.Popen:
    """decap-server for `repository` on 127.0.0.1:`port` (its script from the project's node_modules)."""
    node = shutil.which("node") or "node"
    script = os.path.join(project or repository, DECAP_SERVER)
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": repository,
           "MODE": "fs", "LOG_LEVEL": "warn"}
    return subprocess.Popen([node, script], cwd=repository, env=env)


def editor(settings_file: str, output: str, port: int, cms_port: int, lang: str) -> int:
    from . import devserver

    lang = normalise(lang)
    project = os.path.dirname(os.path.abspath(settings_file))
    if not os.path.exists(os.path.join(project, DECAP_SERVER)):
        print(gettext(N_("The editor is not installed: run make editor (it runs npm ci first)."), lang),
              file=sys.stderr)
        return 1
    cms = start_decap_server(project, cms_port)
    # Stopped with SIGTERM too (not only Ctrl+C), decap-server is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        state = PreviewState(settings_file, lang, cms_port)
        ready = lambda server: print(gettext(N_("The editor is at http://{host}:{port}/admin/"), lang).format(  # noqa: E731
            host=server.server_address[0], port=server.server_address[1]), flush=True)
        return devserver.run(settings_file, output, port, lang, state=state, ready=ready)
    finally:
        cms.terminate()
        try:
            cms.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cms.kill()
