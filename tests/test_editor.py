"""The form editor (Decap CMS at /admin/ of the preview, decap-server as the local backend): its configuration
comes from the field descriptions and the vocabularies; a communicator creates an activity through the form
and the file it writes passes `make check` and builds; nothing of it reaches the `make publish` output."""

from __future__ import annotations

import http.client
import io
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
import yaml

from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, html
from halsolots.build import build as builder
from halsolots.commands.check import check
from halsolots.commands.preview import PreviewState, handler_for
from halsolots.commands.serve import start_server
from halsolots.content.editor import COLLECTION_NAMES, editor_config
from halsolots.content.schema import KINDS
from halsolots.site.safety import content_security_policy
from halsolots.site.site import Site

SETTINGS = str(REPO / "pelicanconf.py")
# The public site's policy as it was before the editor came: the editor must not change it.
PUBLIC_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
              "media-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
              "form-action 'self'; frame-src https://player.vimeo.com https://www.youtube-nocookie.com")


def config_for(content: Path) -> dict:
    settings = builder.load_settings(SETTINGS, {"PATH": str(content), "EDITOR_REPOSITORY": str(content.parent)})
    site = Site(settings)
    return editor_config(settings, site.vocabularies, site.languages)


def by_name(config: dict) -> dict:
    return {collection["name"]: collection for collection in config["collections"]}


def test_every_kind_is_a_collection_with_every_field():
    collections = by_name(config_for(REPO / "content"))
    for kind in KINDS.values():
        collection = collections[COLLECTION_NAMES[kind.name]]
        assert [f["name"] for f in collection["fields"]] == [spec.name for spec in kind.fields] + ["body"]
        assert collection["folder"] == f"content/{kind.default_path}" and collection["format"] == "halsolots"
        translations = collections[f"{COLLECTION_NAMES[kind.name]}-en"]
        assert [f["name"] for f in translations["fields"]] == [s.name for s in kind.translated] + ["body"]
        assert translations["filter"] == {"field": "Lang", "value": "en"} and translations["extension"] == "en.md"
    assert set(collections) >= {"activities", "health", "films", "news", "pages", "activities-en"}


def test_select_lists_come_from_the_vocabularies_so_a_new_district_needs_no_config(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    fields = {f["name"]: f for f in by_name(config_for(content))["activities"]["fields"]}
    assert [o["value"] for o in fields["Districts"]["options"]] == ["centrum", "nordost"]
    assert fields["Districts"]["multiple"] is True and fields["Category"]["multiple"] is False
    assert [o["value"] for o in fields["Venue"]["options"]] == ["biblioteket", "torget", "online"]
    assert fields["Registration"]["options"] == ["drop-in", "required"]
    assert fields["Start"]["pattern"][0].startswith("^")
    with open(content / "data" / "districts.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: angered\n  label: {sv: Angered, en: Angered}\n")
    # The preview serves config.yml anew at each request: the new district is there without a restart.
    state = PreviewState(SETTINGS)
    state.settings = lambda: builder.load_settings(SETTINGS, {"PATH": str(content),
                                                             "EDITOR_REPOSITORY": str(tmp_path)})
    (tmp_path / "served").mkdir()
    server = start_server(str(tmp_path / "served"), 0, handler_class=handler_for(state))
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", "/admin/config.yml")
        response = connection.getresponse()
        assert response.status == 200
        served = yaml.safe_load(response.read())
    finally:
        server.shutdown()
        server.server_close()
    fields = {f["name"]: f for f in by_name(served)["activities"]["fields"]}
    assert [o["value"] for o in fields["Districts"]["options"]] == ["centrum", "nordost", "angered"]


def test_publish_output_has_no_editor_and_the_same_csp(tmp_path):
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT, settings_file=REPO / "publishconf.py", PRINT=False,
                      PRECOMPRESS=False) == 0
    files = [p for p in output.rglob("*") if p.is_file()]
    assert not (output / "admin").exists()
    assert not [p for p in files if "decap" in p.name.lower() or "halsolots-format" in p.name]
    assert not [p for p in files if p.suffix in (".html", ".js") and b"decap-cms" in p.read_bytes()]
    settings = builder.load_settings(str(REPO / "publishconf.py"))
    assert content_security_policy(settings, for_meta=True) == PUBLIC_CSP
    assert f"Content-Security-Policy: {PUBLIC_CSP}; frame-ancestors 'none'" in (output / "_headers").read_text()
    meta = html(output / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None and meta["content"] == PUBLIC_CSP


# --- the browser test ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def scratch(tmp_path):
    """A scratch Git repository: the fixture content and the settings, the theme, plugins and node_modules."""
    if not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").exists():
        pytest.skip("node_modules lacks decap-cms: run make editor (npm ci) first")
    repository = tmp_path / "repo"
    repository.mkdir()
    copy_content(FIXTURE_CONTENT, repository / "content")
    settings = (REPO / "pelicanconf.py").read_text(encoding="utf-8")
    (repository / "pelicanconf.py").write_text(settings + f"\nTODAY = {TODAY!r}\nCACHE_PATH = 'cache'\n",
                                               encoding="utf-8")
    for name in ("theme", "plugins", "node_modules"):
        (repository / name).symlink_to(REPO / name)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repository, check=True)
    return repository


