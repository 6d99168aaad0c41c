"""deploy/nginx/halsolots.conf in Debian's nginx, over real HTTP on 127.0.0.1: content types, precompressed copies,
the 404 page in the visitor's language, the headers of `_headers`, CORS on /api/, cache headers and what is never
served. `make serve` (serve.SiteRequestHandler) is held to the same table where production matters to a
communicator: types, 404 pages, security headers, CORS, nothing internal served.

nginx runs as the test user with a generated nginx.conf shaped like Debian's stock one (modules from
/etc/nginx/modules-enabled, mime.types and gzip in http, the server block included from http). Its own PID
stops it. Tests that need nginx are marked `server` (make test-fast skips them).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, build_site
from halsolots.commands import serve

NGINX = Path("/usr/sbin/nginx")
SITE_CONF = REPO / "deploy" / "nginx" / "halsolots.conf"
BROTLI_CONF = REPO / "deploy" / "nginx" / "brotli.conf"
MODULES_ENABLED = Path("/etc/nginx/modules-enabled")
MODULES = Path("/usr/share/nginx/modules")  # Debian's prefix/modules: load_module paths are relative to it
DEPLOYED_ROOT = "/srv/halsolots/current"  # the folder in the shipped file's root and include lines
ACCESS_LOG = "/var/log/nginx/halsolots.access.log"  # the shipped access_log (the `halsolots` format, no addresses)
BROTLI = any(MODULES_ENABLED.glob("*brotli-static*.conf"))

SERVER = [pytest.mark.server,
          pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed (make test installs it)")]

# What production sends for every kind of file in the output (nginx: Debian's mime.types plus halsolots.conf's
# types and charset_types); serve.py must agree.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "text/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".wasm": "application/wasm",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
    ".pdf": "application/pdf",  # printed programmes (PRINT)
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pagefind": "application/octet-stream",  # Pagefind's gzipped WebAssembly (wasm.<lang>.pagefind)
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
REQUIRED = {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".ics", ".vtt", ".wasm", ".pagefind",
            ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"}
# Written into the test's copy of the site: what a server must never send (each answers 404).
PLANTED = [".env", ".git/config", "aktivitet/.secret", ".well-known/.hidden", "cache/output/site.pickle",
           "__pycache__/x.pyc", "theme/old.pickle"]
NEVER_SERVED = ["/_headers", "/nginx-headers.conf", "/nginx-finder.conf", "/.env", "/.git/config", "/.git/", "/aktivitet/.secret",
                "/.well-known/.hidden", "/cache/output/site.pickle", "/cache/", "/__pycache__/x.pyc",
                "/theme/old.pickle", "/%5Fheaders", "/.well-known"]
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=600"
IMMUTABLE_NAME = re.compile(r"^pagefind/.+\.pf_(?:meta|index|fragment|filter)$")  # halsolots.conf's location
WASM = b"\0asm\1\0\0\0"  # the smallest valid WebAssembly module


# --- running nginx --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_config(root: Path, port: int, logs: Path | None = None) -> str:
    """The shipped server block with what a deployer changes: the listen line and the root folder (root and the
    headers include). Any other difference fails here. The access log goes to `logs` (the test's own folder)."""
    shipped = SITE_CONF.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*)listen 80;", rf"\g<1>listen 127.0.0.1:{port};", shipped)
    text = text.replace(f" {DEPLOYED_ROOT};", f" {root};").replace(f" {DEPLOYED_ROOT}/", f" {root}/")
    changed = [new.split()[0] for old, new in zip(shipped.splitlines(), text.splitlines()) if old != new]
    assert sorted(changed) == ["include", "include", "listen", "root"], changed
    if logs is not None:
        assert f" {ACCESS_LOG} halsolots;" in text
        text = text.replace(f" {ACCESS_LOG} halsolots;", f" {logs}/halsolots.access.log halsolots;")
    return text


