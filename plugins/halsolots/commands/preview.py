"""What only the preview serves (make devserver, make editor), never the public site:

- `/admin/`: the form editor (Decap CMS from node_modules/decap-cms/dist, same origin, no CDN) with its
  `config.yml` made at each request from the field descriptions and the vocabularies (content/editor.py);
- a banner on the pages while the last rebuild failed: each content problem in plain Swedish (file, line, field,
  what to do), injected into the served HTML by this handler; it is gone after the next build that succeeds.

The built output never holds either, so `make publish` cannot ship them (tests/test_editor.py checks).
"""

from __future__ import annotations

import html
import io
import json
import os
import threading
from urllib.parse import unquote, urlsplit

import yaml

from .serve import SiteRequestHandler

ADMIN_ASSETS = os.path.join(os.path.dirname(__file__), "admin")
DECAP_DIST = os.path.join("node_modules", "decap-cms", "dist")
_BODY_TAG = b"<body"


class PreviewState:
    """What the devserver knows between builds: the settings file and the problems of the last failed build."""

    def __init__(self, settings_file: str = "pelicanconf.py", lang: str = "sv", local_port: int = 8081):
        self.settings_file = os.path.abspath(settings_file)
        self.project = os.path.dirname(self.settings_file)
        self.lang = lang
        self.local_port = local_port
        self._lock = threading.Lock()
        self._problems: list | None = None  # None: the last build succeeded
        self.root: str | None = None  # problems' paths are shown from here (the project folder)

    def failed(self, problems: list, root: str | None = None) -> None:
        with self._lock:
            self._problems = list(problems)
            self.root = root

    def succeeded(self) -> None:
        with self._lock:
            self._problems = None

    @property
    def problems(self) -> list | None:
        with self._lock:
            return self._problems

    def settings(self) -> dict:
        from ..build.build import load_settings

        settings = load_settings(self.settings_file)
        settings.setdefault("EDITOR_REPOSITORY", self.project)
        if not os.path.isabs(settings["PATH"]):
            settings["PATH"] = os.path.join(self.project, settings["PATH"])
        return settings


def banner(problems: list, root: str | None, lang: str) -> bytes:
    """The banner's HTML: what is wrong, where, and what to do, in the communicator's words."""
    from ..content.messages import gettext
    from ..content.problems import N_

    errors = [p for p in problems if p.severity == "error"]
    heading = gettext(N_("The preview is not up to date: the content has mistakes"), lang)
    intro = gettext(N_("The page below is the last version that worked. Fix these, save, and reload the page:"), lang)
    items = []
    for problem in sorted(errors):
        path = os.path.relpath(problem.path, root) if root else problem.path
        where = gettext(N_("{file}, line {line}, field {field}"), lang).format(file=path, line=problem.line,
                                                                               field=problem.field)
        todo = problem.text(problem.expected, lang)
        items.append(f'<li><strong>{html.escape(where)}</strong>: {html.escape(problem.text(problem.message, lang))}'
                     + (f'<br>{html.escape(gettext(N_("What to do:"), lang))} {html.escape(todo)}' if todo else "")
                     + "</li>")
    if not items:
        items.append(f"<li>{html.escape(gettext(N_('The build failed; the terminal says why.'), lang))}</li>")
    return (f'<link rel="stylesheet" href="/_preview/problems.css"><section class="preview-problems" role="alert" '
            f'aria-labelledby="preview-problems-heading"><h2 id="preview-problems-heading">{html.escape(heading)}</h2>'
            f'<p>{html.escape(intro)}</p><ul>{"".join(items)}</ul></section>').encode("utf-8")


BANNER_CSS = b""".preview-problems{background:#fff4e5;border:3px solid #b35900;color:#1a1a1a;margin:0;padding:1rem 1.5rem;
font:1rem/1.5 system-ui,sans-serif}.preview-problems h2{font-size:1.25rem;margin:0 0 .5rem}
.preview-problems ul{margin:.5rem 0 0;padding-left:1.25rem}.preview-problems li{margin:.25rem 0;overflow-wrap:anywhere}
"""


class PreviewRequestHandler(SiteRequestHandler):
    """The site as `serve` serves it, plus /admin/ and the problem banner; `state` is the devserver's."""

    state: PreviewState = PreviewState()

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if path == "/admin":
            self.send_response(301)
            self.send_header("Location", "/admin/")
            self.end_headers()
            return None
        if path.startswith("/admin/"):
            return self._admin(path[len("/admin/"):] or "index.html")
        if path == "/_preview/problems.css":
            return self._bytes(BANNER_CSS, "text/css; charset=utf-8")
        if self.send_finder_redirect():  # before the banner: the form lands on its page, which then shows it
            return None
        problems = self.state.problems
        if problems is not None:
            page = self._html_file(path)
            if page is not None:
                with open(page, "rb") as handle:
                    document = handle.read()
                return self._bytes(_inject(document, banner(problems, self.state.root, self.state.lang)),
                                   "text/html; charset=utf-8")
        return super().send_head()

    def end_headers(self):
        if urlsplit(self.path).path.startswith("/admin"):
            # The editor is not the public site: none of its headers (its CSP would stop Decap's inline styles).
            self.send_header("Cache-Control", "no-cache")
            return http_end_headers(self)
        super().end_headers()

    def _html_file(self, path: str) -> str | None:
        target = self.translate_path(path)
        if os.path.isdir(target):
            target = os.path.join(target, "index.html")
        return target if target.endswith(".html") and os.path.isfile(target) else None

    def _bytes(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _admin(self, name: str):
        if name == "config.yml":
            return self._bytes(editor_config_yaml(self.state), "text/yaml; charset=utf-8")
        if name == "halsolots-fields.js":
            from ..content.editor import format_fields

            body = f"window.HALSOLOTS_FIELDS = {json.dumps(format_fields(), ensure_ascii=False)};\n"
            return self._bytes(body.encode("utf-8"), "application/javascript; charset=utf-8")
        for folder in (ADMIN_ASSETS, os.path.join(self.state.project, DECAP_DIST)):
            target = os.path.normpath(os.path.join(folder, name))
            if target.startswith(os.path.normpath(folder) + os.sep) and os.path.isfile(target):
                with open(target, "rb") as handle:
                    body = handle.read()
                kind = self.extensions_map.get(os.path.splitext(target)[1], "application/octet-stream")
                return self._bytes(body, kind)
        self.send_error(404)
        return None


def http_end_headers(handler) -> None:
    """BaseHTTPRequestHandler's end_headers, without the site's headers SiteRequestHandler adds."""
    import http.server

    http.server.BaseHTTPRequestHandler.end_headers(handler)


def _inject(document: bytes, banner_html: bytes) -> bytes:
    """The banner right after <body …> (or first, for a page without one)."""
    start = document.find(_BODY_TAG)
    end = document.find(b">", start) + 1 if start >= 0 else 0
    return document[:end] + banner_html + document[end:]


def editor_config_yaml(state: PreviewState) -> bytes:
    from ..content.editor import editor_config
    from ..site.site import Site

    settings = state.settings()
    site = Site(settings)
    config = editor_config(settings, site.vocabularies, site.languages, state.local_port)
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8")


def handler_for(state: PreviewState):
    """A handler class bound to one devserver's state."""
    return type("BoundPreviewRequestHandler", (PreviewRequestHandler,), {"state": state})