@pytest.fixture
def editor(scratch):
    """`python -m halsolots editor` in the scratch repository (preview + decap-server); stopped by its PID."""
    port, cms_port = free_port(), free_port()
    log = open(scratch / "editor.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "halsolots", "editor", "--port", str(port), "--cms-port", str(cms_port)],
        cwd=scratch, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO / "plugins")})
    try:
        wait_for(cms_port)
        wait_for(port)
        yield f"http://127.0.0.1:{port}", scratch
    finally:
        process.send_signal(signal.SIGTERM)  # the editor stops decap-server, its own child, on the way out
        process.wait(timeout=30)
        log.close()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", cms_port)) != 0, "decap-server was left running"


def field(page, name):
    return page.locator(f'[id^="{name}-field-"]')


def choose(page, name: str, value: str, typed: str | None = None) -> None:
    """Pick `value` in a select list the way a person does: open it, type (the start of) it, take the match."""
    field(page, name).click()
    page.keyboard.type(typed or value)
    page.locator('[id*="-option-"]', has_text=value).first.wait_for()
    page.keyboard.press("Enter")


def fill_activity(page, base: str, title: str, start: str, slug: str) -> None:
    page.goto(f"{base}/admin/#/collections/activities/new")
    field(page, "Title").wait_for(timeout=30000)
    field(page, "Title").fill(title)
    field(page, "Slug").fill(slug)
    field(page, "Summary").fill("Vi går med stavar i lugnt tempo.")
    field(page, "Start").fill(start)
    field(page, "End").fill("11:00")
    choose(page, "Repeat", "weekly")
    field(page, "Until").fill("2027-03-31")
    field(page, "Except").fill("2027-03-10")
    choose(page, "Venue", "torget")
    choose(page, "Districts", "nordost")
    choose(page, "Groups", "seniorer")
    choose(page, "Groups", "alla")
    choose(page, "Category", "rorelse")
    field(page, "Organiser").fill("Hälsoteket i Nordost")
    choose(page, "Registration", "drop-in")
    field(page, "Languages").fill("sv")


def dates_of(events) -> tuple[set, set]:
    """The start dates of a feed's events and the dates its EXDATEs leave out."""
    starts = {event.decoded("dtstart").date() for event in events}
    excepted = set()
    for event in events:
        value = event.get("exdate")
        for item in value if isinstance(value, list) else [value] if value else []:
            excepted.update(moment.dt.date() for moment in item.dts)
    return starts, excepted


def publish(page) -> None:
    page.get_by_role("button", name="Publicera").first.click()
    page.get_by_text("Publicera nu").click()