def nginx_config(folder: Path, sites: list[Path], modules: bool = True, brotli: bool = BROTLI) -> str:
    """A main nginx.conf like Debian's stock one, every file it writes in `folder`."""
    lines = ["daemon off;", "worker_processes 2;", f"pid {folder}/nginx.pid;", f"error_log {folder}/error.log warn;"]
    if os.geteuid() == 0:
        lines.append("user root;")  # the workers run as the test user (root here), only in this test config
    if modules and MODULES_ENABLED.is_dir():
        lines.append(f"include {MODULES_ENABLED}/*.conf;")
    lines += ["events { worker_connections 256; }", "http {",
              # Debian's stock http block
              "sendfile on;", "tcp_nopush on;", "types_hash_max_size 2048;", "include /etc/nginx/mime.types;",
              "default_type application/octet-stream;", f"access_log {folder}/access.log;", "gzip on;"]
    lines += [f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")]
    if brotli:
        lines.append(f"include {BROTLI_CONF};")  # as if copied to /etc/nginx/conf.d/
    lines += [f"include {site};" for site in sites] + ["}"]
    return "\n".join(lines) + "\n"


class Nginx:
    """One nginx master (daemon off) over `root` on 127.0.0.1:<free port>; `stop` ends it by its PID."""

    def __init__(self, folder: Path, root: Path, **options):
        self.folder, self.port = folder, free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if MODULES.exists() and not (folder / "modules").exists():
            (folder / "modules").symlink_to(MODULES)  # load_module paths are relative to the prefix
        site = folder / "halsolots.conf"
        site.write_text(site_config(root, self.port, folder), encoding="utf-8")
        self.conf = folder / "nginx.conf"
        self.conf.write_text(nginx_config(folder, [site], **options), encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [str(NGINX), "-p", f"{self.folder}/", "-e", str(self.folder / "error.log"), "-c", str(self.conf),
                *extra]

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run(self.command("-t"), capture_output=True, text=True)

    def start(self) -> Nginx:
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {self.process.stderr.read().decode()}{self.errors()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"nginx did not listen on 127.0.0.1:{self.port}: {self.errors()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGQUIT)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def errors(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def running_nginx(folder: Path, root: Path, **options):
    server = Nginx(folder, root, **options).start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def running_serve(root: Path):
    server = serve.start_server(str(root), 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def get(base: str, path: str, **headers) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET over HTTP/1.1 (no redirects followed, nothing decompressed): status, headers, body."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers={name.replace("_", "-"): value for name, value in headers.items()})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# --- the site under test ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The demo content built like `make publish` (absolute https URLs, .gz/.br copies), plus a .wasm file (Pagefind
    ships its WebAssembly as .pagefind) and files no server may send."""
    output = tmp_path_factory.mktemp("published") / "output"
    assert build_site(output, settings_file=REPO / "publishconf.py") == 0
    (output / "theme" / "test.wasm").write_bytes(WASM)
    for name in PLANTED:
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text("secret\n", encoding="utf-8")
    return output


@pytest.fixture(scope="module")
def nginx(published, tmp_path_factory):
    with running_nginx(tmp_path_factory.mktemp("nginx"), published) as server:
        yield server
    assert "[emerg]" not in server.errors() and "[warn]" not in server.errors(), server.errors()


class Served(str):
    """A server's base URL; `kind` says which: "nginx" (halsolots.conf) or "serve" (make serve)."""

    kind: str


def served_by(kind: str, url: str) -> Served:
    base = Served(url)
    base.kind = kind
    return base


@pytest.fixture(scope="module", params=[pytest.param("nginx", marks=SERVER), "serve"])
def server(request, published):
    """nginx with halsolots.conf, or `make serve`'s server, over the same built site: its base URL."""
    if request.param == "nginx":
        yield served_by("nginx", request.getfixturevalue("nginx").url)
    else:
        with running_serve(published) as url:
            yield served_by("serve", url)


def one_file_per_type(output: Path) -> dict[str, str]:
    """extension → the path of one file with it (copies and internal files left out)."""
    chosen = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if path.is_file() and path.suffix not in (".gz", ".br") and serve.served("/" + relative):
            chosen.setdefault(path.suffix, relative)
    return chosen


def headers_file(output: Path) -> dict[str, str]:
    """The `/*` headers of the build's `_headers`."""
    return dict(serve.site_headers(str(output)))


def nginx_headers_file(output: Path) -> dict[str, str]:
    text = (output / "nginx-headers.conf").read_text(encoding="utf-8")
    return dict(re.findall(r'(?m)^add_header (\S+) "([^"]*)" always;$', text))


# --- types, copies and 404 pages --------------------------------------------------------------------------------


def test_only_the_listen_and_root_lines_are_the_deployers(tmp_path):
    text = SITE_CONF.read_text(encoding="utf-8")
    assert len(re.findall(r"(?m)^\s*types\s*\{", text)) == 1
    # A types block replaces the inherited list: Debian's full list must come before it, in the server block.
    assert text.index("include /etc/nginx/mime.types;") < text.index("types {")
    assert "brotli" not in "".join(line.split("#")[0] for line in text.splitlines())  # works without the module
    site_config(tmp_path, 8080)  # asserts that only listen, root and the two includes of the build's files change


def test_every_file_type_has_its_content_type(server, published):
    files = one_file_per_type(published)
    assert REQUIRED <= set(files), REQUIRED - set(files)
    assert set(files) <= set(TYPES), f"add these types to TYPES and halsolots.conf: {set(files) - set(TYPES)}"
    for suffix, relative in files.items():
        status, headers, body = get(server, "/" + relative)
        assert status == 200, relative
        assert headers["Content-Type"] == TYPES[suffix], relative
        assert "Content-Encoding" not in headers and body == (published / relative).read_bytes(), relative


@pytest.mark.parametrize("path, page", [("/finns-inte/", "404.html"), ("/aktivitet/finns-inte.ics", "404.html"),
                                        ("/en/does-not-exist/", "en/404.html"), ("/en/theme/missing.css", "en/404.html"),
                                        ("/pagefind/", "404.html"), ("/en/pagefind/x.pf_meta", "en/404.html"),
                                        ("/english/", "404.html")])
def test_unknown_paths_get_404_with_the_page_in_their_language(server, published, path, page):
    status, headers, body = get(server, path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (published / page).read_bytes()
    assert ('lang="en"' if page.startswith("en/") else 'lang="sv"') in body.decode("utf-8")


@pytest.mark.parametrize("path", NEVER_SERVED)
def test_internal_files_and_dotfiles_are_never_served(server, published, path):
    status, _headers, body = get(server, path)
    assert status == 404, path
    assert body == (published / "404.html").read_bytes(), path


def test_well_known_security_txt_is_served(server, published):
    status, headers, body = get(server, "/.well-known/security.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body == (published / ".well-known" / "security.txt").read_bytes()


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_gzip_copies_are_served_when_asked_for(nginx, published):
    copies = sorted(path for path in published.rglob("*.gz"))
    assert len(copies) > 100
    for copy in copies[:: max(1, len(copies) // 40)] + [published / "index.html.gz", published / "en" / "404.html.gz"]:
        relative = copy.relative_to(published).as_posix().removesuffix(".gz")
        url = "/" + relative.removesuffix("index.html")
        status, headers, body = get(nginx.url, url, Accept_Encoding="gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip" and body == copy.read_bytes(), url
        assert headers["Content-Type"] == TYPES[Path(relative).suffix] and headers["Vary"] == "Accept-Encoding", url
        status, headers, body = get(nginx.url, url)  # a client that does not ask gets the file itself
        assert status == 200 and "Content-Encoding" not in headers and body == (published / relative).read_bytes()
    status, headers, body = get(nginx.url, "/en/finns-inte/", Accept_Encoding="gzip")
    assert status == 404 and headers["Content-Encoding"] == "gzip"
    assert body == (published / "en" / "404.html.gz").read_bytes()


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
@pytest.mark.skipif(not BROTLI, reason="libnginx-mod-http-brotli-static is not installed")
def test_brotli_copies_are_served_where_the_module_is_loaded(nginx, published):
    for relative in ("index.html", "en/search/index.html", "kalender/alla.ics", "api/activities.json",
                     "theme/css/site.css", "pagefind/pagefind.js"):
        url = "/" + relative.removesuffix("index.html")
        status, headers, body = get(nginx.url, url, Accept_Encoding="gzip, deflate, br")
        assert status == 200 and headers["Content-Encoding"] == "br", url
        assert body == (published / f"{relative}.br").read_bytes(), url
        assert headers["Content-Type"] == TYPES[Path(relative).suffix] and headers["Vary"] == "Accept-Encoding"
        _status, headers, _body = get(nginx.url, url, Accept_Encoding="gzip")
        assert headers["Content-Encoding"] == "gzip"


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_the_server_block_works_without_the_brotli_module(published, tmp_path):
    with running_nginx(tmp_path, published, modules=False, brotli=False) as bare:
        assert bare.check().returncode == 0
        status, headers, _body = get(bare.url, "/", Accept_Encoding="gzip, br")
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "[emerg]" not in bare.errors() and "[warn]" not in bare.errors(), bare.errors()


# --- headers --------------------------------------------------------------------------------------------------

HEADER_PATHS = ["/", "/en/", "/theme/css/site.css", "/kalender/alla.ics", "/api/activities.json", "/sitemap.xml",
                "/finns-inte/", "/en/finns-inte", "/kalender", "/_headers"]


def test_nginx_headers_file_is_the_headers_file_plus_hsts(published):
    nginx_lines = nginx_headers_file(published)
    assert nginx_lines.pop("Strict-Transport-Security") == "max-age=31536000"  # an https SITEURL: production
    assert nginx_lines == headers_file(published)
    assert set(headers_file(published)) == {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                                            "Permissions-Policy", "Cross-Origin-Opener-Policy"}
    assert "frame-ancestors 'none'" in headers_file(published)["Content-Security-Policy"]


def test_a_local_build_sends_no_hsts(demo_site):
    assert "Strict-Transport-Security" not in nginx_headers_file(demo_site)
    assert nginx_headers_file(demo_site) == headers_file(demo_site)


def test_every_response_has_the_security_headers_of_the_headers_file(server, published):
    # nginx also sends HSTS (a production build); a local preview must not.
    expected = nginx_headers_file(published) if server.kind == "nginx" else headers_file(published)
    for path in HEADER_PATHS:
        status, headers, _body = get(server, path)
        for name, value in expected.items():
            assert headers.get_all(name) == [value], (path, status, name)
    if server.kind == "serve":
        assert get(server, "/")[1]["Strict-Transport-Security"] is None


def test_cors_only_on_the_open_data(server):
    for path in ("/api/activities.json", "/en/api/activities.json"):
        status, headers, _body = get(server, path)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*", path
    for path in ("/", "/kalender/alla.ics", "/pagefind/pagefind-entry.json"):
        assert get(server, path)[1]["Access-Control-Allow-Origin"] is None, path


# The finder's form as a browser without JavaScript sends it: every field, the empty ones too, and its button.
FORM = "district={district}&group={group}&category={category}&when={when}&language=&registration=&show=1"


def follow(base: str, path: str) -> tuple[list[str], BeautifulSoup]:
    """GET `path` and every redirect after it, as a browser does: the Locations and the last page, parsed."""
    locations = []
    status, headers, body = get(base, path)
    while status in (301, 302, 303, 307, 308):
        locations.append(headers["Location"])
        assert len(locations) < 5, locations
        status, headers, body = get(base, urljoin(path, headers["Location"]).split("#")[0])
    assert status == 200, (path, locations)
    return locations, BeautifulSoup(body.decode("utf-8"), "html.parser")


@pytest.mark.parametrize("lang, form, location, heading", [
    ("sv", dict(district="centrum", group="seniorer", category="", when=""), "/omrade/centrum/seniorer/",
     "Seniorer i Centrum"),
    ("en", dict(district="centrum", group="seniorer", category="", when=""), "/en/district/centrum/seniorer/",
     "Seniors in Centrum"),
    ("sv", dict(district="", group="", category="rorelse", when=""), "/kategori/rorelse/", "Rörelse och träning"),
    ("sv", dict(district="", group="", category="", when=""), "/program/", "Program"),
    # No page holds the whole choice: the page of its most specific part, with the note.
    ("sv", dict(district="centrum", group="seniorer", category="", when="today"),
     "/omrade/centrum/seniorer/#finder-note", "Seniorer i Centrum"),
    ("sv", dict(district="centrum", group="", category="rorelse", when=""), "/omrade/centrum/#finder-note", "Centrum"),
    ("en", dict(district="", group="", category="", when="week"), "/en/programme/#finder-note", "Programme"),
])
def test_the_finder_form_without_javascript_lands_on_the_static_page(server, published, lang, form, location,
                                                                      heading):
    finder = "/program/hitta/" if lang == "sv" else "/en/programme/find/"
    status, headers, _body = get(server, f"{finder}?{FORM.format(**form)}")
    assert status == 303 and headers["Location"] == location
    locations, page = follow(server, f"{finder}?{FORM.format(**form)}")
    assert locations == [location]
    assert page.html["lang"] == lang and page.h1.get_text(strip=True) == heading
    note = page.find(id="finder-note")
    assert note is not None and "notice" in note["class"]  # shown only as the target (base.css)


def test_the_finder_without_the_button_or_the_rule_is_the_finders_page(server, published, tmp_path):
    """A shared address of the script (no show=1) opens the finder itself, and so does the form on a host without
    the rule (a plain file host): its page links to the static pages."""
    status, _headers, body = get(server, "/program/hitta/?district=centrum&group=seniorer")
    assert status == 200 and body == (published / "program/hitta/index.html").read_bytes()
    import functools
    import http.server
    import threading

    plain = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(published)))
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{plain.server_address[1]}"
        locations, page = follow(base, "/program/hitta/?" + FORM.format(district="centrum", group="seniorer",
                                                                       category="", when=""))
    finally:
        plain.shutdown()
        plain.server_close()
    assert locations == [] and page.find(attrs={"data-finder-fallback": True})
    assert page.select_one("[data-finder-static] a[href$='/omrade/centrum/']")


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_cache_headers_long_only_for_names_that_change_with_content(nginx, published):
    immutable = []
    for path in sorted(published.rglob("*")):
        relative = path.relative_to(published).as_posix()
        if path.is_file() and IMMUTABLE_NAME.match(relative):
            immutable.append(relative)
            # Pagefind names these files after a hash of what they hold.
            assert re.search(r"_[0-9a-f]{7,}\.pf_[a-z]+$", path.name), relative
    assert {Path(name).suffix for name in immutable} == {".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"}
    for relative in immutable[:: max(1, len(immutable) // 20)]:
        status, headers, _body = get(nginx.url, "/" + relative)
        assert status == 200 and headers["Cache-Control"] == IMMUTABLE, relative
    short = ["/", "/en/search/", "/kalender/alla.ics", "/api/activities.json", "/sitemap.xml", "/robots.txt",
             "/theme/css/site.css", "/theme/js/search.js", "/pagefind/pagefind.js", "/pagefind/pagefind-entry.json",
             "/pagefind/wasm.sv.pagefind", "/media/filmer/halsolots-demoklipp.webm", "/finns-inte/",
             "/pagefind/finns-inte.pf_meta"]
    for path in short:
        assert get(nginx.url, path)[1].get_all("Cache-Control") == [SHORT], path


def test_immutable_index_files_are_the_same_wherever_their_name_is(published, fixture_site):
    """Two sites with other content: an index file name found in both holds the same bytes (the name follows the
    content, so a year's caching is safe), while the files that keep their names differ."""
    for path in (fixture_site / "pagefind").rglob("*"):
        relative = path.relative_to(fixture_site).as_posix()
        if IMMUTABLE_NAME.match(relative) and (published / relative).exists():
            assert (published / relative).read_bytes() == path.read_bytes(), relative
    entry = "pagefind/pagefind-entry.json"
    assert (published / entry).read_bytes() != (fixture_site / entry).read_bytes()
    assert not IMMUTABLE_NAME.match(entry)


# --- search in a browser, served by nginx ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_search_works_in_chromium_served_by_nginx(chromium, fixture_site, tmp_path):
    from playwright.sync_api import expect
    from test_search import open_search, results

    with running_nginx(tmp_path, fixture_site) as server:
        context = chromium.new_context()
        page = context.new_page()
        errors, wasm = [], []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("requestfailed", lambda request: errors.append(f"{request.url}: {request.failure}"))
        page.on("response", lambda response: (response.status >= 400 and "favicon" not in response.url
                                              and errors.append(f"{response.url}: {response.status}"),
                                              response.url.endswith(".pagefind") and wasm.append(response)))
        try:
            open_search(page, f"{server.url}/sok/")
            assert "frame-ancestors 'none'" in get(server.url, "/sok/")[1]["Content-Security-Policy"]
            page.get_by_label("Sök efter").fill("sömn")
            expect(page.get_by_role("status")).to_contain_text("träff")
            assert "Föreläsning om sömn" in results(page)
            open_search(page, f"{server.url}/en/search/")
            page.get_by_label("Search for").fill("chair")
            expect(page.get_by_role("status")).to_contain_text("result")
            assert results(page) == ["Chair exercise"]
        finally:
            context.close()
    assert {r.url.rsplit("/", 1)[1] for r in wasm} == {"wasm.sv.pagefind", "wasm.en.pagefind"}
    assert all(r.status == 200 and r.headers["content-type"] == "application/octet-stream" for r in wasm)
    assert errors == []  # no CSP violation, no failed request, no script error


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_the_access_log_has_no_addresses_and_the_follow_up_reads_it(nginx, published):
    """The shipped log_format: no IP address in any line, and `make uppfoljning` counts what was fetched."""
    from halsolots.followup.logs import HALSOLOTS
    from halsolots.followup.visits import SiteMap, count_lines
    from halsolots.site.site import Site

    from halsolots.build.build import load_settings

    agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
    for path in ("/", "/sok/?q=s%C3%B6mn", "/kalender/alla.ics", "/theme/css/site.css", "/finns-inte/"):
        status, _headers, _body = get(nginx.url, path, User_Agent=agent)
        assert status in (200, 404), path
    log = nginx.folder / "halsolots.access.log"
    deadline = time.monotonic() + 5
    while (not log.exists() or log.read_text(encoding="utf-8").count("\n") < 5) and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = log.read_text(encoding="utf-8").splitlines()[-5:]
    assert all(HALSOLOTS.fullmatch(line) for line in lines), lines
    assert not any("127.0.0.1" in line for line in lines), "no address in the log"
    year = int(lines[0][:4])
    site = Site(load_settings(str(REPO / "publishconf.py"), {"TODAY": "2026-12-01"}))
    figures = count_lines(iter(lines), year, SiteMap(site))
    assert (figures.pages["/"], figures.terms["sömn"], figures.feed_requests["/kalender/alla.ics"]) == (1, 1, 1)
    assert figures.visits == 1 and figures.broken == 0


# --- two sites of the repository on one nginx (docs/sites.md) -----------------------------------------------------


@pytest.mark.server
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_two_sites_share_one_nginx_each_with_its_own_finder_map(published, tmp_path):
    """The second site's copy of halsolots.conf differs by its server_name, root and includes, and leaves out the
    log_format line (defined once in the http block); each site's generated map has its own variable."""
    second = tmp_path / "sa"
    assert build_site(second, settings_file=REPO / "publishconf.py", SITE="sodra-alvsborg") == 0
    folder = tmp_path / "nginx"
    server = Nginx(folder, published)
    first_conf = folder / "halsolots.conf"
    first_conf.write_text(first_conf.read_text().replace("# server_name halsolots.goteborg.example;",
                                                         "server_name halsolots.goteborg.example;"))
    text = site_config(second, server.port, folder)
    text = re.sub(r"(?m)^log_format .*$", "", text).replace("# server_name halsolots.goteborg.example;",
                                                            "server_name halsolots.sodraalvsborg.example;")
    (folder / "sodra-alvsborg.conf").write_text(text, encoding="utf-8")
    server.conf.write_text(nginx_config(folder, [first_conf, folder / "sodra-alvsborg.conf"]), encoding="utf-8")
    server.start()
    try:
        for host, finder, district, heading in (
                ("halsolots.goteborg.example", "/program/hitta/", "hisingen", "Hisingen"),
                ("halsolots.sodraalvsborg.example", "/program/hitta/", "boras", "Borås")):
            status, _headers, body = get(server.url, "/", Host=host)
            assert status == 200
            site_name = "Göteborg" if "goteborg" in host else "Södra Älvsborg"
            assert site_name in BeautifulSoup(body, "html.parser").title.get_text()
            form = FORM.format(district=district, group="", category="", when="")
            status, headers, _body = get(server.url, f"{finder}?{form}", Host=host)
            assert status == 303 and headers["Location"] == f"/omrade/{district}/", (host, status)
            status, _headers, body = get(server.url, headers["Location"], Host=host)
            assert BeautifulSoup(body, "html.parser").h1.get_text(strip=True) == heading
    finally:
        server.stop()
    assert "[emerg]" not in server.errors(), server.errors()