def logged_in(chromium, base: str):
    """A fresh browser context (Decap keeps unsaved entries in the page's storage) on the editor, logged in to
    the local backend: (context, page)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    hosts = context.hosts = set()  # every request the editor makes, to show it needs nothing from elsewhere
    context.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Aktiviteter").first.wait_for()
    return context, page


def wait_for_file(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.exists(), sorted(os.listdir(path.parent))


@pytest.mark.browser
def test_an_activity_made_in_the_editor_checks_and_builds(chromium, editor, tmp_path):
    base, repository = editor
    folder = repository / "content" / "aktiviteter"
    # A value the form's pattern refuses cannot be saved: the form says what it wants, no file is written.
    context, page = logged_in(chromium, base)
    try:
        fill_activity(page, base, "Stavgång i parken", "nästa onsdag", "stavgang-i-parken")
        publish(page)
        page.get_by_text("ÅÅÅÅ-MM-DD TT:MM, t.ex.").first.wait_for()
        time.sleep(1)
        assert not (folder / "stavgang-i-parken.md").exists()
    finally:
        context.close()

    # District, groups, venue and category from the lists, a weekly series with an exception.
    context, page = logged_in(chromium, base)
    try:
        fill_activity(page, base, "Stavgång på torget", "2027-03-03 10:00", "stavgang-pa-torget")
        publish(page)
        written = folder / "stavgang-pa-torget.md"
        wait_for_file(written)
        assert context.hosts <= {"127.0.0.1", None}, context.hosts  # no CDN: the bundle comes from node_modules
    finally:
        context.close()

    # Its translation: the original chosen in the Slug list, the file named after it with the language code.
    context, page = logged_in(chromium, base)
    try:
        page.goto(f"{base}/admin/#/collections/activities-en/new")
        field(page, "Title").wait_for(timeout=30000)
        field(page, "Title").fill("Nordic walking on the square")
        choose(page, "Slug", "Stavgång på torget", typed="torget")
        field(page, "Summary").fill("We walk with poles at an easy pace.")
        publish(page)
        translation = folder / "stavgang-pa-torget.en.md"
        wait_for_file(translation)
    finally:
        context.close()
    assert translation.read_text(encoding="utf-8").startswith(
        "Title: Nordic walking on the square\nSlug: stavgang-pa-torget\nLang: en\n")

    text = written.read_text(encoding="utf-8")
    assert text.startswith("Title: Stavgång på torget\nSlug: stavgang-pa-torget\nLang: sv\n"), text
    for line in ("Repeat: weekly", "Until: 2027-03-31", "Except: 2027-03-10", "Venue: torget",
                 "Districts: nordost", "Groups: seniorer, alla", "Category: rorelse", "Registration: drop-in"):
        assert f"\n{line}\n" in text, (line, text)

    # make check on the scratch tree: no error.
    out = io.StringIO()
    settings_file = str(repository / "pelicanconf.py")
    assert check(settings_file, "sv", stream=out) == 0, out.getvalue()

    # It builds into its page and the right feeds.
    output = tmp_path / "output"
    assert build_site(output, repository / "content") == 0
    site = Site(builder.load_settings(settings_file))
    for lang, title in (("sv", "Stavgång på torget"), ("en", "Nordic walking on the square")):
        page_html = html(output / site.save_as(site.url(lang, "activity", slug="stavgang-pa-torget")))
        assert page_html.find("h1").get_text(strip=True) == title
    for feed in ("aktivitet/stavgang-pa-torget/stavgang-pa-torget.ics", "kalender/alla.ics",
                 "kalender/omrade/nordost.ics", "kalender/malgrupp/seniorer.ics", "kalender/malgrupp/alla.ics",
                 "kalender/kategori/rorelse.ics", "kalender/omrade/nordost/seniorer.ics"):
        calendar = icalendar.Calendar.from_ical((output / feed).read_bytes())
        events = [e for e in calendar.walk("VEVENT") if str(e.get("summary")) == "Stavgång på torget"]
        assert events, feed
        starts, excepted = dates_of(events)
        assert date(2027, 3, 3) in starts
        assert date(2027, 3, 10) not in starts or date(2027, 3, 10) in excepted, feed  # the exception
    for feed in ("kalender/omrade/centrum.ics", "kalender/malgrupp/studenter.ics",
                 "kalender/kategori/forelasning.ics"):
        if (output / feed).exists():
            assert "Stavgång på torget" not in (output / feed).read_text(encoding="utf-8"), feed


@pytest.mark.browser
def test_a_date_the_form_lets_through_is_caught_by_make_check(chromium, editor, monkeypatch):
    base, repository = editor
    context, page = logged_in(chromium, base)
    try:
        fill_activity(page, base, "Stavgång i februari", "2027-02-30 10:00", "stavgang-i-februari")
        publish(page)
        wait_for_file(repository / "content" / "aktiviteter" / "stavgang-i-februari.md")
    finally:
        context.close()
    out = io.StringIO()
    monkeypatch.chdir(repository)
    assert check(str(repository / "pelicanconf.py"), "sv", stream=out) == 2
    assert ("fel: content/aktiviteter/stavgang-i-februari.md:5: Start: '2027-02-30 10:00': 30 februari 2027 finns "
            "inte (februari 2027 har 28 dagar)") in out.getvalue()
